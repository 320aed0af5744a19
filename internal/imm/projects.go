package imm

import "context"

// Project is IMM's project (imm-api.md §5.1).
type Project struct {
	ProjectName             string       `json:"ProjectName"`
	ServiceRole             string       `json:"ServiceRole"`
	TemplateId              string       `json:"TemplateId"`
	Description             string       `json:"Description"`
	CreateTime              string       `json:"CreateTime"`
	UpdateTime              string       `json:"UpdateTime"`
	ProjectQueriesPerSecond int64        `json:"ProjectQueriesPerSecond"`
	EngineConcurrency       int64        `json:"EngineConcurrency"`
	ProjectMaxDatasetCount  int64        `json:"ProjectMaxDatasetCount"`
	DatasetMaxBindCount     int64        `json:"DatasetMaxBindCount"`
	DatasetMaxFileCount     int64        `json:"DatasetMaxFileCount"`
	DatasetMaxEntityCount   int64        `json:"DatasetMaxEntityCount"`
	DatasetMaxRelationCount int64        `json:"DatasetMaxRelationCount"`
	DatasetMaxTotalFileSize int64        `json:"DatasetMaxTotalFileSize"`
	DatasetCount            int64        `json:"DatasetCount"`
	FileCount               int64        `json:"FileCount"`
	TotalFileSize           int64        `json:"TotalFileSize"`
	Tags                    []ProjectTag `json:"Tags"`
}

// ProjectTag is a tag as IMM returns it. Requests use Tag (Key/Value).
type ProjectTag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

// Tag is a tag as requests carry it.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// CreateProjectRequest is CreateProject's parameters; nil fields are left to
// IMM's defaults.
type CreateProjectRequest struct {
	ProjectName             string  `json:"ProjectName"`
	ServiceRole             *string `json:"ServiceRole"`
	TemplateId              *string `json:"TemplateId"`
	Description             *string `json:"Description"`
	ProjectMaxDatasetCount  *int64  `json:"ProjectMaxDatasetCount"`
	DatasetMaxBindCount     *int64  `json:"DatasetMaxBindCount"`
	DatasetMaxFileCount     *int64  `json:"DatasetMaxFileCount"`
	DatasetMaxEntityCount   *int64  `json:"DatasetMaxEntityCount"`
	DatasetMaxRelationCount *int64  `json:"DatasetMaxRelationCount"`
	DatasetMaxTotalFileSize *int64  `json:"DatasetMaxTotalFileSize"`
	Tag                     []Tag   `json:"Tag"`
}

// UpdateProjectRequest is UpdateProject's parameters. Only non-nil fields are
// sent, and IMM leaves the others unchanged. Tag, when non-nil, replaces the
// whole tag set; a non-nil empty slice clears it.
type UpdateProjectRequest struct {
	ProjectName             string  `json:"ProjectName"`
	ServiceRole             *string `json:"ServiceRole"`
	TemplateId              *string `json:"TemplateId"`
	Description             *string `json:"Description"`
	ProjectMaxDatasetCount  *int64  `json:"ProjectMaxDatasetCount"`
	DatasetMaxBindCount     *int64  `json:"DatasetMaxBindCount"`
	DatasetMaxFileCount     *int64  `json:"DatasetMaxFileCount"`
	DatasetMaxEntityCount   *int64  `json:"DatasetMaxEntityCount"`
	DatasetMaxRelationCount *int64  `json:"DatasetMaxRelationCount"`
	DatasetMaxTotalFileSize *int64  `json:"DatasetMaxTotalFileSize"`
	Tag                     []Tag   `json:"Tag"`
}

// GetProjectRequest is GetProject's parameters.
type GetProjectRequest struct {
	ProjectName    string `json:"ProjectName"`
	WithStatistics *bool  `json:"WithStatistics"`
}

// ListProjectsRequest is ListProjects' parameters.
type ListProjectsRequest struct {
	MaxResults *int64 `json:"MaxResults"`
	NextToken  string `json:"NextToken,omitempty"`
	Prefix     string `json:"Prefix,omitempty"`
	Tag        []Tag  `json:"Tag"`
}

// ListProjectsResponse is one page of projects.
type ListProjectsResponse struct {
	Projects  []Project `json:"Projects"`
	NextToken string    `json:"NextToken"`
	RequestId string    `json:"RequestId"`
}

type projectResponse struct {
	Project   Project `json:"Project"`
	RequestId string  `json:"RequestId"`
}

type projectNameRequest struct {
	ProjectName string `json:"ProjectName"`
}

// CreateProject creates a project and returns it as IMM stored it.
func (c *Client) CreateProject(ctx context.Context, req CreateProjectRequest) (*Project, error) {
	var resp projectResponse
	if err := c.call(ctx, "CreateProject", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Project, nil
}

// GetProject reads a project. IMM's reads lag its writes by up to minutes.
func (c *Client) GetProject(ctx context.Context, req GetProjectRequest) (*Project, error) {
	var resp projectResponse
	if err := c.call(ctx, "GetProject", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Project, nil
}

// UpdateProject changes the fields set in req and returns the project.
func (c *Client) UpdateProject(ctx context.Context, req UpdateProjectRequest) (*Project, error) {
	var resp projectResponse
	if err := c.call(ctx, "UpdateProject", req, &resp); err != nil {
		return nil, err
	}
	return &resp.Project, nil
}

// DeleteProject deletes a project. IMM refuses while it has datasets.
func (c *Client) DeleteProject(ctx context.Context, projectName string) error {
	return c.call(ctx, "DeleteProject", projectNameRequest{ProjectName: projectName}, nil)
}

// ListProjects reads one page of projects.
func (c *Client) ListProjects(ctx context.Context, req ListProjectsRequest) (*ListProjectsResponse, error) {
	var resp ListProjectsResponse
	if err := c.call(ctx, "ListProjects", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// ListAllProjects reads every page of projects that match req.
func (c *Client) ListAllProjects(ctx context.Context, req ListProjectsRequest) ([]Project, error) {
	return allPages(func(token string) ([]Project, string, error) {
		req.NextToken = token
		page, err := c.ListProjects(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.Projects, page.NextToken, nil
	})
}
