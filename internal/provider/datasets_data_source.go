package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &datasetsDataSource{}
	_ datasource.DataSourceWithConfigure = &datasetsDataSource{}
)

// NewDatasetsDataSource is the imm_datasets data source.
func NewDatasetsDataSource() datasource.DataSource { return &datasetsDataSource{} }

type datasetsDataSource struct{ dataSourceConfigured }

type datasetsDataSourceModel struct {
	ProjectName types.String    `tfsdk:"project_name"`
	Prefix      types.String    `tfsdk:"prefix"`
	Datasets    []datasetFields `tfsdk:"datasets"`
	Names       []string        `tfsdk:"names"`
}

func (d *datasetsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_datasets"
}

func (d *datasetsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a project's IMM datasets, every page of them, in name order.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose datasets are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"prefix": schema.StringAttribute{
				MarkdownDescription: "Only datasets whose name starts with this, at most 128 characters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 128)},
			},
			"datasets": listOf("The datasets found.", computedAttributes(NewDatasetResource(), "force_destroy")),
			"names":    namesOf("The names of the datasets found, in the same order."),
		},
	}
}

func (d *datasetsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m datasetsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := m.ProjectName.ValueString()
	datasets, err := d.data.client.ListAllDatasets(ctx, imm.ListDatasetsRequest{ProjectName: project, Prefix: m.Prefix.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing datasets of", "project", project, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no project %s in this region (or IMM does not show a project created moments ago yet).", project)))
		return
	}
	m.Datasets = make([]datasetFields, len(datasets))
	m.Names = make([]string, len(datasets))
	for i := range datasets {
		flattenDataset(&datasets[i], &m.Datasets[i])
		m.Names[i] = datasets[i].DatasetName
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
