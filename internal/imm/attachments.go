package imm

import "context"

// OSSBucketAttachment is an OSS bucket attached to a project (imm-api.md
// §12), the prerequisite for x-oss-process and for triggers and batches on
// the bucket. A bucket is attached to at most one project. Times are
// RFC3339Nano with an offset.
type OSSBucketAttachment struct {
	OSSBucket   string `json:"OSSBucket"`
	ProjectName string `json:"ProjectName"`
	Description string `json:"Description"`
	// OwnerId is set in lists only.
	OwnerId    string `json:"OwnerId"`
	CreateTime string `json:"CreateTime"`
	UpdateTime string `json:"UpdateTime"`
}

// AttachOSSBucketRequest is AttachOSSBucket's parameters. OSSBucket is a
// bucket name, not a URI; Description is 1-128 characters.
type AttachOSSBucketRequest struct {
	ProjectName string  `json:"ProjectName"`
	OSSBucket   string  `json:"OSSBucket"`
	Description *string `json:"Description"`
}

// ListAttachedOSSBucketsRequest is ListAttachedOSSBuckets' parameters.
// MaxResults is 1-200 (nil: 100).
type ListAttachedOSSBucketsRequest struct {
	ProjectName string `json:"ProjectName"`
	MaxResults  *int64 `json:"MaxResults"`
	NextToken   string `json:"NextToken,omitempty"`
}

// ListAttachedOSSBucketsResponse is one page of a project's attachments.
type ListAttachedOSSBucketsResponse struct {
	AttachedOSSBuckets []OSSBucketAttachment `json:"AttachedOSSBuckets"`
	NextToken          string                `json:"NextToken"`
	RequestId          string                `json:"RequestId"`
}

type ossBucketRequest struct {
	OSSBucket string `json:"OSSBucket"`
}

// AttachOSSBucket attaches a bucket to a project. There is no update: a
// new description takes DetachOSSBucket and AttachOSSBucket. Errors:
// ResourceNotFound (project), ResourceAlreadyExists (attached already, to
// any project).
func (c *Client) AttachOSSBucket(ctx context.Context, req AttachOSSBucketRequest) error {
	return c.call(ctx, "AttachOSSBucket", req, nil)
}

// GetOSSBucketAttachment reads a bucket's attachment. IMM answers without
// the bucket's name; the result carries the one asked for.
func (c *Client) GetOSSBucketAttachment(ctx context.Context, ossBucket string) (*OSSBucketAttachment, error) {
	var resp OSSBucketAttachment
	if err := c.call(ctx, "GetOSSBucketAttachment", ossBucketRequest{OSSBucket: ossBucket}, &resp); err != nil {
		return nil, err
	}
	resp.OSSBucket = ossBucket
	return &resp, nil
}

// DetachOSSBucket detaches a bucket from its project.
func (c *Client) DetachOSSBucket(ctx context.Context, ossBucket string) error {
	return c.call(ctx, "DetachOSSBucket", ossBucketRequest{OSSBucket: ossBucket}, nil)
}

// ListAttachedOSSBuckets reads one page of a project's attachments.
func (c *Client) ListAttachedOSSBuckets(ctx context.Context, req ListAttachedOSSBucketsRequest) (*ListAttachedOSSBucketsResponse, error) {
	var resp ListAttachedOSSBucketsResponse
	if err := c.call(ctx, "ListAttachedOSSBuckets", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllAttachedOSSBuckets reads every page of a project's attachments.
func (c *Client) ListAllAttachedOSSBuckets(ctx context.Context, req ListAttachedOSSBucketsRequest) ([]OSSBucketAttachment, error) {
	return allPages(func(token string) ([]OSSBucketAttachment, string, error) {
		req.NextToken = token
		page, err := c.ListAttachedOSSBuckets(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.AttachedOSSBuckets, page.NextToken, nil
	})
}
