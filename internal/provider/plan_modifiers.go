package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// unknownWhenChanged keeps a computed string's state value unless the
// attribute it derives from changes, when it becomes unknown ("known after
// apply").
func unknownWhenChanged(source string) planmodifier.String {
	return unknownWhenChangedModifier{source: path.Root(source)}
}

type unknownWhenChangedModifier struct{ source path.Path }

func (m unknownWhenChangedModifier) Description(context.Context) string {
	return fmt.Sprintf("Keeps the value unless %s changes.", m.source)
}

func (m unknownWhenChangedModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m unknownWhenChangedModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() {
		return
	}
	var planned, prior types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, m.source, &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, m.source, &prior)...)
	if planned.IsUnknown() || !planned.Equal(prior) {
		return
	}
	resp.PlanValue = req.StateValue
}
