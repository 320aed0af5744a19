package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &projectsDataSource{}
	_ datasource.DataSourceWithConfigure = &projectsDataSource{}
)

// NewProjectsDataSource is the imm_projects data source.
func NewProjectsDataSource() datasource.DataSource { return &projectsDataSource{} }

type projectsDataSource struct{ dataSourceConfigured }

type projectsDataSourceModel struct {
	Prefix   types.String    `tfsdk:"prefix"`
	Tags     types.Map       `tfsdk:"tags"`
	Projects []projectFields `tfsdk:"projects"`
	Names    []string        `tfsdk:"names"`
}

func (d *projectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_projects"
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the region's IMM projects, every page of them, in name order.",
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
			"projects": listOf("The projects found.", computedAttributes(NewProjectResource(), "force_destroy", "tags_all")),
			"names":    namesOf("The names of the projects found, in the same order."),
		},
	}
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	tags, diags := expandTags(ctx, m.Tags, false)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	projects, err := d.data.client.ListAllProjects(ctx, imm.ListProjectsRequest{Prefix: m.Prefix.ValueString(), Tag: tags})
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing", "projects", m.Prefix.ValueString()+"*", err, "")
		return
	}
	m.Projects = make([]projectFields, len(projects))
	m.Names = make([]string, len(projects))
	for i := range projects {
		flattenProject(&projects[i], &m.Projects[i], emptyMap)
		m.Names[i] = projects[i].ProjectName
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
