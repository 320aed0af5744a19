package emulator

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
)

const (
	taskTypeFaceClustering = "FaceClustering"
	taskRunning            = "Running"
	taskSucceeded          = "Succeeded"
	taskFailed             = "Failed"
	maxUserDataBytes       = 2048
	defaultTaskDuration    = 2 * time.Second
)

// task is an asynchronous job. It is Running until DueTime; the first
// request at or after DueTime settles it (see settleDueTasks), dating its
// effects at DueTime.
type task struct {
	TaskId            string
	TaskType          string
	ProjectName       string
	DatasetName       string
	Incarnation       string
	Status            string
	Code              string
	Message           string
	StartTime         time.Time
	EndTime           time.Time
	DueTime           time.Time
	EventId           string
	Tags              labelsJSON
	UserData          string
	RequestDefinition string
}

type createFigureClusteringTaskRequest struct {
	datasetRef
	Tags       labelsJSON
	UserData   string
	Definition map[string]string
}

func decodeCreateFigureClusteringTask(p *params) createFigureClusteringTaskRequest {
	req := createFigureClusteringTaskRequest{datasetRef: decodeDatasetRef(p), Definition: p.m}
	var notification struct {
		ExtendedMessageURI string
		MNS                *struct{ TopicName string }
		RocketMQ           *struct{ InstanceId, TopicName string }
	}
	p.optionalJSON("Notification", &notification)
	p.optionalJSON("Tags", &req.Tags)
	if ud := p.optionalString("UserData"); ud != nil {
		if len(*ud) > maxUserDataBytes {
			p.fail(invalidArgument("The parameter UserData must be at most %d bytes; got %d.", maxUserDataBytes, len(*ud)))
		}
		req.UserData = *ud
	}
	return req
}

type createTaskResponse struct {
	TaskId  string
	EventId string
}

func (s *service) createFigureClusteringTask(now time.Time, req createFigureClusteringTaskRequest) (createTaskResponse, *apiError) {
	d, err := findDataset(s.st.latest(), req.datasetRef)
	if err != nil {
		return createTaskResponse{}, err
	}
	definition, _ := json.Marshal(req.Definition)
	t := task{
		TaskId:            taskTypeFaceClustering + "-" + uuid.NewString(),
		TaskType:          taskTypeFaceClustering,
		ProjectName:       d.ProjectName,
		DatasetName:       d.DatasetName,
		Incarnation:       d.Incarnation,
		Status:            taskRunning,
		StartTime:         now,
		DueTime:           now.Add(s.taskDuration),
		EventId:           strings.ToUpper(uuid.NewString()),
		Tags:              req.Tags,
		UserData:          req.UserData,
		RequestDefinition: string(definition),
	}
	s.st.tasks.put(taskKey(t.ProjectName, t.TaskId), now, t)
	return createTaskResponse{TaskId: t.TaskId, EventId: t.EventId}, nil
}

// settleTask finishes a task, committing its effects at its DueTime: a
// clustering task clusters the dataset's not-yet-clustered seed figures. A
// task whose dataset is gone (or was recreated) fails.
func (s *service) settleTask(t task) {
	at := t.DueTime
	t.EndTime = at
	d, ok := s.st.latest().dataset(t.ProjectName, t.DatasetName)
	if !ok || d.Incarnation != t.Incarnation {
		t.Status, t.Code, t.Message = taskFailed, "ResourceNotFound", "The specified resource dataset is not found."
	} else {
		s.clusterFigures(d, at)
		t.Status = taskSucceeded
	}
	s.st.tasks.put(taskKey(t.ProjectName, t.TaskId), at, t)
}

type getTaskRequest struct {
	ProjectName       string
	TaskId            string
	TaskType          string
	RequestDefinition bool
}

func decodeGetTask(p *params) getTaskRequest {
	return getTaskRequest{
		ProjectName:       p.requiredName("ProjectName"),
		TaskId:            p.requiredString("TaskId"),
		TaskType:          p.requiredString("TaskType"),
		RequestDefinition: p.optionalBool("RequestDefinition"),
	}
}

type getTaskResponse struct {
	ProjectName           string
	TaskId                string
	TaskType              string
	Status                string
	Code                  string
	Message               string
	StartTime             string
	EndTime               string `json:",omitempty"`
	EventId               string
	Progress              int32
	Tags                  labelsJSON `json:",omitempty"`
	UserData              string     `json:",omitempty"`
	TaskRequestDefinition string     `json:",omitempty"`
}

func (s *service) getTask(v reader, now time.Time, req getTaskRequest) (getTaskResponse, *apiError) {
	if _, ok := v.project(req.ProjectName); !ok {
		return getTaskResponse{}, resourceNotFound(resourceProject)
	}
	t, ok := v.task(req.ProjectName, req.TaskId)
	if !ok || t.TaskType != req.TaskType {
		return getTaskResponse{}, resourceNotFound(resourceTask)
	}
	out := getTaskResponse{
		ProjectName: t.ProjectName,
		TaskId:      t.TaskId,
		TaskType:    t.TaskType,
		Status:      t.Status,
		Code:        t.Code,
		Message:     t.Message,
		StartTime:   formatTaskTime(t.StartTime),
		EventId:     t.EventId,
		Progress:    100,
		Tags:        t.Tags,
		UserData:    t.UserData,
	}
	if t.Status == taskRunning {
		out.Progress = runningProgress(t, now)
	} else {
		out.EndTime = formatTaskTime(t.EndTime)
	}
	if req.RequestDefinition {
		out.TaskRequestDefinition = t.RequestDefinition
	}
	return out, nil
}

// runningProgress grows with the time spent, short of 100 until settled.
func runningProgress(t task, now time.Time) int32 {
	total := t.DueTime.Sub(t.StartTime)
	if total <= 0 {
		return 99
	}
	p := int32(100 * now.Sub(t.StartTime) / total)
	return max(0, min(p, 99))
}
