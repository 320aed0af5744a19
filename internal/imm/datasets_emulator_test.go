package imm

import (
	"reflect"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

func TestEmulatorDatasetLifecycleSendsSDKParamsAndDecodesAnswers(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")

	want := Dataset{
		ProjectName:             "p",
		DatasetName:             "faces",
		Description:             "Holiday <2026> & more é*~+/=",
		TemplateId:              "Official:ImageManagement",
		CreateTime:              serviceTime(emuStart),
		UpdateTime:              serviceTime(emuStart),
		DatasetMaxBindCount:     3,
		DatasetMaxFileCount:     2000,
		DatasetMaxEntityCount:   9007199254740993,
		DatasetMaxRelationCount: 9223372036854775807,
		DatasetMaxTotalFileSize: 90000000000000000,
	}
	created, err := c.CreateDataset(ctx, CreateDatasetRequest{
		ProjectName:             "p",
		DatasetName:             "faces",
		Description:             ptr("Holiday <2026> & more é*~+/="),
		TemplateId:              ptr("Official:ImageManagement"),
		DatasetMaxBindCount:     ptr(int64(3)),
		DatasetMaxFileCount:     ptr(int64(2000)),
		DatasetMaxEntityCount:   ptr(int64(9007199254740993)),
		DatasetMaxRelationCount: ptr(int64(9223372036854775807)),
		DatasetMaxTotalFileSize: ptr(int64(90000000000000000)),
	})
	if err != nil {
		t.Fatalf("CreateDataset: %v", err)
	}
	if !reflect.DeepEqual(*created, want) {
		t.Errorf("CreateDataset returned\n%+v\nwant\n%+v", *created, want)
	}
	checkParams(t, env.lastRequest("CreateDataset"), map[string]string{
		"ProjectName":             "p",
		"DatasetName":             "faces",
		"Description":             "Holiday <2026> & more é*~+/=",
		"TemplateId":              "Official:ImageManagement",
		"DatasetMaxBindCount":     "3",
		"DatasetMaxFileCount":     "2000",
		"DatasetMaxEntityCount":   "9007199254740993",
		"DatasetMaxRelationCount": "9223372036854775807",
		"DatasetMaxTotalFileSize": "90000000000000000",
	})

	// Files indexed behind the client's back show in FileCount.
	if err := env.emu.AddFiles("p", "faces", []string{"oss://b/1.jpg", "oss://b/2.jpg"}); err != nil {
		t.Fatalf("AddFiles: %v", err)
	}
	got, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "faces", WithStatistics: ptr(true)})
	if err != nil {
		t.Fatalf("GetDataset: %v", err)
	}
	want.FileCount = 2
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("GetDataset returned\n%+v\nwant\n%+v", *got, want)
	}
	checkParams(t, env.lastRequest("GetDataset"), map[string]string{"ProjectName": "p", "DatasetName": "faces", "WithStatistics": "true"})

	page, err := c.ListDatasets(ctx, ListDatasetsRequest{ProjectName: "p", MaxResults: ptr(int64(5)), Prefix: "fa"})
	if err != nil {
		t.Fatalf("ListDatasets: %v", err)
	}
	if len(page.Datasets) != 1 || !reflect.DeepEqual(page.Datasets[0], want) || page.NextToken != "" {
		t.Errorf("ListDatasets returned %+v, want just %+v and no NextToken", page, want)
	}
	if page.RequestId == "" || page.RequestId != env.lastRequestID() {
		t.Errorf("ListDatasets RequestId = %q, want the emulator's %q", page.RequestId, env.lastRequestID())
	}
	checkParams(t, env.lastRequest("ListDatasets"), map[string]string{"ProjectName": "p", "MaxResults": "5", "Prefix": "fa"})

	env.advance(time.Hour)
	updated, err := c.UpdateDataset(ctx, UpdateDatasetRequest{ProjectName: "p", DatasetName: "faces", Description: ptr("renamed"), DatasetMaxFileCount: ptr(int64(1))})
	if err != nil {
		t.Fatalf("UpdateDataset: %v", err)
	}
	want.Description, want.DatasetMaxFileCount, want.UpdateTime = "renamed", 1, serviceTime(emuStart.Add(time.Hour))
	if !reflect.DeepEqual(*updated, want) {
		t.Errorf("UpdateDataset returned\n%+v\nwant\n%+v", *updated, want)
	}
	checkParams(t, env.lastRequest("UpdateDataset"), map[string]string{
		"ProjectName": "p", "DatasetName": "faces", "Description": "renamed", "DatasetMaxFileCount": "1",
	})

	// IMM refuses to delete a dataset that still has files; that is not
	// worth a retry.
	env.clear()
	err = c.DeleteDataset(ctx, "p", "faces")
	if e := asError(t, err); e.Code != CodeInvalidArgument || e.StatusCode != 400 || IsRetryable(err) {
		t.Errorf("DeleteDataset with files: %+v, want a non-retryable 400 InvalidArgument", *e)
	}
	if n := len(env.requests("DeleteDataset")); n != 1 {
		t.Errorf("DeleteDataset with files was sent %d times, want once", n)
	}

	if err := env.emu.RemoveFiles("p", "faces", nil); err != nil {
		t.Fatalf("RemoveFiles: %v", err)
	}
	if err := c.DeleteDataset(ctx, "p", "faces"); err != nil {
		t.Fatalf("DeleteDataset: %v", err)
	}
	checkParams(t, env.lastRequest("DeleteDataset"), map[string]string{"ProjectName": "p", "DatasetName": "faces"})
	if _, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "faces"}); !IsNotFound(err) {
		t.Errorf("GetDataset after DeleteDataset: err = %v, want ResourceNotFound", err)
	}
	p, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "p"})
	if err != nil || p.DatasetCount != 0 {
		t.Errorf("GetProject after DeleteDataset: %+v, %v; want DatasetCount 0", p, err)
	}
}
