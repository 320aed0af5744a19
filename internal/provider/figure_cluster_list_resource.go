package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ list.ListResource              = &figureClusterListResource{}
	_ list.ListResourceWithConfigure = &figureClusterListResource{}
)

// NewFigureClusterListResource is the imm_figure_cluster list resource:
// `terraform query -generate-config-out` then writes a block per face
// cluster of a dataset, ready to be named.
func NewFigureClusterListResource() list.ListResource {
	return &figureClusterListResource{figureClusterResource: newFigureClusterResource()}
}

type figureClusterListResource struct{ *figureClusterResource }

type figureClusterListModel struct {
	ProjectName  types.String `tfsdk:"project_name"`
	DatasetName  types.String `tfsdk:"dataset_name"`
	CustomLabels types.Map    `tfsdk:"custom_labels"`
}

func (l *figureClusterListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds a dataset's face clusters, every page of them.",
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
				MarkdownDescription: "Only clusters that carry every one of these custom labels, with these values.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Map{labelQueryKeys()},
			},
		},
	}
}

func (l *figureClusterListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config figureClusterListModel
	diags := req.Config.Get(ctx, &config)
	labels, labelDiags := stringMap(ctx, config.CustomLabels)
	diags.Append(labelDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	queryReq := imm.QueryFigureClustersRequest{ProjectName: config.ProjectName.ValueString(),
		DatasetName: config.DatasetName.ValueString(), CustomLabels: labelsQuery(labels)}
	streamPages(ctx, &l.resourceType, req, stream, listing[figureClusterModel, imm.FigureCluster]{
		page: func(ctx context.Context, token string) ([]imm.FigureCluster, string, error) {
			queryReq.NextToken = token
			page, err := l.data.client.QueryFigureClusters(ctx, queryReq)
			if err != nil {
				return nil, "", err
			}
			return page.FigureClusters, page.NextToken, nil
		},
		toModel: func(c imm.FigureCluster) (figureClusterModel, diag.Diagnostics) {
			var m figureClusterModel
			flattenFigureCluster(&c, &m.figureClusterFields)
			return m, nil
		},
		display: func(c imm.FigureCluster) string {
			if c.Name != "" {
				return c.Name + " (" + c.ObjectId + ")"
			}
			return c.ObjectId
		},
	})
}
