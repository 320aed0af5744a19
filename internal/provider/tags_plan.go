package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A resource with tags plans tags_all itself, in its ModifyPlan: it is the
// resource's tags over the provider's default tags, known at plan time
// whenever the configuration's tags are, so that the plan shows exactly the
// set an apply sends (a default tag changed is an update of tags_all, not
// "known after apply").

// tagsAllAttribute is the computed tags_all of a resource whose tags the
// provider's default_tags complete. The resource's ModifyPlan plans it
// (planTagsAll).
func tagsAllAttribute(what string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: what,
		ElementType:         types.StringType,
		Computed:            true,
	}
}

// tagPlan is how a resource plans tags_all.
type tagPlan struct {
	// maxTags is IMM's limit on a whole set (20 for a project), 0 for none.
	maxTags int
	// derived are computed string attributes that IMM changes when the tags
	// change (update_time): unknown when tags_all changes.
	derived []string
	// fixedAfterCreate keeps tags_all as it was at the create unless the
	// resource is replaced: a clustering run's tags are those it started
	// with.
	fixedAfterCreate bool
}

// planTagsAll plans tags_all (ModifyPlan). A tag the resource sets that
// ignore_tags names is an error at the tags key: the read would leave it
// out, and the plan would never be empty.
func (p tagPolicy) planTagsAll(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, how tagPlan) {
	if req.Plan.Raw.IsNull() { // destroy
		return
	}
	var own, stateAll types.Map
	resp.Diagnostics.Append(resp.Plan.GetAttribute(ctx, path.Root("tags"), &own)...)
	exists := !req.State.Raw.IsNull()
	if exists {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("tags_all"), &stateAll)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if how.fixedAfterCreate && exists && len(resp.RequiresReplace) == 0 {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), stateAll)...)
		return
	}
	planned := types.MapUnknown(types.StringType)
	if !hasUnknown(own) {
		tags, diags := stringMap(ctx, own)
		resp.Diagnostics.Append(diags...)
		p.checkOwnTags(tags, how.maxTags, resp)
		planned = stringMapValue(p.withDefaults(tags))
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("tags_all"), planned)...)
	if exists && !planned.Equal(stateAll) {
		for _, name := range how.derived {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(name), types.StringUnknown())...)
		}
	}
}

// checkOwnTags refuses, at plan time, a resource tag that ignore_tags names,
// and a whole set over IMM's limit.
func (p tagPolicy) checkOwnTags(own map[string]string, maxTags int, resp *resource.ModifyPlanResponse) {
	for _, k := range slices.Sorted(maps.Keys(own)) {
		if by := p.ignoredBy(k); by != "" {
			resp.Diagnostics.AddAttributeError(path.Root("tags").AtMapKey(k), "Tag set and ignored",
				fmt.Sprintf("tags[%q] is named by the provider's ignore_tags.%s, which leaves the tag to something else: "+
					"the provider would set it and then never show it. Remove it from tags, or from ignore_tags.", k, by))
		}
	}
	if all := p.withDefaults(own); maxTags > 0 && len(all) > maxTags {
		resp.Diagnostics.AddAttributeError(path.Root("tags"), "Too many tags",
			tooManyTags(len(all), maxTags))
	}
}

// tooManyTags is the detail of the error for a whole set over IMM's limit.
func tooManyTags(n, limit int) string {
	return fmt.Sprintf("tags and the provider's default_tags make %d tags together (a key in both counts once); IMM "+
		"allows at most %d.", n, limit)
}
