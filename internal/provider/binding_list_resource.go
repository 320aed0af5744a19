package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ list.ListResource              = &bindingListResource{}
	_ list.ListResourceWithConfigure = &bindingListResource{}
)

// NewBindingListResource is the imm_binding list resource.
func NewBindingListResource() list.ListResource {
	return &bindingListResource{bindingResource: newBindingResource()}
}

type bindingListResource struct{ *bindingResource }

type bindingListModel struct {
	ProjectName types.String `tfsdk:"project_name"`
	DatasetName types.String `tfsdk:"dataset_name"`
}

func (l *bindingListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds a project's bindings (or one dataset's), every page of them.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose bindings are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: "Only this dataset's bindings. Default: every dataset's.",
				Optional:            true,
				Validators:          nameValidators(),
			},
		},
	}
}

func (l *bindingListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config bindingListModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	listReq := imm.ListBindingsRequest{ProjectName: config.ProjectName.ValueString(), DatasetName: config.DatasetName.ValueString()}
	streamPages(ctx, &l.resourceType, req, stream, listing[bindingModel, imm.Binding]{
		page: func(ctx context.Context, token string) ([]imm.Binding, string, error) {
			listReq.NextToken = token
			page, err := l.data.client.ListBindings(ctx, listReq)
			if err != nil {
				return nil, "", err
			}
			return page.Bindings, page.NextToken, nil
		},
		toModel: func(b imm.Binding) (bindingModel, diag.Diagnostics) {
			var m bindingModel
			flattenBinding(&b, &m.bindingFields)
			return m, nil
		},
		display: func(b imm.Binding) string { return b.DatasetName + " ← " + b.URI },
	})
}
