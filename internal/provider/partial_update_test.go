package provider

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
		Tags:                tags("team", "media"),
	}, TagsAll: tags("env", "dev", "team", "media")} // env from default_tags
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
		{"one tag changes: the whole desired set is sent, default tags included",
			func(m *projectModel) {
				m.Tags = tags("team", "photo")
				m.TagsAll = tags("env", "dev", "team", "photo")
			},
			[]string{"tags_all"},
			imm.UpdateProjectRequest{ProjectName: "p", Tag: []imm.Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: "photo"}}}},
		{"a default tag changes: the whole set is sent",
			func(m *projectModel) { m.TagsAll = tags("env", "prod", "team", "media") },
			[]string{"tags_all"},
			imm.UpdateProjectRequest{ProjectName: "p", Tag: []imm.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "media"}}}},
		{"a tag moves from the defaults to the resource with its value: nothing to send",
			func(m *projectModel) { m.Tags = tags("env", "dev", "team", "media") },
			nil,
			imm.UpdateProjectRequest{ProjectName: "p"}},
		{"every tag removed: an empty list clears them",
			func(m *projectModel) {
				m.Tags = types.MapNull(types.StringType)
				m.TagsAll = tags()
			},
			[]string{"tags_all"},
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
			changed, diags := buildPartialUpdate(context.Background(), &req, &plan, &state, projectUpdatableAttributes)
			if diags.HasError() {
				t.Fatal(diags)
			}
			if !reflect.DeepEqual(changed, tt.wantChanged) {
				t.Errorf("changed = %v, want %v", changed, tt.wantChanged)
			}
			if !reflect.DeepEqual(req, tt.want) {
				t.Errorf("request = %+v, want %+v", req, tt.want)
			}
		})
	}
}

// TestEveryUpdatableAttributeSetsItsOwnField checks each resource's table of
// updatable attributes against its model and its request: every name is an
// attribute of the model, a change of that attribute alone is sent, and no
// two attributes write the same request field.
func TestEveryUpdatableAttributeSetsItsOwnField(t *testing.T) {
	t.Run("imm_project", func(t *testing.T) {
		checkUpdatableAttributes(t, projectModel{}, imm.UpdateProjectRequest{}, projectUpdatableAttributes)
	})
	t.Run("imm_dataset", func(t *testing.T) {
		checkUpdatableAttributes(t, datasetModel{}, imm.UpdateDatasetRequest{}, datasetUpdatableAttributes)
	})
	t.Run("imm_figure_cluster", func(t *testing.T) {
		checkUpdatableAttributes(t, figureClusterModel{}, imm.FigureClusterForReq{}, clusterUpdatableAttributes)
	})
	t.Run("imm_trigger", func(t *testing.T) {
		checkUpdatableAttributes(t, triggerModel{triggerFields: nullTriggerFields()}, imm.UpdateTriggerRequest{}, triggerUpdatableAttributes)
	})
}

func checkUpdatableAttributes[R, M any](t *testing.T, state M, empty R, attrs []updatableAttribute[R, M]) {
	t.Helper()
	fillNullValues(&state)
	written := map[string]string{} // request field -> attribute
	for _, a := range attrs {
		plan := state
		setAttributeValue(&plan, a.name, sampleValue(t, attributeValue(&plan, a.name)))
		req := empty
		changed, diags := buildPartialUpdate(context.Background(), &req, &plan, &state, attrs)
		if diags.HasError() {
			t.Fatalf("%s: %v", a.name, diags)
		}
		if !reflect.DeepEqual(changed, []string{a.name}) {
			t.Errorf("changing %s alone changed %v", a.name, changed)
		}
		fields := setFields(reflect.ValueOf(req), reflect.ValueOf(empty), "")
		if len(fields) == 0 {
			t.Errorf("changing %s wrote nothing into the request", a.name)
		}
		for _, f := range fields {
			if other, dup := written[f]; dup {
				t.Errorf("%s and %s both write the request's %s", other, a.name, f)
			}
			written[f] = a.name
		}
	}
}

// fillNullValues sets every attribute of a model (a pointer) to its type's
// null value, as state holds it.
func fillNullValues(model any) {
	forEachTag(model, func(name string) {
		if name == "timeouts" {
			return
		}
		v := attributeValue(model, name)
		setAttributeValue(model, name, nullOf(v))
	})
}

func nullOf(v attr.Value) attr.Value {
	switch v.(type) {
	case types.String:
		return types.StringNull()
	case types.Int64:
		return types.Int64Null()
	case types.Float64:
		return types.Float64Null()
	case types.Bool:
		return types.BoolNull()
	case types.Map:
		return types.MapNull(types.StringType)
	case types.Object, types.List:
		return nullValue(v) // of the same element or attribute types
	}
	panic(fmt.Sprintf("nullOf: %T", v))
}

// sampleValue is a known value of v's type that differs from null.
func sampleValue(t *testing.T, v attr.Value) attr.Value {
	switch tv := v.(type) {
	case types.String:
		return types.StringValue("changed")
	case types.Int64:
		return types.Int64Value(7)
	case types.Float64:
		return types.Float64Value(7)
	case types.Bool:
		return types.BoolValue(true)
	case types.Map:
		return types.MapValueMust(types.StringType, map[string]attr.Value{"k": types.StringValue("v")})
	case types.Object:
		return sampleObject(t, tv.AttributeTypes(context.Background()))
	case types.List:
		elem := tv.ElementType(context.Background())
		var sample attr.Value = types.StringValue("changed")
		if ot, ok := elem.(types.ObjectType); ok {
			sample = sampleObject(t, ot.AttrTypes)
		}
		return types.ListValueMust(elem, []attr.Value{sample})
	}
	t.Fatalf("sampleValue: %T", v)
	return nil
}

// sampleObject is an object of these attribute types whose every attribute
// holds a sample value.
func sampleObject(t *testing.T, attrTypes map[string]attr.Type) attr.Value {
	values := map[string]attr.Value{}
	for name, typ := range attrTypes {
		null, err := typ.ValueFromTerraform(context.Background(), tftypes.NewValue(typ.TerraformType(context.Background()), nil))
		if err != nil {
			t.Fatal(err)
		}
		values[name] = sampleValue(t, null)
	}
	v, diags := types.ObjectValue(attrTypes, values)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return v
}

// setFields names the fields of got (a request struct) that differ from
// empty, descending into nested structs and pointers to them.
func setFields(got, empty reflect.Value, prefix string) []string {
	var out []string
	for i := 0; i < got.NumField(); i++ {
		name := prefix + got.Type().Field(i).Name
		g, e := got.Field(i), empty.Field(i)
		if reflect.DeepEqual(g.Interface(), e.Interface()) {
			continue
		}
		if g.Kind() == reflect.Pointer && g.Elem().Kind() == reflect.Struct && e.IsNil() {
			out = append(out, setFields(g.Elem(), reflect.Zero(g.Elem().Type()), name+".")...)
			continue
		}
		out = append(out, name)
	}
	return out
}
