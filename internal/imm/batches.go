package imm

import "context"

// Batches process the objects already under their input once, then end
// Succeeded (imm-api.md §14). They take the same parameters and follow the
// same state rules as triggers; their writes carry their parameters in a
// form body.

// CreateBatchRequest is CreateBatch's parameters.
type CreateBatchRequest = CreateTriggerRequest

// UpdateBatchRequest is UpdateBatch's parameters.
type UpdateBatchRequest = UpdateTriggerRequest

// ListBatchesRequest is ListBatches' parameters.
type ListBatchesRequest = ListTriggersRequest

// ListBatchesResponse is one page of batches.
type ListBatchesResponse struct {
	Batches   []DataIngestion `json:"Batches"`
	NextToken string          `json:"NextToken"`
	RequestId string          `json:"RequestId"`
}

type batchResponse struct {
	Batch     DataIngestion `json:"Batch"`
	RequestId string        `json:"RequestId"`
}

// CreateBatch creates a batch and returns its Id. It is Ready, then Running
// (or Failed, with an Error, when its bucket is not attached), then
// Succeeded: follow it with GetBatch. Like CreateTrigger, it is not sent
// again after an attempt IMM may have applied.
func (c *Client) CreateBatch(ctx context.Context, req CreateBatchRequest) (string, error) {
	var resp createdIngestion
	if err := c.createWithBody(ctx, "CreateBatch", req, &resp); err != nil {
		return "", err
	}
	return resp.Id, nil
}

// GetBatch reads a batch. IMM's reads lag its writes.
func (c *Client) GetBatch(ctx context.Context, projectName, id string) (*DataIngestion, error) {
	var resp batchResponse
	if err := c.call(ctx, "GetBatch", ingestionRef{ProjectName: projectName, Id: id}, &resp); err != nil {
		return nil, err
	}
	return &resp.Batch, nil
}

// UpdateBatch changes the fields set in req (only in Ready or Failed).
func (c *Client) UpdateBatch(ctx context.Context, req UpdateBatchRequest) error {
	return c.callWithBody(ctx, "UpdateBatch", req)
}

// DeleteBatch deletes a batch that is not Running.
func (c *Client) DeleteBatch(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "DeleteBatch", ingestionRef{ProjectName: projectName, Id: id})
}

// SuspendBatch pauses a Running batch.
func (c *Client) SuspendBatch(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "SuspendBatch", ingestionRef{ProjectName: projectName, Id: id})
}

// ResumeBatch runs a Suspended or Failed batch again.
func (c *Client) ResumeBatch(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "ResumeBatch", ingestionRef{ProjectName: projectName, Id: id})
}

// ListBatches reads one page of a project's batches.
func (c *Client) ListBatches(ctx context.Context, req ListBatchesRequest) (*ListBatchesResponse, error) {
	var resp ListBatchesResponse
	if err := c.call(ctx, "ListBatches", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllBatches reads every page of the batches req selects.
func (c *Client) ListAllBatches(ctx context.Context, req ListBatchesRequest) ([]DataIngestion, error) {
	return allPages(func(token string) ([]DataIngestion, string, error) {
		req.NextToken = token
		page, err := c.ListBatches(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Batches, page.NextToken, nil
	})
}
