package imm

import (
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestEncodeParamsFollowsTheSDKWireFormat(t *testing.T) {
	tests := []struct {
		name string
		req  any
		want map[string]string
	}{
		{
			name: "only set fields are sent",
			req:  UpdateProjectRequest{ProjectName: "p", Description: ptr("d")},
			want: map[string]string{"ProjectName": "p", "Description": "d"},
		},
		{
			name: "int64 is exact",
			req:  UpdateProjectRequest{ProjectName: "p", DatasetMaxTotalFileSize: ptr(int64(90000000000000000))},
			want: map[string]string{"ProjectName": "p", "DatasetMaxTotalFileSize": "90000000000000000"},
		},
		{
			name: "an empty tag list is sent, to clear the tags",
			req:  UpdateProjectRequest{ProjectName: "p", Tag: []Tag{}},
			want: map[string]string{"ProjectName": "p", "Tag": "[]"},
		},
		{
			name: "shrink parameters are JSON without HTML escaping",
			req:  UpdateProjectRequest{ProjectName: "p", Tag: []Tag{{Key: "k 1*~+", Value: "v/é&="}}},
			want: map[string]string{"ProjectName": "p", "Tag": `[{"Key":"k 1*~+","Value":"v/é&="}]`},
		},
		{
			name: "booleans are text",
			req:  GetProjectRequest{ProjectName: "p", WithStatistics: ptr(true)},
			want: map[string]string{"ProjectName": "p", "WithStatistics": "true"},
		},
		{
			name: "nested structs omit nil fields and keep zero pointers",
			req: UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d", FigureCluster: FigureClusterForReq{
				ObjectId: "Cluster-1", MetaLockVersion: ptr(int64(0)), CustomLabels: &map[string]string{"b": "2", "a": "1"},
			}},
			want: map[string]string{"ProjectName": "p", "DatasetName": "d",
				"FigureCluster": `{"CustomLabels":{"a":"1","b":"2"},"MetaLockVersion":0,"ObjectId":"Cluster-1"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encodeParams(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d params %v, want %v", len(got), deref(got), tt.want)
			}
			for k, w := range tt.want {
				if g, ok := got[k]; !ok || *g != w {
					t.Errorf("%s = %v, want %q", k, deref(got)[k], w)
				}
			}
		})
	}
}

func deref(m map[string]*string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = *v
	}
	return out
}
