package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ list.ListResource              = &triggerListResource{}
	_ list.ListResourceWithConfigure = &triggerListResource{}
)

// NewTriggerListResource is the imm_trigger list resource.
func NewTriggerListResource() list.ListResource {
	return &triggerListResource{triggerResource: newTriggerResource()}
}

type triggerListResource struct{ *triggerResource }

type triggerListModel struct {
	ProjectName types.String `tfsdk:"project_name"`
	State       types.String `tfsdk:"state"`
	Tags        types.Map    `tfsdk:"tags"`
}

func (l *triggerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds a project's triggers, every page of them.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose triggers are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "Only triggers in this state: one of " + quotedList(triggerStates) + ".",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(triggerStates...)},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Only triggers that carry every one of these tags, with these values.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Map{labelQueryKeys()},
			},
		},
	}
}

func (l *triggerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config triggerListModel
	diags := req.Config.Get(ctx, &config)
	tags, tagDiags := stringMap(ctx, config.Tags)
	diags.Append(tagDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	project := config.ProjectName.ValueString()
	listReq := imm.ListTriggersRequest{ProjectName: project, State: config.State.ValueString(), TagSelector: labelsQuery(tags)}
	streamPages(ctx, &l.resourceType, req, stream, listing[triggerModel, imm.DataIngestion]{
		page: func(ctx context.Context, token string) ([]imm.DataIngestion, string, error) {
			listReq.NextToken = token
			page, err := l.data.client.ListTriggers(ctx, listReq)
			if err != nil {
				return nil, "", err
			}
			return page.Triggers, page.NextToken, nil
		},
		toModel: func(d imm.DataIngestion) (triggerModel, diag.Diagnostics) {
			// As an import reads it: no prior state.
			none := triggerModel{triggerFields: nullTriggerFields(), TagsAll: types.MapNull(types.StringType)}
			var m triggerModel
			var diags diag.Diagnostics
			if err := l.flatten(ctx, &d, project, &m, none); err != nil {
				diags.AddError("Could not read IMM's answer", err.Error())
			}
			return m, diags
		},
		display: func(d imm.DataIngestion) string { return d.Id },
	})
}
