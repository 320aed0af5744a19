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
	_ list.ListResource              = &ossBucketAttachmentListResource{}
	_ list.ListResourceWithConfigure = &ossBucketAttachmentListResource{}
)

// NewOSSBucketAttachmentListResource is the imm_oss_bucket_attachment list
// resource.
func NewOSSBucketAttachmentListResource() list.ListResource {
	return &ossBucketAttachmentListResource{ossBucketAttachmentResource: newOSSBucketAttachmentResource()}
}

type ossBucketAttachmentListResource struct{ *ossBucketAttachmentResource }

type ossBucketAttachmentListModel struct {
	ProjectName types.String `tfsdk:"project_name"`
}

func (l *ossBucketAttachmentListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the OSS buckets attached to a project, every page of them.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project whose attached buckets are listed.",
				Required:            true,
				Validators:          nameValidators(),
			},
		},
	}
}

func (l *ossBucketAttachmentListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config ossBucketAttachmentListModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	listReq := imm.ListAttachedOSSBucketsRequest{ProjectName: config.ProjectName.ValueString()}
	streamPages(ctx, &l.resourceType, req, stream, listing[ossBucketAttachmentModel, imm.OSSBucketAttachment]{
		page: func(ctx context.Context, token string) ([]imm.OSSBucketAttachment, string, error) {
			listReq.NextToken = token
			page, err := l.data.client.ListAttachedOSSBuckets(ctx, listReq)
			if err != nil {
				return nil, "", err
			}
			return page.AttachedOSSBuckets, page.NextToken, nil
		},
		toModel: func(a imm.OSSBucketAttachment) (ossBucketAttachmentModel, diag.Diagnostics) {
			var m ossBucketAttachmentModel
			flattenAttachment(&a, &m.ossBucketAttachmentFields)
			return m, nil
		},
		display: func(a imm.OSSBucketAttachment) string { return a.OSSBucket },
	})
}
