package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestBuildPartialUpdateSendsOnlyWhatChanged(t *testing.T) {
	tags := func(kv ...string) types.Map {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		v, _ := types.MapValueFrom(context.Background(), types.StringType, m)
		return v
	}
	state := projectModel{projectFields: projectFields{
		ProjectName:         types.StringValue("p"),
		Description:         types.StringValue("old"),
		ServiceRole:         types.StringValue("AliyunIMMDefaultRole"),
		TemplateID:          types.StringValue(""),
		DatasetMaxBindCount: types.Int64Value(10),
		Tags:                tags("env", "dev", "team", "media"),
	}}
	tests := []struct {
		name        string
		edit        func(*projectModel)
		wantChanged []string
		want        imm.UpdateProjectRequest
	}{
		{"no change, no field", func(*projectModel) {}, nil, imm.UpdateProjectRequest{ProjectName: "p"}},
		{"description only",
			func(m *projectModel) { m.Description = types.StringValue("new") },
			[]string{"description"},
			imm.UpdateProjectRequest{ProjectName: "p", Description: ptr("new")}},
		{"one tag changes: the whole desired set is sent",
			func(m *projectModel) { m.Tags = tags("env", "prod", "team", "media") },
			[]string{"tags"},
			imm.UpdateProjectRequest{ProjectName: "p", Tag: []imm.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "media"}}}},
		{"tags removed: an empty list clears them",
			func(m *projectModel) { m.Tags = types.MapNull(types.StringType) },
			[]string{"tags"},
			imm.UpdateProjectRequest{ProjectName: "p", Tag: []imm.Tag{}}},
		{"a number and a string",
			func(m *projectModel) {
				m.DatasetMaxBindCount = types.Int64Value(3)
				m.ServiceRole = types.StringValue("MyRole")
			},
			[]string{"service_role", "dataset_max_bind_count"},
			imm.UpdateProjectRequest{ProjectName: "p", ServiceRole: ptr("MyRole"), DatasetMaxBindCount: ptr(int64(3))}},
		{"an unknown planned value (argument left out) is not a change",
			func(m *projectModel) { m.Description = types.StringUnknown() },
			nil,
			imm.UpdateProjectRequest{ProjectName: "p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := state
			tt.edit(&plan)
			req := imm.UpdateProjectRequest{ProjectName: "p"}
			changed := buildPartialUpdate(&req, &plan, &state, projectUpdatableAttributes)
			if !reflect.DeepEqual(changed, tt.wantChanged) {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if !reflect.DeepEqual(req, tt.want) {
				t.Errorf("request = %+v, want %+v", req, tt.want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
