package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &datasetDataSource{}
	_ datasource.DataSourceWithConfigure = &datasetDataSource{}
)

// NewDatasetDataSource is the imm_dataset data source.
func NewDatasetDataSource() datasource.DataSource { return &datasetDataSource{} }

type datasetDataSource struct{ dataSourceConfigured }

func (d *datasetDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dataset"
}

func (d *datasetDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewDatasetResource(), "force_destroy")
	lookupArgument(attrs, "project_name", nameValidators()...)
	lookupArgument(attrs, "dataset_name", nameValidators()...)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an IMM dataset by project and name.",
		Attributes:          attrs,
	}
}

func (d *datasetDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m datasetFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ProjectName.ValueString() + "/" + m.DatasetName.ValueString()
	ds, err := d.data.client.GetDataset(ctx, imm.GetDatasetRequest{ProjectName: m.ProjectName.ValueString(), DatasetName: m.DatasetName.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "dataset", id, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no dataset %s (IMM's message says whether the project or the dataset is missing), or IMM does not "+
				"show one created moments ago yet.", id)))
		return
	}
	flattenDataset(ds, &m)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
