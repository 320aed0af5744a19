package imm

// Types shared by triggers and batches, IMM's two kinds of data ingestion
// (imm-api.md §13.1). Request structs list their fields in the SDK's
// (alphabetical) order so that their JSON text is the official client's.

// Fast-fail policies of an action.
const (
	FastFailAbort  = "abort"
	FastFailIgnore = "ignore"
)

// DefaultIngestionServiceRole is the role IMM documents as the default of
// triggers and batches.
const DefaultIngestionServiceRole = "AliyunIMMBatchTriggerRole"

// Input is what a trigger or batch processes: objects of an OSS bucket.
type Input struct {
	OSS *InputOSS `json:"OSS,omitempty"`
}

// InputOSS selects objects of a bucket by key prefix and match
// expressions.
type InputOSS struct {
	Bucket           string   `json:"Bucket"`
	MatchExpressions []string `json:"MatchExpressions,omitempty"`
	Prefix           string   `json:"Prefix,omitempty"`
}

// IngestionAction is a processing template (such as doc/convert) with its
// parameters (such as pages=3).
type IngestionAction struct {
	FastFailPolicy *FastFailPolicy `json:"FastFailPolicy,omitempty"`
	Name           string          `json:"Name"`
	Parameters     []string        `json:"Parameters,omitempty"`
}

// FastFailPolicy says what an action's error does: abort or ignore.
type FastFailPolicy struct {
	Action string `json:"Action"`
}

// Notification is where IMM reports. Requests carry MNS only; answers may
// also carry Endpoint, Topic and RocketMQ.
type Notification struct {
	Endpoint string    `json:"Endpoint,omitempty"`
	MNS      *MNS      `json:"MNS,omitempty"`
	RocketMQ *RocketMQ `json:"RocketMQ,omitempty"`
	Topic    string    `json:"Topic,omitempty"`
}

// MNS names a Simple Message Queue topic.
type MNS struct {
	TopicName string `json:"TopicName"`
}

// RocketMQ names a RocketMQ topic.
type RocketMQ struct {
	InstanceId string `json:"InstanceId"`
	TopicName  string `json:"TopicName"`
}

// DataIngestion is a trigger or a batch as IMM shows it (the
// DataIngestion structure). Times are UTC, whole seconds
// (2020-11-10T03:50:28Z).
type DataIngestion struct {
	// Id is trigger-<uuid> or batch-<uuid>.
	Id           string            `json:"Id"`
	Input        Input             `json:"Input"`
	Actions      []IngestionAction `json:"Actions"`
	Notification *Notification     `json:"Notification"`
	ServiceRole  string            `json:"ServiceRole"`
	// State is Ready, Running, Suspended, Failed or Succeeded.
	State string `json:"State"`
	// Phase is IncrementalScanning (triggers) or FullScanning (batches)
	// while running.
	Phase string `json:"Phase"`
	// Marker is the processing position, opaque.
	Marker    string             `json:"Marker"`
	Statistic IngestionStatistic `json:"Statistic"`
	// Error says why it failed.
	Error      string         `json:"Error"`
	Tags       map[string]any `json:"Tags"`
	CreateTime string         `json:"CreateTime"`
	UpdateTime string         `json:"UpdateTime"`
}

// IngestionStatistic counts the tasks a trigger or batch submitted.
type IngestionStatistic struct {
	SubmitSuccess int64 `json:"SubmitSuccess"`
	SubmitFailure int64 `json:"SubmitFailure"`
	SkipFiles     int64 `json:"SkipFiles"`
}

// CreateTriggerRequest is CreateTrigger's (and CreateBatch's) parameters.
// ServiceRole empty is not sent (IMM's default role). Tags are custom tags
// to find triggers by (ListTriggers' TagSelector), not resource tags.
type CreateTriggerRequest struct {
	ProjectName  string            `json:"ProjectName"`
	Input        Input             `json:"Input"`
	Actions      []IngestionAction `json:"Actions"`
	ServiceRole  string            `json:"ServiceRole,omitempty"`
	Notification *Notification     `json:"Notification"`
	Tags         map[string]string `json:"Tags"`
}

// UpdateTriggerRequest is UpdateTrigger's (and UpdateBatch's) parameters:
// only non-nil fields are sent and changed; a non-nil empty Tags clears the
// tags. ServiceRole and Notification cannot be updated.
type UpdateTriggerRequest struct {
	ProjectName string            `json:"ProjectName"`
	Id          string            `json:"Id"`
	Input       *Input            `json:"Input"`
	Actions     []IngestionAction `json:"Actions"`
	Tags        map[string]string `json:"Tags"`
}

// ListTriggersRequest is ListTriggers' (and ListBatches') parameters.
// MaxResults is 0-100 (0 or nil: 100); Order is ASC or DESC; Sort is
// CreateTime or UpdateTime; State filters on one state; TagSelector is
// key=value.
type ListTriggersRequest struct {
	ProjectName string `json:"ProjectName"`
	MaxResults  *int64 `json:"MaxResults"`
	NextToken   string `json:"NextToken,omitempty"`
	Order       string `json:"Order,omitempty"`
	Sort        string `json:"Sort,omitempty"`
	State       string `json:"State,omitempty"`
	TagSelector string `json:"TagSelector,omitempty"`
}

type ingestionRef struct {
	ProjectName string `json:"ProjectName"`
	Id          string `json:"Id"`
}

type createdIngestion struct {
	Id        string `json:"Id"`
	RequestId string `json:"RequestId"`
}
