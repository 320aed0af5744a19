package provider

import (
	"strings"
	"testing"
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
