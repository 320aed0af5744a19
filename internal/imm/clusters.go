package imm

import "context"

// FigureCluster is a face cluster (imm-api.md §5.5). Clusters are made only by
// clustering tasks and have no create or delete action.
type FigureCluster struct {
	ObjectId        string         `json:"ObjectId"`
	ObjectType      string         `json:"ObjectType"`
	OwnerId         string         `json:"OwnerId"`
	ProjectName     string         `json:"ProjectName"`
	DatasetName     string         `json:"DatasetName"`
	Name            string         `json:"Name"`
	CustomId        string         `json:"CustomId"`
	CustomLabels    map[string]any `json:"CustomLabels"`
	Gender          string         `json:"Gender"`
	FaceCount       int64          `json:"FaceCount"`
	ImageCount      int64          `json:"ImageCount"`
	VideoCount      int64          `json:"VideoCount"`
	AverageAge      float64        `json:"AverageAge"`
	MinAge          float64        `json:"MinAge"`
	MaxAge          float64        `json:"MaxAge"`
	Cover           File           `json:"Cover"`
	MetaLockVersion int64          `json:"MetaLockVersion"`
	CreateTime      string         `json:"CreateTime"`
	UpdateTime      string         `json:"UpdateTime"`
}

// File is the part of IMM's File (imm-api.md §5.7) that a cluster's cover
// and SimpleQuery use.
type File struct {
	URI         string   `json:"URI"`
	ProjectName string   `json:"ProjectName,omitempty"`
	DatasetName string   `json:"DatasetName,omitempty"`
	ObjectType  string   `json:"ObjectType,omitempty"`
	ObjectId    string   `json:"ObjectId,omitempty"`
	Filename    string   `json:"Filename,omitempty"`
	MediaType   string   `json:"MediaType,omitempty"`
	ContentType string   `json:"ContentType,omitempty"`
	FigureCount int64    `json:"FigureCount,omitempty"`
	Figures     []Figure `json:"Figures"`
}

// Figure is the part of IMM's Figure that identifies a face.
type Figure struct {
	FigureId        string `json:"FigureId"`
	FigureType      string `json:"FigureType,omitempty"`
	FigureClusterId string `json:"FigureClusterId,omitempty"`
	Gender          string `json:"Gender,omitempty"`
	Age             int64  `json:"Age,omitempty"`
}

// FigureClusterForReq is the FigureCluster parameter of UpdateFigureCluster.
// Fields are in the SDK's (alphabetical) order so that the JSON text matches
// the official client's; nil fields are not sent and stay unchanged.
type FigureClusterForReq struct {
	Cover        *CoverForReq       `json:"Cover,omitempty"`
	CustomId     *string            `json:"CustomId,omitempty"`
	CustomLabels *map[string]string `json:"CustomLabels,omitempty"`
	// MetaLockVersion, when set, makes IMM apply the update only if the
	// cluster's stored version is this one.
	MetaLockVersion *int64  `json:"MetaLockVersion,omitempty"`
	Name            *string `json:"Name,omitempty"`
	ObjectId        string  `json:"ObjectId"`
}

// CoverForReq chooses a cluster's cover by one of its figures.
type CoverForReq struct {
	Figures []FigureForReq `json:"Figures"`
}

// FigureForReq names a figure.
type FigureForReq struct {
	FigureId string `json:"FigureId"`
}

// TimeRange bounds a time, RFC3339.
type TimeRange struct {
	Start string `json:"Start,omitempty"`
	End   string `json:"End,omitempty"`
}

// GetFigureClusterRequest is GetFigureCluster's parameters.
type GetFigureClusterRequest struct {
	ProjectName string `json:"ProjectName"`
	DatasetName string `json:"DatasetName"`
	ObjectId    string `json:"ObjectId"`
}

// BatchGetFigureClusterRequest is BatchGetFigureCluster's parameters.
type BatchGetFigureClusterRequest struct {
	ProjectName string   `json:"ProjectName"`
	DatasetName string   `json:"DatasetName"`
	ObjectIds   []string `json:"ObjectIds"`
}

// QueryFigureClustersRequest is QueryFigureClusters' parameters.
type QueryFigureClustersRequest struct {
	ProjectName     string     `json:"ProjectName"`
	DatasetName     string     `json:"DatasetName"`
	MaxResults      *int64     `json:"MaxResults"`
	NextToken       string     `json:"NextToken,omitempty"`
	Sort            string     `json:"Sort,omitempty"`
	Order           string     `json:"Order,omitempty"`
	CustomLabels    string     `json:"CustomLabels,omitempty"`
	CreateTimeRange *TimeRange `json:"CreateTimeRange"`
	UpdateTimeRange *TimeRange `json:"UpdateTimeRange"`
	WithTotalCount  *bool      `json:"WithTotalCount"`
}

// QueryFigureClustersResponse is one page of clusters.
type QueryFigureClustersResponse struct {
	FigureClusters []FigureCluster `json:"FigureClusters"`
	NextToken      string          `json:"NextToken"`
	TotalCount     *int64          `json:"TotalCount"`
	RequestId      string          `json:"RequestId"`
}

// UpdateFigureClusterRequest is UpdateFigureCluster's parameters.
type UpdateFigureClusterRequest struct {
	ProjectName   string              `json:"ProjectName"`
	DatasetName   string              `json:"DatasetName"`
	FigureCluster FigureClusterForReq `json:"FigureCluster"`
}

type figureClusterResponse struct {
	FigureCluster FigureCluster `json:"FigureCluster"`
	RequestId     string        `json:"RequestId"`
}

type figureClustersResponse struct {
	FigureClusters []FigureCluster `json:"FigureClusters"`
	RequestId      string          `json:"RequestId"`
}

// GetFigureCluster reads one cluster.
func (c *Client) GetFigureCluster(ctx context.Context, req GetFigureClusterRequest) (*FigureCluster, error) {
	var resp figureClusterResponse
	if err := c.call(ctx, "GetFigureCluster", req, &resp); err != nil {
		return nil, err
	}
	return &resp.FigureCluster, nil
}

// BatchGetFigureCluster reads several clusters by ID. Unknown IDs are left
// out of the answer.
func (c *Client) BatchGetFigureCluster(ctx context.Context, req BatchGetFigureClusterRequest) ([]FigureCluster, error) {
	var resp figureClustersResponse
	if err := c.call(ctx, "BatchGetFigureCluster", req, &resp); err != nil {
		return nil, err
	}
	return resp.FigureClusters, nil
}

// QueryFigureClusters reads one page of a dataset's clusters.
func (c *Client) QueryFigureClusters(ctx context.Context, req QueryFigureClustersRequest) (*QueryFigureClustersResponse, error) {
	var resp QueryFigureClustersResponse
	if err := c.call(ctx, "QueryFigureClusters", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// QueryAllFigureClusters reads every page of a dataset's clusters that match
// req.
func (c *Client) QueryAllFigureClusters(ctx context.Context, req QueryFigureClustersRequest) ([]FigureCluster, error) {
	return c.QueryFigureClustersUpTo(ctx, req, 0)
}

// QueryFigureClustersUpTo reads pages of a dataset's clusters that match req
// until it has limit of them (0: every page).
func (c *Client) QueryFigureClustersUpTo(ctx context.Context, req QueryFigureClustersRequest, limit int) ([]FigureCluster, error) {
	return pagesUpTo(limit, func(token string) ([]FigureCluster, string, error) {
		req.NextToken = token
		page, err := c.QueryFigureClusters(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return page.FigureClusters, page.NextToken, nil
	})
}

// UpdateFigureCluster changes a cluster's name, cover, custom ID or labels.
func (c *Client) UpdateFigureCluster(ctx context.Context, req UpdateFigureClusterRequest) error {
	return c.call(ctx, "UpdateFigureCluster", req, nil)
}
