package imm

import (
	"context"
	"fmt"
)

// A dataset's files are the metadata IMM indexed from OSS objects (through
// bindings, or IndexFileMeta). IMM refuses DeleteDataset while a dataset has
// any (imm-api.md §6.2, §11.3): SimpleQuery lists them, DeleteFileMeta and
// BatchDeleteFileMeta delete them. Deleting a file's metadata never deletes
// the OSS object; its faces leave their clusters.

// MaxBatchDeleteFileMetaURIs is how many URIs one BatchDeleteFileMeta takes.
const MaxBatchDeleteFileMetaURIs = 100

// SimpleQuery is a condition of SimpleQuery's Query (the SDK's SimpleQuery):
// a comparison (Field, Operation such as eq or prefix, Value) or a logical
// operation (and, or, not, nested) over SubQueries. Fields are in the SDK's
// (alphabetical) order.
type SimpleQuery struct {
	Field      string        `json:"Field,omitempty"`
	Operation  string        `json:"Operation"`
	SubQueries []SimpleQuery `json:"SubQueries,omitempty"`
	Value      string        `json:"Value,omitempty"`
}

// SimpleQueryRequest is SimpleQuery's parameters. Without Query every file
// of the dataset matches. MaxResults is 1-100 (0 or nil: 100). Sort names
// fields, comma-separated; Order is asc or desc per field (IMM's default:
// desc).
type SimpleQueryRequest struct {
	ProjectName      string       `json:"ProjectName"`
	DatasetName      string       `json:"DatasetName"`
	Query            *SimpleQuery `json:"Query"`
	MaxResults       *int64       `json:"MaxResults"`
	NextToken        string       `json:"NextToken,omitempty"`
	Sort             string       `json:"Sort,omitempty"`
	Order            string       `json:"Order,omitempty"`
	WithoutTotalHits *bool        `json:"WithoutTotalHits"`
}

// SimpleQueryResponse is one page of files. NextToken is empty on the last
// page; TotalHits is nil when WithoutTotalHits was set.
type SimpleQueryResponse struct {
	Files     []File `json:"Files"`
	NextToken string `json:"NextToken"`
	TotalHits *int64 `json:"TotalHits"`
	RequestId string `json:"RequestId"`
}

// DeleteFileMetaRequest names one file of a dataset by its URI
// (oss://bucket/object).
type DeleteFileMetaRequest struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName"`
	URI         string `json:"URI"`
}

// BatchDeleteFileMetaRequest names 1 to MaxBatchDeleteFileMetaURIs files of
// a dataset; URIs is sent as a JSON array.
type BatchDeleteFileMetaRequest struct {
	ProjectName string   `json:"ProjectName"`
	DatasetName string   `json:"DatasetName"`
	URIs        []string `json:"URIs"`
}

// SimpleQuery reads one page of a dataset's files that match req.Query.
// IMM's reads lag its writes. Errors: ResourceNotFound (project, dataset).
func (c *Client) SimpleQuery(ctx context.Context, req SimpleQueryRequest) (*SimpleQueryResponse, error) {
	var resp SimpleQueryResponse
	if err := c.call(ctx, "SimpleQuery", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// QueryAllFiles reads every page of the files req selects.
func (c *Client) QueryAllFiles(ctx context.Context, req SimpleQueryRequest) ([]File, error) {
	return allPages(func(token string) ([]File, string, error) {
		req.NextToken = token
		page, err := c.SimpleQuery(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Files, page.NextToken, nil
	})
}

// DeleteFileMeta deletes one file's metadata from a dataset. It succeeds
// whether or not the dataset holds the file. Errors: ResourceNotFound
// (project, dataset).
func (c *Client) DeleteFileMeta(ctx context.Context, req DeleteFileMetaRequest) error {
	return c.call(ctx, "DeleteFileMeta", req, nil)
}

// BatchDeleteFileMeta deletes the metadata of up to
// MaxBatchDeleteFileMetaURIs files; more is an error before any call.
func (c *Client) BatchDeleteFileMeta(ctx context.Context, req BatchDeleteFileMetaRequest) error {
	if n := len(req.URIs); n == 0 || n > MaxBatchDeleteFileMetaURIs {
		return nonRetryable{fmt.Errorf("imm: BatchDeleteFileMeta takes 1 to %d URIs, got %d", MaxBatchDeleteFileMetaURIs, n)}
	}
	return c.call(ctx, "BatchDeleteFileMeta", req, nil)
}

// DeleteAllFileMeta deletes the metadata of every URI given, in batches of
// MaxBatchDeleteFileMetaURIs, stopping at the first failed batch.
func (c *Client) DeleteAllFileMeta(ctx context.Context, projectName, datasetName string, uris []string) error {
	for start := 0; start < len(uris); start += MaxBatchDeleteFileMetaURIs {
		end := min(start+MaxBatchDeleteFileMetaURIs, len(uris))
		err := c.BatchDeleteFileMeta(ctx, BatchDeleteFileMetaRequest{ProjectName: projectName, DatasetName: datasetName, URIs: uris[start:end]})
		if err != nil {
			return err
		}
	}
	return nil
}
