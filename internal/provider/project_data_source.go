package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &projectDataSource{}
	_ datasource.DataSourceWithConfigure = &projectDataSource{}
)

// NewProjectDataSource is the imm_project data source.
func NewProjectDataSource() datasource.DataSource { return &projectDataSource{} }

type projectDataSource struct{ dataSourceConfigured }

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewProjectResource(), "force_destroy", "tags_all")
	lookupArgument(attrs, "project_name", nameValidators()...)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an IMM project by name.",
		Attributes:          attrs,
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.ProjectName.ValueString()
	p, err := d.data.client.GetProject(ctx, imm.GetProjectRequest{ProjectName: name})
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "project", name, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no project %s in this region (or IMM does not show a project created moments ago yet).", name)))
		return
	}
	flattenProject(p, &m, emptyMap)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// emptyMap makes a data source show "no tags" as {} rather than null, so
// that it can be iterated without a null check.
var emptyMap = types.MapValueMust(types.StringType, nil)

// notFoundAdvice returns advice when err is IMM's ResourceNotFound.
func notFoundAdvice(err error, advice string) string {
	if imm.IsNotFound(err) {
		return advice
	}
	return ""
}
