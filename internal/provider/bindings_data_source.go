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
	_ datasource.DataSource              = &bindingsDataSource{}
	_ datasource.DataSourceWithConfigure = &bindingsDataSource{}
)

// NewBindingsDataSource is the imm_bindings data source.
func NewBindingsDataSource() datasource.DataSource { return &bindingsDataSource{} }

type bindingsDataSource struct{ dataSourceConfigured }

type bindingsDataSourceModel struct {
	ProjectName types.String    `tfsdk:"project_name"`
	DatasetName types.String    `tfsdk:"dataset_name"`
	Bindings    []bindingFields `tfsdk:"bindings"`
}

func (d *bindingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bindings"
}

func (d *bindingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the bindings of a dataset, or of every dataset of a project, every page of them, by " +
			"dataset name then URI.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose bindings are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: "Only the bindings of this dataset; all of the project's when left out.",
				Optional:            true,
				Validators:          nameValidators(),
			},
			"bindings": listOf("The bindings found.", computedAttributes(NewBindingResource())),
		},
	}
}

func (d *bindingsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m bindingsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project, dataset := m.ProjectName.ValueString(), m.DatasetName.ValueString()
	kind, id := "project", project
	if dataset != "" {
		kind, id = "dataset", project+"/"+dataset
	}
	bindings, err := d.data.client.ListAllBindings(ctx, imm.ListBindingsRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing bindings of", kind, id, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no %s %s (IMM's message says which is missing), or IMM does not show one created moments ago yet.", kind, id)))
		return
	}
	m.Bindings = make([]bindingFields, len(bindings))
	for i := range bindings {
		flattenBinding(&bindings[i], &m.Bindings[i])
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
