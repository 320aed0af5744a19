package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ datasource.DataSource              = &bindingDataSource{}
	_ datasource.DataSourceWithConfigure = &bindingDataSource{}
)

// NewBindingDataSource is the imm_binding data source.
func NewBindingDataSource() datasource.DataSource { return &bindingDataSource{} }

type bindingDataSource struct{ dataSourceConfigured }

func (d *bindingDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_binding"
}

func (d *bindingDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewBindingResource())
	lookupArgument(attrs, "project_name", nameValidators()...)
	lookupArgument(attrs, "dataset_name", nameValidators()...)
	lookupArgument(attrs, "uri", bindingURIValidator)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up the binding of a dataset to an OSS bucket: its state and scanning phase.",
		Attributes:          attrs,
	}
}

func (d *bindingDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m bindingFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.ProjectName.ValueString() + "/" + m.DatasetName.ValueString() + "/" + m.URI.ValueString()
	b, err := d.data.client.GetBinding(ctx, imm.GetBindingRequest{
		ProjectName: m.ProjectName.ValueString(), DatasetName: m.DatasetName.ValueString(), URI: m.URI.ValueString()})
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "binding", id, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no binding %s (IMM's message says whether the project, the dataset or the binding is missing), or "+
				"IMM does not show one created moments ago yet. The imm_bindings data source lists the ones that exist.", id)))
		return
	}
	flattenBinding(b, &m)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
