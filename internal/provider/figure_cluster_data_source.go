package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &figureClusterDataSource{}
	_ datasource.DataSourceWithConfigure = &figureClusterDataSource{}
)

// NewFigureClusterDataSource is the imm_figure_cluster data source.
func NewFigureClusterDataSource() datasource.DataSource { return &figureClusterDataSource{} }

type figureClusterDataSource struct{ dataSourceConfigured }

func (d *figureClusterDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_figure_cluster"
}

func (d *figureClusterDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewFigureClusterResource())
	lookupArgument(attrs, "project_name", nameValidators()...)
	lookupArgument(attrs, "dataset_name", nameValidators()...)
	lookupArgument(attrs, "object_id", stringvalidator.RegexMatches(clusterIDPattern, "must be a cluster ID such as Cluster-<uuid>"))
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one face cluster of a dataset by its `object_id`.",
		Attributes:          attrs,
	}
}

func (d *figureClusterDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m figureClusterFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ProjectName.ValueString() + "/" + m.DatasetName.ValueString() + "/" + m.ObjectID.ValueString()
	c, err := d.data.client.GetFigureCluster(ctx, imm.GetFigureClusterRequest{
		ProjectName: m.ProjectName.ValueString(), DatasetName: m.DatasetName.ValueString(), ObjectId: m.ObjectID.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "face cluster", id, err, notFoundAdvice(err,
			"IMM's message says whether the project, the dataset or the cluster is missing. Clusters come from clustering "+
				"runs (imm_figure_clustering); list the ones that exist with the imm_figure_clusters data source."))
		return
	}
	flattenFigureCluster(c, &m)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
