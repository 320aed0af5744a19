package imm

import "context"

// States and phases of bindings (imm-api.md §11.1), triggers and batches
// (§13.1).
const (
	StateReady     = "Ready"
	StateRunning   = "Running"
	StateFailed    = "Failed"
	StateSuspended = "Suspended"
	StateSucceeded = "Succeeded"
	StateStopped   = "Stopped"
	StateRetrying  = "Retrying"
	StateDeleted   = "Deleted"

	// PhaseFullScanning: a binding (or batch) is going through the objects
	// already in its bucket.
	PhaseFullScanning = "FullScanning"
	// PhaseIncrementalScanning: a binding has finished its full scan and
	// indexes new objects as they come (a trigger processes them).
	PhaseIncrementalScanning = "IncrementalScanning"
)

// Binding is IMM's binding of a dataset to an OSS bucket (imm-api.md
// §11.1): IMM indexes the bucket's objects into the dataset, first all of
// them (phase FullScanning), then new ones as they come
// (IncrementalScanning). Times are RFC3339Nano with an offset.
type Binding struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName"`
	// URI is oss://<bucket>.
	URI string `json:"URI"`
	// State is Ready, Running, Stopped, Retrying, Failed or Deleted.
	State string `json:"State"`
	// Phase is FullScanning or IncrementalScanning.
	Phase string `json:"Phase"`
	// Reason says why a binding stopped or failed.
	Reason     string `json:"Reason"`
	CreateTime string `json:"CreateTime"`
	UpdateTime string `json:"UpdateTime"`
}

// CreateBindingRequest is CreateBinding's parameters; GetBinding and
// DeleteBinding take the same. URI is oss://<bucket>.
type CreateBindingRequest struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName"`
	URI         string `json:"URI"`
}

// GetBindingRequest names a binding.
type GetBindingRequest = CreateBindingRequest

// DeleteBindingRequest names a binding.
type DeleteBindingRequest = CreateBindingRequest

// ListBindingsRequest is ListBindings' parameters. Without DatasetName it
// lists the whole project's bindings. MaxResults is 0-200 (0 or nil: 100).
type ListBindingsRequest struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName,omitempty"`
	MaxResults  *int64 `json:"MaxResults"`
	NextToken   string `json:"NextToken,omitempty"`
}

// ListBindingsResponse is one page of bindings.
type ListBindingsResponse struct {
	Bindings  []Binding `json:"Bindings"`
	NextToken string    `json:"NextToken"`
	RequestId string    `json:"RequestId"`
}

type bindingResponse struct {
	Binding   Binding `json:"Binding"`
	RequestId string  `json:"RequestId"`
}

// CreateBinding binds a dataset to an OSS bucket and returns the binding,
// Ready at first. The scan runs asynchronously: follow it with GetBinding
// until it is Running in phase IncrementalScanning (or Failed, with a
// Reason). Errors: ResourceNotFound (project, dataset),
// ResourceAlreadyExists, LimitExceededError (DatasetMaxBindCount),
// InvalidURI.
func (c *Client) CreateBinding(ctx context.Context, req CreateBindingRequest) (*Binding, error) {
	var resp bindingResponse
	if err := c.call(ctx, "CreateBinding", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Binding, nil
}

// GetBinding reads a binding. IMM's reads lag its writes.
func (c *Client) GetBinding(ctx context.Context, req GetBindingRequest) (*Binding, error) {
	var resp bindingResponse
	if err := c.call(ctx, "GetBinding", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Binding, nil
}

// DeleteBinding deletes a binding: OSS changes no longer reach the dataset,
// and the files already indexed stay in it.
func (c *Client) DeleteBinding(ctx context.Context, req DeleteBindingRequest) error {
	return c.call(ctx, "DeleteBinding", req, nil)
}

// ListBindings reads one page of a dataset's (or project's) bindings.
func (c *Client) ListBindings(ctx context.Context, req ListBindingsRequest) (*ListBindingsResponse, error) {
	var resp ListBindingsResponse
	if err := c.call(ctx, "ListBindings", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllBindings reads every page of the bindings req selects.
func (c *Client) ListAllBindings(ctx context.Context, req ListBindingsRequest) ([]Binding, error) {
	return allPages(func(token string) ([]Binding, string, error) {
		req.NextToken = token
		page, err := c.ListBindings(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Bindings, page.NextToken, nil
	})
}
