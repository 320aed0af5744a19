package imm

import "context"

// Dataset is IMM's dataset (imm-api.md §5.2).
type Dataset struct {
	ProjectName             string `json:"ProjectName"`
	DatasetName             string `json:"DatasetName"`
	Description             string `json:"Description"`
	TemplateId              string `json:"TemplateId"`
	CreateTime              string `json:"CreateTime"`
	UpdateTime              string `json:"UpdateTime"`
	BindCount               int64  `json:"BindCount"`
	FileCount               int64  `json:"FileCount"`
	TotalFileSize           int64  `json:"TotalFileSize"`
	DatasetMaxBindCount     int64  `json:"DatasetMaxBindCount"`
	DatasetMaxFileCount     int64  `json:"DatasetMaxFileCount"`
	DatasetMaxEntityCount   int64  `json:"DatasetMaxEntityCount"`
	DatasetMaxRelationCount int64  `json:"DatasetMaxRelationCount"`
	DatasetMaxTotalFileSize int64  `json:"DatasetMaxTotalFileSize"`
}

// CreateDatasetRequest is CreateDataset's parameters; nil fields are left to
// IMM's defaults.
type CreateDatasetRequest struct {
	ProjectName             string  `json:"ProjectName"`
	DatasetName             string  `json:"DatasetName"`
	Description             *string `json:"Description"`
	TemplateId              *string `json:"TemplateId"`
	DatasetMaxBindCount     *int64  `json:"DatasetMaxBindCount"`
	DatasetMaxFileCount     *int64  `json:"DatasetMaxFileCount"`
	DatasetMaxEntityCount   *int64  `json:"DatasetMaxEntityCount"`
	DatasetMaxRelationCount *int64  `json:"DatasetMaxRelationCount"`
	DatasetMaxTotalFileSize *int64  `json:"DatasetMaxTotalFileSize"`
}

// UpdateDatasetRequest is UpdateDataset's parameters: only non-nil fields are
// sent and changed.
type UpdateDatasetRequest = CreateDatasetRequest

// GetDatasetRequest is GetDataset's parameters.
type GetDatasetRequest struct {
	ProjectName    string `json:"ProjectName"`
	DatasetName    string `json:"DatasetName"`
	WithStatistics *bool  `json:"WithStatistics"`
}

// ListDatasetsRequest is ListDatasets' parameters.
type ListDatasetsRequest struct {
	ProjectName string `json:"ProjectName"`
	MaxResults  *int64 `json:"MaxResults"`
	NextToken   string `json:"NextToken,omitempty"`
	Prefix      string `json:"Prefix,omitempty"`
}

// ListDatasetsResponse is one page of datasets.
type ListDatasetsResponse struct {
	Datasets  []Dataset `json:"Datasets"`
	NextToken string    `json:"NextToken"`
	RequestId string    `json:"RequestId"`
}

type datasetResponse struct {
	Dataset   Dataset `json:"Dataset"`
	RequestId string  `json:"RequestId"`
}

type datasetNameRequest struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName"`
}

// CreateDataset creates a dataset and returns it as IMM stored it.
func (c *Client) CreateDataset(ctx context.Context, req CreateDatasetRequest) (*Dataset, error) {
	var resp datasetResponse
	if err := c.call(ctx, "CreateDataset", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Dataset, nil
}

// GetDataset reads a dataset.
func (c *Client) GetDataset(ctx context.Context, req GetDatasetRequest) (*Dataset, error) {
	var resp datasetResponse
	if err := c.call(ctx, "GetDataset", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Dataset, nil
}

// UpdateDataset changes the fields set in req and returns the dataset.
func (c *Client) UpdateDataset(ctx context.Context, req UpdateDatasetRequest) (*Dataset, error) {
	var resp datasetResponse
	if err := c.call(ctx, "UpdateDataset", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Dataset, nil
}

// DeleteDataset deletes a dataset. IMM refuses while it has files.
func (c *Client) DeleteDataset(ctx context.Context, projectName, datasetName string) error {
	return c.call(ctx, "DeleteDataset", datasetNameRequest{ProjectName: projectName, DatasetName: datasetName}, nil)
}

// ListDatasets reads one page of a project's datasets.
func (c *Client) ListDatasets(ctx context.Context, req ListDatasetsRequest) (*ListDatasetsResponse, error) {
	var resp ListDatasetsResponse
	if err := c.call(ctx, "ListDatasets", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllDatasets reads every page of a project's datasets that match req.
func (c *Client) ListAllDatasets(ctx context.Context, req ListDatasetsRequest) ([]Dataset, error) {
	return allPages(func(token string) ([]Dataset, string, error) {
		req.NextToken = token
		page, err := c.ListDatasets(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Datasets, page.NextToken, nil
	})
}
