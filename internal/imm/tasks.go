package imm

import "context"

// TaskTypeFaceClustering is the GetTask type of a clustering task.
const TaskTypeFaceClustering = "FaceClustering"

// Task statuses.
const (
	TaskRunning   = "Running"
	TaskSucceeded = "Succeeded"
	TaskFailed    = "Failed"
)

// CreateFigureClusteringTaskRequest is CreateFigureClusteringTask's
// parameters.
type CreateFigureClusteringTaskRequest struct {
	ProjectName string            `json:"ProjectName"`
	DatasetName string            `json:"DatasetName"`
	Tags        map[string]string `json:"Tags"`
	UserData    *string           `json:"UserData"`
}

// TaskStarted is what an asynchronous task's creation returns.
type TaskStarted struct {
	TaskId    string `json:"TaskId"`
	EventId   string `json:"EventId"`
	RequestId string `json:"RequestId"`
}

// GetTaskRequest is GetTask's parameters.
type GetTaskRequest struct {
	ProjectName string `json:"ProjectName"`
	TaskId      string `json:"TaskId"`
	TaskType    string `json:"TaskType"`
}

// Task is an asynchronous task's state.
type Task struct {
	TaskId      string         `json:"TaskId"`
	TaskType    string         `json:"TaskType"`
	ProjectName string         `json:"ProjectName"`
	Status      string         `json:"Status"`
	Code        string         `json:"Code"`
	Message     string         `json:"Message"`
	StartTime   string         `json:"StartTime"`
	EndTime     string         `json:"EndTime"`
	EventId     string         `json:"EventId"`
	Progress    int64          `json:"Progress"`
	Tags        map[string]any `json:"Tags"`
	UserData    string         `json:"UserData"`
}

// CreateFigureClusteringTask starts clustering a dataset's faces. The task
// runs asynchronously; follow it with GetTask.
func (c *Client) CreateFigureClusteringTask(ctx context.Context, req CreateFigureClusteringTaskRequest) (*TaskStarted, error) {
	var resp TaskStarted
	if err := c.call(ctx, "CreateFigureClusteringTask", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}

// GetTask reads a task's state.
func (c *Client) GetTask(ctx context.Context, req GetTaskRequest) (*Task, error) {
	var resp Task
	if err := c.call(ctx, "GetTask", req, &resp); err != nil {
		return nil, err
	}
	return &resp, nil
}
