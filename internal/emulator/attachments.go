package emulator

import (
	"time"
)

// An OSS bucket attachment ties a bucket to a project (imm-api.md §12):
// the prerequisite for x-oss-process and for triggers and batches over the
// bucket. Get and Detach take only the bucket, so a bucket is attached to
// at most one project.

const maxAttachmentDescriptionChars = 128

type attachment struct {
	OSSBucket   string
	ProjectName string
	Description string
	CreateTime  time.Time
	UpdateTime  time.Time
}

// attachedOSSBucketJSON is an item of ListAttachedOSSBuckets.
type attachedOSSBucketJSON struct {
	OSSBucket   string
	ProjectName string
	Description string
	OwnerId     string
	CreateTime  string
	UpdateTime  string
}

// getOSSBucketAttachmentResponse is GetOSSBucketAttachment's answer: the
// fields at the top level, not wrapped.
type getOSSBucketAttachmentResponse struct {
	ProjectName string
	Description string
	CreateTime  string
	UpdateTime  string
}

func readBucket(p *params) string {
	b := p.requiredString("OSSBucket")
	if p.err == nil && !validBucketName(b) {
		p.fail(invalidArgument("The parameter OSSBucket must be a bucket name of 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit; got %q.", b))
	}
	return b
}

type attachOSSBucketRequest struct {
	ProjectName string
	OSSBucket   string
	Description *string
}

func decodeAttachOSSBucket(p *params) attachOSSBucketRequest {
	return attachOSSBucketRequest{
		ProjectName: p.requiredName("ProjectName"),
		OSSBucket:   readBucket(p),
		Description: p.optionalText("Description", maxAttachmentDescriptionChars),
	}
}

func (s *service) attachOSSBucket(now time.Time, req attachOSSBucketRequest) (emptyResponse, *apiError) {
	v := s.st.latest()
	if _, ok := v.project(req.ProjectName); !ok {
		return emptyResponse{}, resourceNotFound(resourceProject)
	}
	if _, ok := v.attachment(req.OSSBucket); ok {
		return emptyResponse{}, resourceAlreadyExists(resourceAttachment)
	}
	a := attachment{OSSBucket: req.OSSBucket, ProjectName: req.ProjectName, CreateTime: now, UpdateTime: now}
	if req.Description != nil {
		a.Description = *req.Description
	}
	s.st.attachments.put(a.OSSBucket, now, a)
	return emptyResponse{}, nil
}

type bucketRequest struct {
	OSSBucket string
}

func decodeBucketRequest(p *params) bucketRequest { return bucketRequest{OSSBucket: readBucket(p)} }

func (s *service) getOSSBucketAttachment(v reader, req bucketRequest) (getOSSBucketAttachmentResponse, *apiError) {
	a, ok := v.attachment(req.OSSBucket)
	if !ok {
		return getOSSBucketAttachmentResponse{}, resourceNotFound(resourceAttachment)
	}
	return getOSSBucketAttachmentResponse{
		ProjectName: a.ProjectName,
		Description: a.Description,
		CreateTime:  formatServiceTime(a.CreateTime),
		UpdateTime:  formatServiceTime(a.UpdateTime),
	}, nil
}

// detachOSSBucket is allowed while triggers or batches use the bucket;
// they fail only when they next start.
func (s *service) detachOSSBucket(now time.Time, req bucketRequest) (emptyResponse, *apiError) {
	if _, ok := s.st.latest().attachment(req.OSSBucket); !ok {
		return emptyResponse{}, resourceNotFound(resourceAttachment)
	}
	s.st.attachments.remove(req.OSSBucket, now)
	return emptyResponse{}, nil
}

type listAttachedOSSBucketsRequest struct {
	ProjectName string
	MaxResults  *int64
	NextToken   string
}

func decodeListAttachedOSSBuckets(p *params) listAttachedOSSBucketsRequest {
	return listAttachedOSSBucketsRequest{
		ProjectName: p.requiredName("ProjectName"),
		MaxResults:  p.optionalInt("MaxResults", 0, 200),
		NextToken:   p.m["NextToken"],
	}
}

type listAttachedOSSBucketsResponse struct {
	AttachedOSSBuckets []attachedOSSBucketJSON
	NextToken          string `json:",omitempty"`
}

func (s *service) listAttachedOSSBuckets(v reader, req listAttachedOSSBucketsRequest) (listAttachedOSSBucketsResponse, *apiError) {
	if _, ok := v.project(req.ProjectName); !ok {
		return listAttachedOSSBucketsResponse{}, resourceNotFound(resourceProject)
	}
	list := "attachments/" + req.ProjectName
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return listAttachedOSSBucketsResponse{}, err
		}
	}
	var mine []attachment
	for _, a := range v.attachments() {
		if a.ProjectName == req.ProjectName {
			mine = append(mine, a)
		}
	}
	page, next := paginate(mine, func(a attachment) string { return a.OSSBucket }, list, after, s.pageSize(req.MaxResults), false)
	out := listAttachedOSSBucketsResponse{AttachedOSSBuckets: []attachedOSSBucketJSON{}, NextToken: next}
	for _, a := range page {
		out.AttachedOSSBuckets = append(out.AttachedOSSBuckets, attachedOSSBucketJSON{
			OSSBucket:   a.OSSBucket,
			ProjectName: a.ProjectName,
			Description: a.Description,
			OwnerId:     emulatorOwnerID,
			CreateTime:  formatServiceTime(a.CreateTime),
			UpdateTime:  formatServiceTime(a.UpdateTime),
		})
	}
	return out, nil
}
