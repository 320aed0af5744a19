package emulator

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDatasetLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, fake := startFake(t, Options{})
			c := newClient(t, srv, tc.opts...)
			mustCreateProject(c, "p")
			d := object(t, c.must("CreateDataset", map[string]string{
				"ProjectName": "p", "DatasetName": "d", "Description": "faces",
				"WorkflowParameters": `[{"Name":"n","Value":"v"}]`,
			}), "Dataset")
			want := map[string]string{
				"BindCount": "0", "FileCount": "0", "TotalFileSize": "0",
				"DatasetMaxBindCount": "10", "DatasetMaxFileCount": "100000000", "DatasetMaxEntityCount": "10000000000",
				"DatasetMaxRelationCount": "100000000000", "DatasetMaxTotalFileSize": "90000000000000000",
			}
			for k, v := range want {
				if got := num(t, d[k]); got != v {
					t.Errorf("%s = %s, want %s", k, got, v)
				}
			}
			if d["ProjectName"] != "p" || d["DatasetName"] != "d" || d["Description"] != "faces" || d["CreateTime"] != d["UpdateTime"] {
				t.Errorf("dataset = %v", d)
			}
			if wp := arrayOf(t, d, "WorkflowParameters"); len(wp) != 1 || itemOf(t, wp, 0)["Name"] != "n" {
				t.Errorf("WorkflowParameters = %v", d["WorkflowParameters"])
			}

			fake.Advance(time.Second)
			u := object(t, c.must("UpdateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxBindCount": "3"}), "Dataset")
			if num(t, u["DatasetMaxBindCount"]) != "3" || u["Description"] != "faces" || u["UpdateTime"] == u["CreateTime"] {
				t.Errorf("updated dataset = %v", u)
			}
			g := object(t, c.must("GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "WithStatistics": "true"}), "Dataset")
			if num(t, g["DatasetMaxBindCount"]) != "3" {
				t.Errorf("GetDataset after update = %v", g)
			}
			if p := object(t, c.must("GetProject", map[string]string{"ProjectName": "p"}), "Project"); num(t, p["DatasetCount"]) != "1" {
				t.Errorf("DatasetCount = %v", p["DatasetCount"])
			}
			c.must("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"})
			se := c.fails("GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "ResourceNotFound")
			if !strings.Contains(se.Message, "dataset is not found") {
				t.Errorf("message %q", se.Message)
			}
		})
	}
}

func TestDatasetErrors(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	se := c.fails("CreateDataset", map[string]string{"ProjectName": "nope", "DatasetName": "d"}, 400, "ResourceNotFound")
	if !strings.Contains(se.Message, "project is not found") {
		t.Errorf("message %q, want the missing project named", se.Message)
	}
	c.must("CreateProject", map[string]string{"ProjectName": "p", "ProjectMaxDatasetCount": "2"})
	mustCreateDataset(c, "p", "d1")
	c.fails("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d1"}, 400, "ResourceAlreadyExists")
	mustCreateDataset(c, "p", "d2")
	se = c.fails("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d3"}, 400, "LimitExceededError")
	if !strings.Contains(se.Message, "ProjectMaxDatasetCount") {
		t.Errorf("quota message %q", se.Message)
	}
	c.fails("UpdateDataset", map[string]string{"ProjectName": "p", "DatasetName": "zz"}, 400, "ResourceNotFound")
	c.fails("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "zz"}, 400, "ResourceNotFound")
	c.fails("ListDatasets", map[string]string{"ProjectName": "nope"}, 400, "ResourceNotFound")

	if err := srv.AddFiles("p", "d1", []string{"oss://bucket/a.jpg"}); err != nil {
		t.Fatal(err)
	}
	se = c.fails("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d1"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "file") {
		t.Errorf("DeleteDataset on a dataset with files says %q", se.Message)
	}
	if err := srv.RemoveFiles("p", "d1", nil); err != nil {
		t.Fatal(err)
	}
	c.must("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d1"})
}

func TestDatasetParameterValidation(t *testing.T) {
	runValidationCases(t, []validationCase{
		{"missing DatasetName", "CreateDataset", map[string]string{"ProjectName": "p"}, "InvalidArgument", "The parameter DatasetName is required but not provided."},
		{"missing ProjectName", "GetDataset", map[string]string{"DatasetName": "d"}, "InvalidArgument", "The parameter ProjectName is required"},
		{"bad DatasetName", "CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "9d"}, "InvalidArgument", "DatasetName is invalid"},
		{"DatasetName of 129 characters", "CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d" + strings.Repeat("x", 128)}, "InvalidArgument", "DatasetName is invalid"},
		{"description of 257 characters", "UpdateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "Description": strings.Repeat("x", 257)}, "InvalidArgument", "Description"},
		{"DatasetMaxBindCount 0", "CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxBindCount": "0"}, "InvalidArgument", "DatasetMaxBindCount must be between 1 and 10"},
		{"DatasetMaxFileCount too large", "CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxFileCount": "100000001"}, "InvalidArgument", "DatasetMaxFileCount must be between 1 and 100000000"},
		{"DatasetMaxTotalFileSize malformed", "UpdateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxTotalFileSize": "1e9"}, "InvalidArgument", "must be an integer"},
		{"WorkflowParameters not JSON", "CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "WorkflowParameters": "[{"}, "InvalidJSON", "WorkflowParameters"},
		{"WithStatistics malformed", "GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "WithStatistics": "1"}, "InvalidArgument", "true or false"},
		{"ListDatasets MaxResults 201", "ListDatasets", map[string]string{"ProjectName": "p", "MaxResults": "201"}, "InvalidArgument", "MaxResults must be between 0 and 200"},
		{"ListDatasets Prefix too long", "ListDatasets", map[string]string{"ProjectName": "p", "Prefix": strings.Repeat("x", 129)}, "InvalidArgument", "Prefix"},
	})
}

func TestListDatasetsPagesWithPrefix(t *testing.T) {
	for _, maxPageSize := range []int{0, 2} {
		t.Run(fmt.Sprintf("MaxPageSize=%d", maxPageSize), func(t *testing.T) {
			srv := startServer(t, Options{MaxPageSize: maxPageSize})
			c := newClient(t, srv)
			mustCreateProject(c, "p")
			mustCreateProject(c, "q")
			for _, d := range []string{"img5", "img1", "vid", "img3", "img2", "img4"} {
				mustCreateDataset(c, "p", d)
			}
			mustCreateDataset(c, "q", "img0")
			var got []string
			pages := 0
			token := ""
			for {
				params := map[string]string{"ProjectName": "p", "Prefix": "img", "MaxResults": "3"}
				if token != "" {
					params["NextToken"] = token
				}
				body := c.must("ListDatasets", params)
				got = append(got, names(t, arrayOf(t, body, "Datasets"), "DatasetName")...)
				pages++
				var ok bool
				if token, ok = body["NextToken"].(string); !ok {
					break
				}
			}
			if fmt.Sprint(got) != "[img1 img2 img3 img4 img5]" {
				t.Errorf("listed %v", got)
			}
			wantPages := 2
			if maxPageSize == 2 {
				wantPages = 3
			}
			if pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
			// A token from project p does not page project q.
			first := c.must("ListDatasets", map[string]string{"ProjectName": "p", "MaxResults": "1"})
			c.fails("ListDatasets", map[string]string{"ProjectName": "q", "NextToken": text(t, first, "NextToken")}, 400, "InvalidArgument")
		})
	}
}

func TestAddFilesCountsAndLimits(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	c.must("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxFileCount": "2"})
	if err := srv.AddFiles("p", "d", []string{"oss://b/1", "oss://b/1", "oss://b/2"}); err != nil {
		t.Fatal(err)
	}
	d := object(t, c.must("GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "Dataset")
	if num(t, d["FileCount"]) != "2" {
		t.Errorf("FileCount = %v, want 2 (duplicates count once)", d["FileCount"])
	}
	if err := srv.AddFiles("p", "d", []string{"oss://b/3"}); err == nil || !strings.Contains(err.Error(), "LimitExceededError") {
		t.Errorf("a third file under DatasetMaxFileCount 2: %v", err)
	}
	if err := srv.AddFiles("p", "nope", []string{"oss://b/3"}); err == nil {
		t.Error("AddFiles to a missing dataset succeeded")
	}
	if err := srv.AddFiles("p", "d", []string{""}); err == nil {
		t.Error("an empty URI was accepted")
	}
}
