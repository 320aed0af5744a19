package imm

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// boundDataset is p/d bound to the bucket of photos, its scan done.
func boundDataset(t *testing.T, env *emuEnv, c *Client) {
	t.Helper()
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	if _, err := c.CreateBinding(testCtx(t), CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos"}); err != nil {
		t.Fatal(err)
	}
	env.advance(emulator.DefaultScanDuration)
}

func fileNames(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.URI)
	}
	return out
}

func TestEmulatorSimpleQuerySendsSDKParamsAndDecodesFiles(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{OSS: photos})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			boundDataset(t, env, c)

			req := SimpleQueryRequest{ProjectName: "p", DatasetName: "d", MaxResults: ptr(int64(2)),
				Query: &SimpleQuery{Operation: "or", SubQueries: []SimpleQuery{
					{Field: "URI", Operation: "eq", Value: "oss://photos/mei.jpg"},
					{Field: "URI", Operation: "prefix", Value: "oss://photos/k"},
				}}}
			page, err := c.SimpleQuery(ctx, req)
			if err != nil {
				t.Fatalf("SimpleQuery: %v", err)
			}
			checkParams(t, env.lastRequest("SimpleQuery"), map[string]string{"ProjectName": "p", "DatasetName": "d", "MaxResults": "2",
				"Query": `{"Operation":"or","SubQueries":[{"Field":"URI","Operation":"eq","Value":"oss://photos/mei.jpg"},{"Field":"URI","Operation":"prefix","Value":"oss://photos/k"}]}`})
			want := []File{
				{URI: "oss://photos/ken.jpg", ProjectName: "p", DatasetName: "d", ObjectType: "file", Filename: "ken.jpg", FigureCount: 1},
				{URI: "oss://photos/mei.jpg", ProjectName: "p", DatasetName: "d", ObjectType: "file", Filename: "mei.jpg", FigureCount: 1},
			}
			for i := range page.Files {
				if len(page.Files[i].Figures) != 1 || page.Files[i].Figures[0].FigureId == "" || page.Files[i].Figures[0].FigureType != "face" {
					t.Errorf("file %d's faces: %+v", i, page.Files[i].Figures)
				}
				page.Files[i].Figures = nil
			}
			if !reflect.DeepEqual(page.Files, want) || page.NextToken != "" || page.TotalHits == nil || *page.TotalHits != 2 || page.RequestId == "" {
				t.Errorf("SimpleQuery answered %+v (TotalHits %v), want %+v", page, page.TotalHits, want)
			}
			if w := env.lastWire(); !strings.Contains(w.query, "Query=") || w.body != "" {
				t.Errorf("SimpleQuery went as query %q body %q; the SDK sends it in the query", w.query, w.body)
			}
		})
	}
}

func TestEmulatorQueryAllFilesFollowsEveryPage(t *testing.T) {
	env := startEmulator(t, emulator.Options{OSS: photos, MaxPageSize: 1})
	c := env.client()
	boundDataset(t, env, c)
	env.clear()
	all, err := c.QueryAllFiles(testCtx(t), SimpleQueryRequest{ProjectName: "p", DatasetName: "d"})
	if err != nil {
		t.Fatalf("QueryAllFiles: %v", err)
	}
	if got := strings.Join(fileNames(all), ","); got != "oss://photos/ken.jpg,oss://photos/lake.jpg,oss://photos/mei.jpg" {
		t.Errorf("QueryAllFiles = %s", got)
	}
	reqs := env.requests("SimpleQuery")
	if len(reqs) != 3 || reqs[0].Params["NextToken"] != "" || reqs[1].Params["NextToken"] == "" || reqs[2].Params["NextToken"] == "" {
		t.Errorf("QueryAllFiles sent %d requests: %+v", len(reqs), reqs)
	}
}

func TestEmulatorDeleteFileMetaAndBatchDeleteFileMetaLetTheDatasetGo(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{OSS: photos})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			boundDataset(t, env, c)
			if err := c.DeleteBinding(ctx, DeleteBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos"}); err != nil {
				t.Fatal(err)
			}
			err := c.DeleteDataset(ctx, "p", "d")
			if e := asError(t, err); e.Code != CodeInvalidArgument || !strings.Contains(e.Message, "3 indexed file(s)") {
				t.Errorf("DeleteDataset with files: %+v", *e)
			}

			if err := c.DeleteFileMeta(ctx, DeleteFileMetaRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos/lake.jpg"}); err != nil {
				t.Fatalf("DeleteFileMeta: %v", err)
			}
			checkParams(t, env.lastRequest("DeleteFileMeta"), map[string]string{"ProjectName": "p", "DatasetName": "d", "URI": "oss://photos/lake.jpg"})

			files, err := c.QueryAllFiles(ctx, SimpleQueryRequest{ProjectName: "p", DatasetName: "d"})
			if err != nil || len(files) != 2 {
				t.Fatalf("files after DeleteFileMeta: %v, %v", fileNames(files), err)
			}
			if err := c.BatchDeleteFileMeta(ctx, BatchDeleteFileMetaRequest{ProjectName: "p", DatasetName: "d", URIs: fileNames(files)}); err != nil {
				t.Fatalf("BatchDeleteFileMeta: %v", err)
			}
			checkParams(t, env.lastRequest("BatchDeleteFileMeta"), map[string]string{"ProjectName": "p", "DatasetName": "d",
				"URIs": `["oss://photos/ken.jpg","oss://photos/mei.jpg"]`})
			if err := c.DeleteDataset(ctx, "p", "d"); err != nil {
				t.Errorf("DeleteDataset once its files went: %v", err)
			}
			err = c.DeleteFileMeta(ctx, DeleteFileMetaRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos/lake.jpg"})
			if !IsNotFound(err) {
				t.Errorf("DeleteFileMeta in a deleted dataset: %v, want ResourceNotFound", err)
			}
		})
	}
}

func TestDeleteAllFileMetaSendsBatchesOfAHundred(t *testing.T) {
	env := startEmulator(t, emulator.Options{OSS: photos})
	c := env.client()
	ctx := testCtx(t)
	boundDataset(t, env, c)
	uris := make([]string, 250)
	for i := range uris {
		uris[i] = fmt.Sprintf("oss://photos/%03d.jpg", i)
	}
	env.clear()
	if err := c.DeleteAllFileMeta(ctx, "p", "d", uris); err != nil {
		t.Fatalf("DeleteAllFileMeta: %v", err)
	}
	reqs := env.requests("BatchDeleteFileMeta")
	if len(reqs) != 3 {
		t.Fatalf("%d BatchDeleteFileMeta calls for 250 URIs, want 3", len(reqs))
	}
	for i, wantFirst := range []string{"000", "100", "200"} {
		if !strings.HasPrefix(reqs[i].Params["URIs"], `["oss://photos/`+wantFirst+`.jpg"`) {
			t.Errorf("batch %d starts %.40s, want with %s.jpg", i, reqs[i].Params["URIs"], wantFirst)
		}
	}
	env.clear()
	for _, n := range []int{0, 101} {
		err := c.BatchDeleteFileMeta(ctx, BatchDeleteFileMetaRequest{ProjectName: "p", DatasetName: "d", URIs: uris[:n]})
		if err == nil || IsRetryable(err) {
			t.Errorf("BatchDeleteFileMeta of %d URIs: %v, want a non-retryable error", n, err)
		}
	}
	if n := len(env.requests("")); n != 0 {
		t.Errorf("%d requests for batches the client refuses, want none", n)
	}
}
