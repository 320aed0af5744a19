package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &triggersDataSource{}
	_ datasource.DataSourceWithConfigure = &triggersDataSource{}
)

// NewTriggersDataSource is the imm_triggers data source.
func NewTriggersDataSource() datasource.DataSource { return &triggersDataSource{} }

type triggersDataSource struct{ dataSourceConfigured }

type triggersDataSourceModel struct {
	ProjectName types.String    `tfsdk:"project_name"`
	State       types.String    `tfsdk:"state"`
	Tags        types.Map       `tfsdk:"tags"`
	Triggers    []triggerFields `tfsdk:"triggers"`
	IDs         []string        `tfsdk:"ids"`
}

func (d *triggersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_triggers"
}

func (d *triggersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a project's IMM triggers, every page of them, oldest first.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose triggers are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "Only triggers in this state: `Ready`, `Running`, `Suspended`, `Failed` or `Succeeded`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(triggerStates...)},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Only triggers that carry every one of these custom tags, with exactly these values. " +
					"A key may not hold white space, `=`, `\"` or `\\`: IMM's tag selector cannot express such a key.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.UTF8LengthBetween(1, 128)), labelQueryKeys()},
			},
			"triggers": listOf("The triggers found.", computedAttributes(NewTriggerResource(), "tags_all")),
			"ids":      namesOf("The IDs of the triggers found, in the same order."),
		},
	}
}

func (d *triggersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m triggersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	tags, diags := stringMap(ctx, m.Tags)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := m.ProjectName.ValueString()
	triggers, err := d.data.client.ListAllTriggers(ctx, imm.ListTriggersRequest{ProjectName: project,
		State: m.State.ValueString(), TagSelector: labelsQuery(tags)})
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing triggers of", "project", project, err, notFoundAdvice(err,
			"There is no project "+project+" in this region (or IMM does not show a project created moments ago yet)."))
		return
	}
	m.Triggers = make([]triggerFields, len(triggers))
	m.IDs = make([]string, len(triggers))
	for i := range triggers {
		resp.Diagnostics.Append(flattenTrigger(ctx, &triggers[i], project, &m.Triggers[i], triggerLookupPrior())...)
		m.IDs[i] = triggers[i].Id
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
