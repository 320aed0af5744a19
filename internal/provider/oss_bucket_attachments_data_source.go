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
	_ datasource.DataSource              = &ossBucketAttachmentsDataSource{}
	_ datasource.DataSourceWithConfigure = &ossBucketAttachmentsDataSource{}
)

// NewOSSBucketAttachmentsDataSource is the imm_oss_bucket_attachments data
// source.
func NewOSSBucketAttachmentsDataSource() datasource.DataSource {
	return &ossBucketAttachmentsDataSource{}
}

type ossBucketAttachmentsDataSource struct{ dataSourceConfigured }

type ossBucketAttachmentsDataSourceModel struct {
	ProjectName types.String                `tfsdk:"project_name"`
	Attachments []ossBucketAttachmentFields `tfsdk:"attachments"`
	Buckets     []string                    `tfsdk:"buckets"`
}

func (d *ossBucketAttachmentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oss_bucket_attachments"
}

func (d *ossBucketAttachmentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the OSS buckets attached to an IMM project, every page of them, in bucket name order.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose attached buckets are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"attachments": listOf("The attachments found.", computedAttributes(NewOSSBucketAttachmentResource())),
			"buckets":     namesOf("The names of the attached buckets, in the same order."),
		},
	}
}

func (d *ossBucketAttachmentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m ossBucketAttachmentsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	project := m.ProjectName.ValueString()
	attachments, err := d.data.client.ListAllAttachedOSSBuckets(ctx, imm.ListAttachedOSSBucketsRequest{ProjectName: project})
	if err != nil {
		addAPIError(&resp.Diagnostics, "listing OSS buckets attached to", "project", project, err, notFoundAdvice(err, fmt.Sprintf(
			"There is no project %s in this region (or IMM does not show a project created moments ago yet).", project)))
		return
	}
	m.Attachments = make([]ossBucketAttachmentFields, len(attachments))
	m.Buckets = make([]string, len(attachments))
	for i := range attachments {
		flattenAttachment(&attachments[i], &m.Attachments[i])
		m.Buckets[i] = attachments[i].OSSBucket
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
