package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A computed attribute that IMM derives from some arguments (a cluster's
// cover_uri from cover_figure_id, a project's update_time from every
// argument an UpdateProject sends) is planned as known, with its state
// value, unless one of those arguments changes. Terraform would otherwise
// plan it as "(known after apply)" on any change of the resource, and every
// resource that refers to it would be planned for an update too.

// keepUnlessChanged keeps a computed string's state value unless one of the
// sources changes.
func keepUnlessChanged(sources ...string) planmodifier.String {
	return derivedValue{sources: sources}
}

// keepUnlessChangedInt64 is keepUnlessChanged for a number.
func keepUnlessChangedInt64(sources ...string) planmodifier.Int64 {
	return derivedValue{sources: sources}
}

type derivedValue struct{ sources []string }

func (m derivedValue) Description(context.Context) string {
	return fmt.Sprintf("Keeps the value unless %s changes.", strings.Join(m.sources, " or "))
}

func (m derivedValue) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m derivedValue) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	changed, diags := m.changed(req.Config, req.Plan, req.State)
	resp.Diagnostics.Append(diags...)
	if !changed && !diags.HasError() {
		resp.PlanValue = req.StateValue
	}
}

func (m derivedValue) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	changed, diags := m.changed(req.Config, req.Plan, req.State)
	resp.Diagnostics.Append(diags...)
	if !changed && !diags.HasError() {
		resp.PlanValue = req.StateValue
	}
}

// changed reports whether a source's planned value may differ from its
// state value. A source planned as unknown because the configuration
// leaves it out keeps its state value (every Optional+Computed argument
// of this provider uses UseStateForUnknown), whatever order Terraform runs
// the plan modifiers in.
func (m derivedValue) changed(config tfsdk.Config, plan tfsdk.Plan, state tfsdk.State) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, name := range m.sources {
		planned, errP := rawAttribute(plan.Raw, name)
		prior, errS := rawAttribute(state.Raw, name)
		configured, errC := rawAttribute(config.Raw, name)
		if err := errors.Join(errP, errS, errC); err != nil {
			diags.AddError("Could not plan a derived attribute", fmt.Sprintf("Reading %s: %v. This is a bug in the provider.", name, err))
			return true, diags
		}
		if !planned.IsKnown() {
			if !configured.IsNull() {
				return true, nil
			}
			continue
		}
		if !planned.Equal(prior) {
			return true, nil
		}
	}
	return false, nil
}

// rawAttribute is the top-level attribute name of a plan, state or
// configuration value.
func rawAttribute(raw tftypes.Value, name string) (tftypes.Value, error) {
	v, _, err := tftypes.WalkAttributePath(raw, tftypes.NewAttributePath().WithAttributeName(name))
	if err != nil {
		return tftypes.Value{}, err
	}
	value, ok := v.(tftypes.Value)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("%s is a %T, not a value", name, v)
	}
	return value, nil
}
