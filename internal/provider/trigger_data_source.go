package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

var (
	_ datasource.DataSource              = &triggerDataSource{}
	_ datasource.DataSourceWithConfigure = &triggerDataSource{}
)

// NewTriggerDataSource is the imm_trigger data source.
func NewTriggerDataSource() datasource.DataSource { return &triggerDataSource{} }

type triggerDataSource struct{ dataSourceConfigured }

func (d *triggerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_trigger"
}

func (d *triggerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewTriggerResource(), "tags_all")
	lookupArgument(attrs, "project_name", nameValidators()...)
	lookupArgument(attrs, "id", stringvalidator.RegexMatches(triggerIDPattern, "must be a trigger ID such as trigger-<uuid>"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one trigger of a project by its `id`.",
		Attributes:          attrs,
	}
}

func (d *triggerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m triggerFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, id := m.ProjectName.ValueString(), m.ID.ValueString()
	t, err := d.data.client.GetTrigger(ctx, project, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "trigger", project+"/"+id, err, notFoundAdvice(err,
			"IMM's message says whether the project or the trigger is missing; list a project's triggers with the "+
				"imm_triggers data source."))
		return
	}
	resp.Diagnostics.Append(flattenTrigger(ctx, t, project, &m, triggerLookupPrior())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// triggerLookupPrior is what a data source flattens over: no tags read as
// {} (iterable without a null check), and suspended as IMM's state says.
func triggerLookupPrior() triggerFields {
	prior := nullTriggerFields()
	prior.Tags = emptyMap
	return prior
}
