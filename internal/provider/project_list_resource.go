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
	_ list.ListResource              = &projectListResource{}
	_ list.ListResourceWithConfigure = &projectListResource{}
)

// NewProjectListResource is the imm_project list resource.
func NewProjectListResource() list.ListResource {
	return &projectListResource{projectResource: newProjectResource()}
}

type projectListResource struct{ *projectResource }

type projectListModel struct {
	Prefix types.String `tfsdk:"prefix"`
	Tags   types.Map    `tfsdk:"tags"`
}

func (l *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the region's IMM projects, every page of them, in name order.",
		Attributes: map[string]schema.Attribute{
			"prefix": schema.StringAttribute{
				MarkdownDescription: "Only projects whose name starts with this, at most 128 characters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 128)},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Only projects that carry every one of these tags, with these values.",
				ElementType:         types.StringType,
				Optional:            true,
			},
		},
	}
}

func (l *projectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config projectListModel
	diags := req.Config.Get(ctx, &config)
	tags, tagDiags := expandTags(ctx, config.Tags, false)
	diags.Append(tagDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	listReq := imm.ListProjectsRequest{Prefix: config.Prefix.ValueString(), Tag: tags}
	streamPages(ctx, &l.resourceType, req, stream, listing[projectModel, imm.Project]{
		page: func(ctx context.Context, token string) ([]imm.Project, string, error) {
			listReq.NextToken = token
			page, err := l.data.client.ListProjects(ctx, listReq)
			if err != nil {
				return nil, "", err
			}
			return page.Projects, page.NextToken, nil
		},
		toModel: func(p imm.Project) (projectModel, diag.Diagnostics) {
			// As an import reads it: no prior state.
			none := projectModel{projectFields: projectFields{Tags: types.MapNull(types.StringType)}, TagsAll: types.MapNull(types.StringType)}
			m := projectModel{ForceDestroy: types.BoolValue(false)}
			var diags diag.Diagnostics
			if err := l.flatten(ctx, &p, &m, none); err != nil {
				diags.AddError("Could not read IMM's answer", err.Error())
			}
			return m, diags
		},
		display: func(p imm.Project) string { return p.ProjectName },
	})
}
