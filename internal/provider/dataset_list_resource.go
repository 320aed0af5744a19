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
	_ list.ListResource              = &datasetListResource{}
	_ list.ListResourceWithConfigure = &datasetListResource{}
)

// NewDatasetListResource is the imm_dataset list resource.
func NewDatasetListResource() list.ListResource {
	return &datasetListResource{datasetResource: newDatasetResource()}
}

type datasetListResource struct{ *datasetResource }

type datasetListModel struct {
	ProjectName types.String `tfsdk:"project_name"`
	Prefix      types.String `tfsdk:"prefix"`
}

func (l *datasetListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds a project's IMM datasets, every page of them, in name order.",
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
		},
	}
}

func (l *datasetListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config datasetListModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	listReq := imm.ListDatasetsRequest{ProjectName: config.ProjectName.ValueString(), Prefix: config.Prefix.ValueString()}
	streamPages(ctx, &l.resourceType, req, stream, listing[datasetModel, imm.Dataset]{
		page: func(ctx context.Context, token string) ([]imm.Dataset, string, error) {
			listReq.NextToken = token
			page, err := l.data.client.ListDatasets(ctx, listReq)
			if err != nil {
				return nil, "", err
			}
			return page.Datasets, page.NextToken, nil
		},
		toModel: func(d imm.Dataset) (datasetModel, diag.Diagnostics) {
			var m datasetModel
			flattenDataset(&d, &m.datasetFields)
			return m, nil
		},
		display: func(d imm.Dataset) string { return d.DatasetName },
	})
}
