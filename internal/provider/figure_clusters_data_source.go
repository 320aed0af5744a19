package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &figureClustersDataSource{}
	_ datasource.DataSourceWithConfigure = &figureClustersDataSource{}
)

// NewFigureClustersDataSource is the imm_figure_clusters data source.
func NewFigureClustersDataSource() datasource.DataSource { return &figureClustersDataSource{} }

type figureClustersDataSource struct{ dataSourceConfigured }

type figureClustersDataSourceModel struct {
	ProjectName     types.String          `tfsdk:"project_name"`
	DatasetName     types.String          `tfsdk:"dataset_name"`
	CustomLabels    types.Map             `tfsdk:"custom_labels"`
	Sort            types.String          `tfsdk:"sort"`
	Order           types.String          `tfsdk:"order"`
	CreateTimeRange *timeRangeModel       `tfsdk:"create_time_range"`
	UpdateTimeRange *timeRangeModel       `tfsdk:"update_time_range"`
	Limit           types.Int64           `tfsdk:"limit"`
	Clusters        []figureClusterFields `tfsdk:"clusters"`
	ObjectIDs       []string              `tfsdk:"object_ids"`
}

type timeRangeModel struct {
	Start types.String `tfsdk:"start"`
	End   types.String `tfsdk:"end"`
}

// clusterSortFields are the fields QueryFigureClusters sorts by.
var clusterSortFields = []string{"ImageCount", "VideoCount", "ProjectName", "DatasetName", "CreateTime", "UpdateTime",
	"Gender", "FaceCount", "GroupName"}

func (d *figureClustersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_figure_clusters"
}

func (d *figureClustersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists a dataset's face clusters (every page, or up to `limit`), for example to name each " +
			"one with `imm_figure_cluster` and `for_each`:\n\n" +
			"```terraform\nfor_each = { for c in data.imm_figure_clusters.all.clusters : c.object_id => c }\n```\n\n" +
			"Clusters exist only once a clustering run has finished, so a configuration that runs the clustering and " +
			"names its clusters takes two applies (the first with `-target` on the clustering).",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project of the dataset.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: "The dataset whose clusters are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"custom_labels": schema.MapAttribute{
				MarkdownDescription: "Only clusters that carry every one of these custom labels, with exactly these values " +
					"(any text). A key may not hold white space, `=`, `\"` or `\\`: IMM's label query cannot express such a key.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.UTF8LengthBetween(1, 128)), labelQueryKeys()},
			},
			"sort": schema.StringAttribute{
				MarkdownDescription: "The field to sort by: one of " + quotedList(clusterSortFields) + ". IMM's default order is by cluster ID.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(clusterSortFields...)},
			},
			"order": schema.StringAttribute{
				MarkdownDescription: "`asc` (IMM's default) or `desc`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("asc", "desc")},
			},
			"create_time_range": timeRangeAttribute("Only clusters created in this range."),
			"update_time_range": timeRangeAttribute("Only clusters last changed in this range."),
			"limit": schema.Int64Attribute{
				MarkdownDescription: "Return at most this many clusters. Default: all of them.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
			},
			"clusters":   listOf("The clusters found.", computedAttributes(NewFigureClusterResource())),
			"object_ids": namesOf("The IDs of the clusters found, in the same order."),
		},
	}
}

func (d *figureClustersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m figureClustersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	labels, diags := stringMap(ctx, m.CustomLabels)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ProjectName.ValueString() + "/" + m.DatasetName.ValueString()
	query := imm.QueryFigureClustersRequest{
		ProjectName:     m.ProjectName.ValueString(),
		DatasetName:     m.DatasetName.ValueString(),
		Sort:            m.Sort.ValueString(),
		Order:           m.Order.ValueString(),
		CustomLabels:    labelsQuery(labels),
		CreateTimeRange: m.CreateTimeRange.expand(),
		UpdateTimeRange: m.UpdateTimeRange.expand(),
	}
	clusters, err := d.data.client.QueryFigureClustersUpTo(ctx, query, int(m.Limit.ValueInt64()))
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing face clusters of", "dataset", id, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no dataset %s (IMM's message says whether the project or the dataset is missing), or IMM does not "+
				"show one created moments ago yet.", id)))
		return
	}
	m.Clusters = make([]figureClusterFields, len(clusters))
	m.ObjectIDs = make([]string, len(clusters))
	for i := range clusters {
		flattenFigureCluster(&clusters[i], &m.Clusters[i])
		m.ObjectIDs[i] = clusters[i].ObjectId
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (t *timeRangeModel) expand() *imm.TimeRange {
	if t == nil {
		return nil
	}
	return &imm.TimeRange{Start: t.Start.ValueString(), End: t.End.ValueString()}
}

func timeRangeAttribute(description string) schema.SingleNestedAttribute {
	bound := func(which string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: which + " (RFC 3339, such as `2026-01-01T00:00:00+08:00`); open when left out.",
			Optional:            true,
			Validators:          []validator.String{rfc3339Validator},
		}
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: description,
		Optional:            true,
		Attributes:          map[string]schema.Attribute{"start": bound("The start"), "end": bound("The end")},
	}
}

func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = "`" + v + "`"
	}
	return strings.Join(quoted, ", ")
}
