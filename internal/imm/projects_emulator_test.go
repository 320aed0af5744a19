package imm

import (
	"reflect"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// fullCreateProject sets every CreateProject parameter, with values that
// catch lossy encodings: int64s beyond float64's exact range, and text with
// the characters signatures and JSON escape differently.
func fullCreateProject(name string) CreateProjectRequest {
	return CreateProjectRequest{
		ProjectName:             name,
		ServiceRole:             ptr("AliyunIMMBatchTriggerRole"),
		TemplateId:              ptr("Official:ImageManagement"),
		Description:             ptr("Faces & places: 50% <off> é*~+/="),
		ProjectMaxDatasetCount:  ptr(int64(12)),
		DatasetMaxBindCount:     ptr(int64(5)),
		DatasetMaxFileCount:     ptr(int64(3000)),
		DatasetMaxEntityCount:   ptr(int64(9007199254740993)), // 2^53+1
		DatasetMaxRelationCount: ptr(int64(9223372036854775807)),
		DatasetMaxTotalFileSize: ptr(int64(90000000000000000)),
		Tag:                     []Tag{{Key: "k1", Value: "v1"}, {Key: "k 2*~", Value: "v/é&=<>"}},
	}
}

// fullCreateProjectParams is what the official SDK sends for
// fullCreateProject: every value as text, Tag as its JSON text without HTML
// escaping.
func fullCreateProjectParams(name string) map[string]string {
	return map[string]string{
		"ProjectName":             name,
		"ServiceRole":             "AliyunIMMBatchTriggerRole",
		"TemplateId":              "Official:ImageManagement",
		"Description":             "Faces & places: 50% <off> é*~+/=",
		"ProjectMaxDatasetCount":  "12",
		"DatasetMaxBindCount":     "5",
		"DatasetMaxFileCount":     "3000",
		"DatasetMaxEntityCount":   "9007199254740993",
		"DatasetMaxRelationCount": "9223372036854775807",
		"DatasetMaxTotalFileSize": "90000000000000000",
		"Tag":                     `[{"Key":"k1","Value":"v1"},{"Key":"k 2*~","Value":"v/é&=<>"}]`,
	}
}

func TestEmulatorProjectLifecycleSendsSDKParamsAndDecodesAnswersUnderV3AndV2(t *testing.T) {
	for _, sig := range []struct {
		name string
		opts []clientOption
	}{
		{"V3 ACS3-HMAC-SHA256 (default)", nil},
		{"V2 HMAC-SHA1", []clientOption{withV2Signature}},
	} {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{})
			c := env.client(sig.opts...)
			ctx := testCtx(t)

			want := Project{
				ProjectName:             "photos",
				ServiceRole:             "AliyunIMMBatchTriggerRole",
				TemplateId:              "Official:ImageManagement",
				Description:             "Faces & places: 50% <off> é*~+/=",
				CreateTime:              serviceTime(emuStart),
				UpdateTime:              serviceTime(emuStart),
				ProjectQueriesPerSecond: 100,
				EngineConcurrency:       100,
				ProjectMaxDatasetCount:  12,
				DatasetMaxBindCount:     5,
				DatasetMaxFileCount:     3000,
				DatasetMaxEntityCount:   9007199254740993,
				DatasetMaxRelationCount: 9223372036854775807,
				DatasetMaxTotalFileSize: 90000000000000000,
				Tags:                    []ProjectTag{{"k1", "v1"}, {"k 2*~", "v/é&=<>"}},
			}

			created, err := c.CreateProject(ctx, fullCreateProject("photos"))
			if err != nil {
				t.Fatalf("CreateProject: %v", err)
			}
			if !reflect.DeepEqual(*created, want) {
				t.Errorf("CreateProject returned\n%+v\nwant\n%+v", *created, want)
			}
			checkParams(t, env.lastRequest("CreateProject"), fullCreateProjectParams("photos"))

			got, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "photos", WithStatistics: ptr(true)})
			if err != nil {
				t.Fatalf("GetProject: %v", err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("GetProject returned\n%+v\nwant\n%+v", *got, want)
			}
			checkParams(t, env.lastRequest("GetProject"), map[string]string{"ProjectName": "photos", "WithStatistics": "true"})

			page, err := c.ListProjects(ctx, ListProjectsRequest{MaxResults: ptr(int64(10)), Prefix: "pho", Tag: []Tag{{Key: "k1", Value: "v1"}}})
			if err != nil {
				t.Fatalf("ListProjects: %v", err)
			}
			if len(page.Projects) != 1 || !reflect.DeepEqual(page.Projects[0], want) || page.NextToken != "" {
				t.Errorf("ListProjects returned %+v, want just %+v and no NextToken", page, want)
			}
			if page.RequestId == "" || page.RequestId != env.lastRequestID() {
				t.Errorf("ListProjects RequestId = %q, want the emulator's %q", page.RequestId, env.lastRequestID())
			}
			checkParams(t, env.lastRequest("ListProjects"), map[string]string{
				"MaxResults": "10", "Prefix": "pho", "Tag": `[{"Key":"k1","Value":"v1"}]`,
			})

			// An update sends only what it sets, and Tag=[] clears the tags.
			env.advance(time.Minute)
			updated, err := c.UpdateProject(ctx, UpdateProjectRequest{ProjectName: "photos", Description: ptr("照片"), Tag: []Tag{}})
			if err != nil {
				t.Fatalf("UpdateProject: %v", err)
			}
			want.Description, want.Tags, want.UpdateTime = "照片", []ProjectTag{}, serviceTime(emuStart.Add(time.Minute))
			if !reflect.DeepEqual(*updated, want) {
				t.Errorf("UpdateProject returned\n%+v\nwant\n%+v", *updated, want)
			}
			checkParams(t, env.lastRequest("UpdateProject"), map[string]string{"ProjectName": "photos", "Description": "照片", "Tag": "[]"})

			// Fields left nil stay as they are.
			updated, err = c.UpdateProject(ctx, UpdateProjectRequest{ProjectName: "photos", DatasetMaxBindCount: ptr(int64(7))})
			if err != nil {
				t.Fatalf("UpdateProject: %v", err)
			}
			want.DatasetMaxBindCount = 7
			if !reflect.DeepEqual(*updated, want) {
				t.Errorf("UpdateProject(DatasetMaxBindCount) returned\n%+v\nwant\n%+v", *updated, want)
			}
			checkParams(t, env.lastRequest("UpdateProject"), map[string]string{"ProjectName": "photos", "DatasetMaxBindCount": "7"})

			if err := c.DeleteProject(ctx, "photos"); err != nil {
				t.Fatalf("DeleteProject: %v", err)
			}
			checkParams(t, env.lastRequest("DeleteProject"), map[string]string{"ProjectName": "photos"})
			if _, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "photos"}); !IsNotFound(err) {
				t.Errorf("GetProject after DeleteProject: err = %v, want ResourceNotFound", err)
			}

			// One attempt per call, each verified under the default key.
			log := env.requests("")
			if len(log) != 7 {
				t.Errorf("the emulator logged %d requests, want 7: %+v", len(log), summarize(log))
			}
			for _, r := range log {
				if r.AccessKeyId != emulator.DefaultAccessKeyID {
					t.Errorf("%s was signed with %q, want %q", r.Action, r.AccessKeyId, emulator.DefaultAccessKeyID)
				}
			}
		})
	}
}

func TestEmulatorProjectDefaultsAreLeftToIMMWhenNotSent(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	p, err := c.CreateProject(testCtx(t), CreateProjectRequest{ProjectName: "bare"})
	if err != nil {
		t.Fatalf("CreateProject: %v", err)
	}
	checkParams(t, env.lastRequest("CreateProject"), map[string]string{"ProjectName": "bare"})
	// IMM's documented defaults (imm-api.md §5.1), as the emulator applies
	// them.
	if p.ServiceRole != "AliyunIMMDefaultRole" || p.DatasetMaxTotalFileSize != 90000000000000000 ||
		p.DatasetMaxRelationCount != 100000000000 || p.DatasetMaxEntityCount != 10000000000 ||
		p.ProjectMaxDatasetCount != 1000000000 || p.Tags == nil || len(p.Tags) != 0 {
		t.Errorf("CreateProject with only a name returned %+v, want IMM's defaults and no tags", *p)
	}
}

func TestEmulatorDeleteProjectWithDatasetsIsRefusedWithoutRetry(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client(withMaxRetries(5))
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	env.clear()

	err := c.DeleteProject(testCtx(t), "p")
	e := asError(t, err)
	if e.Code != CodeInvalidArgument || e.StatusCode != 400 || IsRetryable(err) || IsNotFound(err) {
		t.Errorf("DeleteProject of a project with a dataset: %+v, want a non-retryable 400 InvalidArgument", *e)
	}
	if n := len(env.requests("DeleteProject")); n != 1 {
		t.Errorf("DeleteProject was sent %d times, want once", n)
	}
	if _, err := c.GetProject(testCtx(t), GetProjectRequest{ProjectName: "p"}); err != nil {
		t.Errorf("the project is gone after a refused delete: %v", err)
	}
}
