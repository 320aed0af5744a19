package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// changedAttributes returns, in the given order, the attributes whose planned
// value differs from the prior state. An unknown planned value (an
// Optional+Computed argument left out of the configuration) is not a change:
// IMM keeps what it has. This is the one place that decides what an update
// sends; every resource builds its partial Update* request from its answer,
// and no answer means no call.
func changedAttributes(plan, state any, names []string) []string {
	var changed []string
	for _, name := range names {
		planned := attributeValue(plan, name)
		if planned.IsUnknown() {
			continue
		}
		if !planned.Equal(attributeValue(state, name)) {
			changed = append(changed, name)
		}
	}
	return changed
}

// updatableAttribute is an attribute that an Update* request can change, with
// the function that copies its planned value into the request.
type updatableAttribute[R, M any] struct {
	name string
	set  func(ctx context.Context, req *R, plan *M) diag.Diagnostics
}

// updatable is an updatable attribute whose value goes into the request as
// it is.
func updatable[R, M any](name string, set func(req *R, plan *M)) updatableAttribute[R, M] {
	return updatableAttribute[R, M]{name: name, set: func(_ context.Context, req *R, plan *M) diag.Diagnostics {
		set(req, plan)
		return nil
	}}
}

// updatableChecked is an updatable attribute whose value is converted on
// the way (a map into IMM's list), which can fail.
func updatableChecked[R, M any](name string, set func(ctx context.Context, req *R, plan *M) diag.Diagnostics) updatableAttribute[R, M] {
	return updatableAttribute[R, M]{name: name, set: set}
}

// attributeNames lists the names of updatable attributes.
func attributeNames[R, M any](attrs []updatableAttribute[R, M]) []string {
	names := make([]string, len(attrs))
	for i, a := range attrs {
		names[i] = a.name
	}
	return names
}

// buildPartialUpdate copies into req the planned value of every updatable
// attribute that changed, and returns their names. None changed: no call.
func buildPartialUpdate[R, M any](ctx context.Context, req *R, plan, state *M, attrs []updatableAttribute[R, M]) ([]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	changed := changedAttributes(plan, state, attributeNames(attrs))
	for _, a := range attrs {
		if slices.Contains(changed, a.name) {
			diags.Append(a.set(ctx, req, plan)...)
		}
	}
	return changed, diags
}
