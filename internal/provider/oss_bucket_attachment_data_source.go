package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

var (
	_ datasource.DataSource              = &ossBucketAttachmentDataSource{}
	_ datasource.DataSourceWithConfigure = &ossBucketAttachmentDataSource{}
)

// NewOSSBucketAttachmentDataSource is the imm_oss_bucket_attachment data
// source.
func NewOSSBucketAttachmentDataSource() datasource.DataSource {
	return &ossBucketAttachmentDataSource{}
}

type ossBucketAttachmentDataSource struct{ dataSourceConfigured }

func (d *ossBucketAttachmentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oss_bucket_attachment"
}

func (d *ossBucketAttachmentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(NewOSSBucketAttachmentResource())
	lookupArgument(attrs, "oss_bucket", bucketNameValidator)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up which IMM project an OSS bucket is attached to.",
		Attributes:          attrs,
	}
}

func (d *ossBucketAttachmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m ossBucketAttachmentFields
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	bucket := m.OSSBucket.ValueString()
	a, err := d.data.client.GetOSSBucketAttachment(ctx, bucket)
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", "OSS bucket attachment", bucket, err, notFoundAdvice(err,
			"The bucket is not attached to any project in this region (or IMM does not show an attachment made moments ago yet)."))
		return
	}
	flattenAttachment(a, &m)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
