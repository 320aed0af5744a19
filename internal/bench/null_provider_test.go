package bench

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestTheReferenceStoresThePlanWithUnknownValuesAsNull(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"project_name": tftypes.String,
		"create_time":  tftypes.String,
		"tags":         tftypes.Map{ElementType: tftypes.String},
	}}
	plan := tftypes.NewValue(typ, map[string]tftypes.Value{
		"project_name": tftypes.NewValue(tftypes.String, "p"),
		"create_time":  tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"tags":         tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"env": tftypes.NewValue(tftypes.String, "bench")}),
	})
	want := tftypes.NewValue(typ, map[string]tftypes.Value{
		"project_name": tftypes.NewValue(tftypes.String, "p"),
		"create_time":  tftypes.NewValue(tftypes.String, nil),
		"tags":         tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"env": tftypes.NewValue(tftypes.String, "bench")}),
	})
	if got := knownOrNull(plan); !got.Equal(want) {
		t.Errorf("got %s, want %s", got, want)
	}
}
