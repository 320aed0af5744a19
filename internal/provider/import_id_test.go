package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func TestParseImportID(t *testing.T) {
	tests := []struct {
		id      string
		names   []string
		want    []string
		wantErr string
	}{
		{"proj/data", []string{"project_name", "dataset_name"}, []string{"proj", "data"}, ""},
		{"proj/data/Cluster-1", []string{"project_name", "dataset_name", "object_id"}, []string{"proj", "data", "Cluster-1"}, ""},
		{"proj", []string{"project_name", "dataset_name"}, nil, "must be project_name/dataset_name"},
		{"proj/", []string{"project_name", "dataset_name"}, nil, "dataset_name is empty"},
		{"a/b/c", []string{"project_name", "dataset_name"}, nil, "must be project_name/dataset_name"},
		// A last part named uri takes the rest, slashes included, and must
		// be oss://<bucket>; the others stay strict.
		{"proj/data/oss://photos", []string{"project_name", "dataset_name", "uri"}, []string{"proj", "data", "oss://photos"}, ""},
		{"proj/data/oss://photos/2026/", []string{"project_name", "dataset_name", "uri"}, nil, "uri must be oss://<bucket> with no path"},
		{"proj/oss://photos", []string{"project_name", "dataset_name", "uri"}, nil, "dataset_name must start with a letter"},
		{"proj/data/", []string{"project_name", "dataset_name", "uri"}, nil, "uri is empty"},
		{"proj//oss://photos", []string{"project_name", "dataset_name", "uri"}, nil, "dataset_name is empty"},
		{"proj/data", []string{"project_name", "dataset_name", "uri"}, nil, "must be project_name/dataset_name/uri"},
		{"proj/data/photos", []string{"project_name", "dataset_name", "uri"}, nil, "uri must be oss://<bucket>"},
		{"proj/data/Cluster-1/x", []string{"project_name", "dataset_name", "object_id"}, nil, "must be project_name/dataset_name/object_id"},
		{"photos", []string{"oss_bucket"}, []string{"photos"}, ""},
		{"photos/x", []string{"oss_bucket"}, nil, "must be oss_bucket"},
		{"Photos", []string{"oss_bucket"}, nil, "oss_bucket must be an OSS bucket name"},
	}
	for _, tt := range tests {
		got, err := parseImportID(tt.id, tt.names...)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseImportID(%q) error = %v, want %q", tt.id, err, tt.wantErr)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("parseImportID(%q) = %v, %v; want %v", tt.id, got, err, tt.want)
		}
	}
	if err := checkName("project_name", "9bad"); err == nil || !strings.Contains(err.Error(), "must start with a letter") {
		t.Errorf("checkName(9bad) = %v", err)
	}
	if err := checkName("project_name", "_good-name1"); err != nil {
		t.Errorf("checkName(_good-name1) = %v", err)
	}
}

func TestImportIDFormatParsesAndBuildsBackTheSameID(t *testing.T) {
	binding := importIDFormat{attributes: []string{"project_name", "dataset_name", "uri"}}
	cluster := importIDFormats()["imm_figure_cluster"]
	tests := []struct {
		name    string
		format  importIDFormat
		id      string
		want    []string
		wantErr string
	}{
		{"cluster", cluster, "proj/data/Cluster-1", []string{"proj", "data", "Cluster-1"}, ""},
		{"cluster with a slash too many", cluster, "proj/data/Cluster-1/x", nil, "must be project_name/dataset_name/object_id"},
		{"a URI keeps its slashes", binding, "proj/data/oss://bucket", []string{"proj", "data", "oss://bucket"}, ""},
		{"a URI with a path is refused (a binding covers a whole bucket)", binding, "proj/data/oss://bucket/in/", nil, "uri must be oss://<bucket> with no path"},
		{"a binding without its URI", binding, "proj/data", nil, "must be project_name/dataset_name/uri"},
		{"a URI that is empty", binding, "proj/data/", nil, "uri is empty"},
		{"a project name that breaks IMM's rule", binding, "9proj/data/oss://bucket", nil, "project_name must start with a letter"},
		{"a dataset name that breaks IMM's rule", cluster, "proj/da.ta/Cluster-1", nil, "dataset_name must start with a letter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.format.parse(tt.id)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parse(%q) error = %v, want %q", tt.id, err, tt.wantErr)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("parse(%q) = %q, %v; want %q", tt.id, got, err, tt.want)
			}
			back, err := tt.format.build(got)
			if err != nil || back != tt.id {
				t.Errorf("build(parse(%q)) = %q, %v; want the same ID", tt.id, back, err)
			}
		})
	}
}

func TestImportIDFormatRefusesToBuildAnIDThatWouldNotParseBack(t *testing.T) {
	binding := importIDFormat{attributes: []string{"project_name", "dataset_name", "uri"}}
	cluster := importIDFormats()["imm_figure_cluster"]
	tests := []struct {
		format  importIDFormat
		values  []string
		wantErr string
	}{
		{cluster, []string{"proj", "data"}, "needs 3 values, got 2"},
		{cluster, []string{"proj", "", "Cluster-1"}, "dataset_name must not be empty"},
		{cluster, []string{"proj", "data", "Cluster/1"}, `object_id must not contain "/"`},
		{binding, []string{"proj", "da/ta", "oss://bucket"}, `dataset_name must not contain "/"`},
		{binding, []string{"pro ject", "data", "oss://bucket"}, "project_name must start with a letter"},
	}
	for _, tt := range tests {
		if _, err := tt.format.build(tt.values); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("build(%q) error = %v, want %q", tt.values, err, tt.wantErr)
		}
	}
}

// The provider functions read importIDFormats, which the resources'
// descriptors make: this test checks that every importable resource has one,
// and that its ImportState takes what build_import_id builds.
func TestEveryImportableResourceImportsTheIDItsFormatBuilds(t *testing.T) {
	ctx := context.Background()
	sample := map[string]string{"project_name": "proj", "dataset_name": "data", "object_id": "Cluster-1", "uri": "oss://bucket",
		"id": "trigger-1", "oss_bucket": "bucket"}
	for _, newResource := range New("test")().Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "imm"}, &meta)
		importer, ok := r.(resource.ResourceWithImportState)
		if !ok {
			continue
		}
		format, known := importIDFormats()[meta.TypeName]
		if !known || len(format.attributes) == 0 {
			t.Errorf("%s imports by ID, but importIDFormats does not know its ID (it has no resourceType with idAttributes)", meta.TypeName)
			continue
		}
		values := make([]string, len(format.attributes))
		for i, a := range format.attributes {
			values[i] = sample[a]
		}
		id, err := format.build(values)
		if err != nil {
			t.Fatalf("%s: %v", meta.TypeName, err)
		}
		var sch resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sch)
		resp := resource.ImportStateResponse{State: stateWith(t, sch.Schema, nil)}
		importer.ImportState(ctx, resource.ImportStateRequest{ID: id}, &resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%s: ImportState(%q): %v", meta.TypeName, id, resp.Diagnostics)
			continue
		}
		for i, a := range format.attributes {
			var got string
			resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root(a), &got)...)
			if got != values[i] {
				t.Errorf("%s: ImportState(%q) set %s = %q, want %q", meta.TypeName, id, a, got, values[i])
			}
		}
	}
	for _, want := range []string{"imm_project", "imm_dataset", "imm_figure_cluster", "imm_binding", "imm_oss_bucket_attachment"} {
		if !slices.Contains(importIDResourceTypes(), want) {
			t.Errorf("importIDFormats has no %s: %v", want, importIDResourceTypes())
		}
	}
}
