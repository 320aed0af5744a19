package emulator

import (
	"fmt"
	"strings"
	"time"
)

// Triggers and batches are IMM's two kinds of data ingestion (imm-api.md
// §13, §14): the same DataIngestion structure, the same parameters and the
// same state rules. A trigger processes objects uploaded under its input
// after its creation, for as long as it runs; a batch processes the objects
// that were there when it was created, once, and ends Succeeded.

type ingestionKind int

const (
	kindTrigger ingestionKind = iota
	kindBatch
)

// name is the kind as error messages and action names say it.
func (k ingestionKind) name() string {
	if k == kindBatch {
		return "batch"
	}
	return "trigger"
}

func (k ingestionKind) action(verb string) string {
	if k == kindBatch {
		return verb + "Batch"
	}
	return verb + "Trigger"
}

// Data ingestion states (imm-api.md §13.1).
const (
	stateReady                  = "Ready"
	stateRunning                = "Running"
	stateFailed                 = "Failed"
	stateSuspended              = "Suspended"
	stateSucceeded              = "Succeeded"
	defaultIngestionServiceRole = "AliyunIMMBatchTriggerRole"
	fastFailAbort               = "abort"
	fastFailIgnore              = "ignore"
)

var ingestionStates = []string{stateReady, stateRunning, stateFailed, stateSuspended, stateSucceeded}

// ingestionInput is the Input parameter and field.
type ingestionInput struct {
	OSS *inputOSS `json:",omitempty"`
}

type inputOSS struct {
	Bucket           string
	Prefix           string   `json:",omitempty"`
	MatchExpressions []string `json:",omitempty"`
}

type ingestionAction struct {
	Name           string
	Parameters     []string        `json:",omitempty"`
	FastFailPolicy *fastFailPolicy `json:",omitempty"`
}

type fastFailPolicy struct {
	Action string
}

type ingestionNotification struct {
	MNS *mnsTopic `json:",omitempty"`
}

type mnsTopic struct {
	TopicName string
}

// ingestion is a stored trigger or batch. Marker is the fake OSS's
// sequence number at creation: a trigger processes objects written after
// it (and moves it on), a batch the objects written up to it. LastURI is
// the last object processed, shown as Marker. A Ready one starts at
// StartAt; a running batch ends at DueTime; a suspended batch keeps the
// time it had left in Remaining.
type ingestion struct {
	Id            string
	ProjectName   string
	Input         ingestionInput
	Actions       []ingestionAction
	Notification  *ingestionNotification
	ServiceRole   string
	Tags          labelsJSON
	State         string
	Phase         string
	Error         string
	Marker        int64
	LastURI       string
	SubmitSuccess int64
	SubmitFailure int64
	SkipFiles     int64
	CreateTime    time.Time
	UpdateTime    time.Time
	StartAt       time.Time
	DueTime       time.Time
	Remaining     time.Duration
}

// dataIngestionJSON is the DataIngestion structure of imm-api.md §13.1.
type dataIngestionJSON struct {
	Id           string
	Input        ingestionInput
	Actions      []ingestionAction
	Notification *ingestionNotification `json:",omitempty"`
	ServiceRole  string
	State        string
	Phase        string
	Marker       string
	Statistic    statisticJSON
	Error        string
	Tags         labelsJSON
	CreateTime   string
	UpdateTime   string
}

type statisticJSON struct {
	SubmitSuccess int64
	SubmitFailure int64
	SkipFiles     int64
}

// formatIngestionTime is the DataIngestion samples' format: UTC, whole
// seconds.
func formatIngestionTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func ingestionView(in ingestion) dataIngestionJSON {
	out := dataIngestionJSON{
		Id:           in.Id,
		Input:        in.Input,
		Actions:      append([]ingestionAction{}, in.Actions...),
		Notification: in.Notification,
		ServiceRole:  in.ServiceRole,
		State:        in.State,
		Phase:        in.Phase,
		Marker:       in.LastURI,
		Statistic:    statisticJSON{in.SubmitSuccess, in.SubmitFailure, in.SkipFiles},
		Error:        in.Error,
		Tags:         in.Tags,
		CreateTime:   formatIngestionTime(in.CreateTime),
		UpdateTime:   formatIngestionTime(in.UpdateTime),
	}
	if out.Tags == nil {
		out.Tags = labelsJSON{}
	}
	return out
}

// readInput decodes and checks an Input parameter.
func readInput(p *params, required bool) *ingestionInput {
	var in ingestionInput
	if required {
		p.requiredJSON("Input", &in)
	} else if !p.optionalJSON("Input", &in) {
		return nil
	}
	if p.err != nil {
		return nil
	}
	switch {
	case in.OSS == nil || in.OSS.Bucket == "":
		p.fail(missingParameter("Input.OSS.Bucket"))
	case !validBucketName(in.OSS.Bucket):
		p.fail(invalidArgument("The parameter Input.OSS.Bucket must be a bucket name of 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit; got %q.", in.OSS.Bucket))
	case len(in.OSS.Prefix) > maxObjectKeyBytes:
		p.fail(invalidArgument("The parameter Input.OSS.Prefix must be at most %d bytes.", maxObjectKeyBytes))
	}
	return &in
}

// readActions decodes and checks an Actions parameter.
func readActions(p *params, required bool) *[]ingestionAction {
	var actions []ingestionAction
	if required {
		p.requiredJSON("Actions", &actions)
	} else if !p.optionalJSON("Actions", &actions) {
		return nil
	}
	if p.err != nil {
		return nil
	}
	if len(actions) == 0 {
		p.fail(invalidArgument("The parameter Actions must hold at least one action."))
		return nil
	}
	for i, a := range actions {
		if strings.TrimSpace(a.Name) == "" {
			p.fail(missingParameter(fmt.Sprintf("Actions[%d].Name", i)))
			return nil
		}
		if f := a.FastFailPolicy; f != nil && f.Action != fastFailAbort && f.Action != fastFailIgnore {
			p.fail(invalidArgument("The parameter Actions[%d].FastFailPolicy.Action must be %s or %s; got %q.", i, fastFailAbort, fastFailIgnore, f.Action))
			return nil
		}
	}
	return &actions
}

// readIngestionTags decodes a Tags parameter: a JSON object.
func readIngestionTags(p *params) *labelsJSON {
	var tags labelsJSON
	if !p.optionalJSON("Tags", &tags) {
		return nil
	}
	for k := range tags {
		if k == "" {
			p.fail(invalidArgument("The parameter Tags has an empty key."))
			return nil
		}
	}
	if tags == nil {
		tags = labelsJSON{}
	}
	return &tags
}

type createIngestionRequest struct {
	ProjectName  string
	Input        ingestionInput
	Actions      []ingestionAction
	ServiceRole  string
	Notification *ingestionNotification
	Tags         labelsJSON
}

func decodeCreateIngestion(p *params) createIngestionRequest {
	req := createIngestionRequest{ProjectName: p.requiredName("ProjectName"), ServiceRole: defaultIngestionServiceRole}
	if in := readInput(p, true); in != nil {
		req.Input = *in
	}
	if actions := readActions(p, true); actions != nil {
		req.Actions = *actions
	}
	if role := p.optionalNonEmpty("ServiceRole"); role != nil {
		req.ServiceRole = *role
	}
	var n ingestionNotification
	if p.optionalJSON("Notification", &n) {
		if n.MNS != nil && n.MNS.TopicName == "" {
			p.fail(missingParameter("Notification.MNS.TopicName"))
		}
		req.Notification = &n
	}
	if tags := readIngestionTags(p); tags != nil {
		req.Tags = *tags
	}
	return req
}

type ingestionRef struct {
	ProjectName string
	Id          string
}

func decodeIngestionRef(p *params) ingestionRef {
	return ingestionRef{ProjectName: p.requiredName("ProjectName"), Id: p.requiredString("Id")}
}

type updateIngestionRequest struct {
	ingestionRef
	Input   *ingestionInput
	Actions *[]ingestionAction
	Tags    *labelsJSON
}

func decodeUpdateIngestion(p *params) updateIngestionRequest {
	return updateIngestionRequest{
		ingestionRef: decodeIngestionRef(p),
		Input:        readInput(p, false),
		Actions:      readActions(p, false),
		Tags:         readIngestionTags(p),
	}
}

type listIngestionsRequest struct {
	ProjectName string
	MaxResults  *int64
	NextToken   string
	Sort        string
	Order       string
	State       string
	TagSelector []labelCondition
}

func decodeListIngestions(p *params) listIngestionsRequest {
	req := listIngestionsRequest{
		ProjectName: p.requiredName("ProjectName"),
		MaxResults:  p.optionalInt("MaxResults", 0, 100),
		NextToken:   p.m["NextToken"],
		Sort:        p.m["Sort"],
		Order:       strings.ToUpper(p.m["Order"]),
		State:       p.m["State"],
	}
	switch req.Order {
	case "", "ASC":
		req.Order = "ASC"
	case "DESC", "DES":
		req.Order = "DESC"
	default:
		p.fail(invalidArgument("The parameter Order must be ASC or DESC; got %q.", p.m["Order"]))
	}
	if req.Sort != "" && req.Sort != "CreateTime" && req.Sort != "UpdateTime" {
		p.fail(invalidArgument("The parameter Sort must be CreateTime or UpdateTime; got %q.", req.Sort))
	}
	if req.State != "" && !contains(ingestionStates, req.State) {
		p.fail(invalidArgument("The parameter State must be one of %s; got %q.", strings.Join(ingestionStates, ", "), req.State))
	}
	if q := strings.TrimSpace(p.m["TagSelector"]); q != "" {
		conds, err := parseLabelQuery(q)
		if err != nil {
			p.fail(invalidArgument("The parameter TagSelector must be key=value conditions joined by \" and \": %v.", err))
		}
		req.TagSelector = conds
	}
	return req
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func matchesTags(tags labelsJSON, conds []labelCondition) bool {
	for _, cond := range conds {
		raw, ok := tags[cond.key]
		if !ok || labelText(raw) != cond.value {
			return false
		}
	}
	return true
}

// ingestionSortKey orders by the Sort time (CreateTime by default), Id
// breaking ties.
func ingestionSortKey(in ingestion, field string) string {
	t := in.CreateTime
	if field == "UpdateTime" {
		t = in.UpdateTime
	}
	return fmt.Sprintf("%020d", uint64(t.UnixNano())+1<<63) + "\x00" + in.Id
}
