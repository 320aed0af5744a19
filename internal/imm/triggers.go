package imm

import "context"

// Triggers process objects uploaded to an OSS bucket (attached to the
// project with AttachOSSBucket) after their creation, for as long as they
// run (imm-api.md §13). Their writes carry their parameters in a form body.
//
// State rules: UpdateTrigger only in Ready or Failed (the state does not
// change; ResumeTrigger to run again); SuspendTrigger only in Running;
// ResumeTrigger in Suspended or Failed; DeleteTrigger in anything but
// Running. A refusal is an *Error (the emulator answers InvalidArgument).

// ListTriggersResponse is one page of triggers.
type ListTriggersResponse struct {
	Triggers  []DataIngestion `json:"Triggers"`
	NextToken string          `json:"NextToken"`
	RequestId string          `json:"RequestId"`
}

type triggerResponse struct {
	Trigger   DataIngestion `json:"Trigger"`
	RequestId string        `json:"RequestId"`
}

// CreateTrigger creates a trigger and returns its Id. It is Ready, then
// Running (or Failed, with an Error, when its bucket is not attached).
// IMM names the trigger, so the call is not idempotent: after a server error
// or a transport failure it is not sent again, and MayHaveBeenApplied tells
// the caller to look for what IMM made (ListTriggers).
func (c *Client) CreateTrigger(ctx context.Context, req CreateTriggerRequest) (string, error) {
	var resp createdIngestion
	if err := c.createWithBody(ctx, "CreateTrigger", req, &resp); err != nil {
		return "", err
	}
	return resp.Id, nil
}

// GetTrigger reads a trigger. IMM's reads lag its writes.
func (c *Client) GetTrigger(ctx context.Context, projectName, id string) (*DataIngestion, error) {
	var resp triggerResponse
	if err := c.call(ctx, "GetTrigger", ingestionRef{ProjectName: projectName, Id: id}, &resp); err != nil {
		return nil, err
	}
	return &resp.Trigger, nil
}

// UpdateTrigger changes the fields set in req.
func (c *Client) UpdateTrigger(ctx context.Context, req UpdateTriggerRequest) error {
	return c.callWithBody(ctx, "UpdateTrigger", req)
}

// DeleteTrigger deletes a trigger that is not Running.
func (c *Client) DeleteTrigger(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "DeleteTrigger", ingestionRef{ProjectName: projectName, Id: id})
}

// SuspendTrigger pauses a Running trigger.
func (c *Client) SuspendTrigger(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "SuspendTrigger", ingestionRef{ProjectName: projectName, Id: id})
}

// ResumeTrigger runs a Suspended or Failed trigger again.
func (c *Client) ResumeTrigger(ctx context.Context, projectName, id string) error {
	return c.callWithBody(ctx, "ResumeTrigger", ingestionRef{ProjectName: projectName, Id: id})
}

// ListTriggers reads one page of a project's triggers.
func (c *Client) ListTriggers(ctx context.Context, req ListTriggersRequest) (*ListTriggersResponse, error) {
	var resp ListTriggersResponse
	if err := c.call(ctx, "ListTriggers", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllTriggers reads every page of the triggers req selects.
func (c *Client) ListAllTriggers(ctx context.Context, req ListTriggersRequest) ([]DataIngestion, error) {
	return allPages(func(token string) ([]DataIngestion, string, error) {
		req.NextToken = token
		page, err := c.ListTriggers(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Triggers, page.NextToken, nil
	})
}
