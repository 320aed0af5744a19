package emulator

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ingestionActions are the actions of one kind of data ingestion:
// Create, Get, List, Update, Delete, Suspend and Resume (imm-api.md §13.2,
// §14). Get answers {"Trigger": ...} or {"Batch": ...}, List {"Triggers":
// [...]} or {"Batches": [...]}.
func ingestionActions(kind ingestionKind) map[string]action {
	one, many := "Trigger", "Triggers"
	if kind == kindBatch {
		one, many = "Batch", "Batches"
	}
	return map[string]action{
		kind.action("Create"): writeAction(decodeCreateIngestion, func(s *service, now time.Time, req createIngestionRequest) (map[string]any, *apiError) {
			return s.createIngestion(kind, now, req)
		}),
		kind.action("Get"): readAction(decodeIngestionRef, func(s *service, v reader, ref ingestionRef) (map[string]any, *apiError) {
			in, err := findIngestion(v, kind, ref)
			if err != nil {
				return nil, err
			}
			return map[string]any{one: ingestionView(in)}, nil
		}),
		"List" + many: readAction(decodeListIngestions, func(s *service, v reader, req listIngestionsRequest) (map[string]any, *apiError) {
			items, next, err := s.listIngestions(v, kind, req)
			if err != nil {
				return nil, err
			}
			out := map[string]any{many: items}
			if next != "" {
				out["NextToken"] = next
			}
			return out, nil
		}),
		kind.action("Update"): writeAction(decodeUpdateIngestion, func(s *service, now time.Time, req updateIngestionRequest) (emptyResponse, *apiError) {
			return s.updateIngestion(kind, now, req)
		}),
		kind.action("Delete"): writeAction(decodeIngestionRef, func(s *service, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
			return s.deleteIngestion(kind, now, ref)
		}),
		kind.action("Suspend"): writeAction(decodeIngestionRef, func(s *service, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
			return s.suspendIngestion(kind, now, ref)
		}),
		kind.action("Resume"): writeAction(decodeIngestionRef, func(s *service, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
			return s.resumeIngestion(kind, now, ref)
		}),
	}
}

func (s *service) putIngestion(kind ingestionKind, at time.Time, in ingestion) {
	s.st.table(kind).put(ingestionKey(in.ProjectName, in.Id), at, in)
}

func findIngestion(v reader, kind ingestionKind, ref ingestionRef) (ingestion, *apiError) {
	if _, ok := v.project(ref.ProjectName); !ok {
		return ingestion{}, resourceNotFound(resourceProject)
	}
	in, ok := v.ingestion(kind, ref.ProjectName, ref.Id)
	if !ok {
		return ingestion{}, resourceNotFound(kind.name())
	}
	return in, nil
}

// wrongState refuses an operation the current state does not allow.
func wrongState(kind ingestionKind, in ingestion, verb string, allowed ...string) *apiError {
	return invalidArgument("The %s %s is %s; %s is allowed only when it is %s.",
		kind.name(), in.Id, in.State, kind.action(verb), strings.Join(allowed, ", "))
}

func (s *service) createIngestion(kind ingestionKind, now time.Time, req createIngestionRequest) (map[string]any, *apiError) {
	if _, ok := s.st.latest().project(req.ProjectName); !ok {
		return nil, resourceNotFound(resourceProject)
	}
	in := ingestion{
		Id:           kind.name() + "-" + uuid.NewString(),
		ProjectName:  req.ProjectName,
		Input:        req.Input,
		Actions:      req.Actions,
		Notification: req.Notification,
		ServiceRole:  req.ServiceRole,
		Tags:         req.Tags,
		State:        stateReady,
		Marker:       s.oss.Seq,
		CreateTime:   now,
		UpdateTime:   now,
		StartAt:      now.Add(s.startDelay()),
	}
	s.putIngestion(kind, now, in)
	return map[string]any{"Id": in.Id}, nil
}

// updateIngestion replaces the given Input, Actions and Tags. IMM allows it
// in Ready and Failed (and, with Options.UpdateWhenSuspended, Suspended);
// the state does not change.
func (s *service) updateIngestion(kind ingestionKind, now time.Time, req updateIngestionRequest) (emptyResponse, *apiError) {
	in, err := findIngestion(s.st.latest(), kind, req.ingestionRef)
	if err != nil {
		return emptyResponse{}, err
	}
	allowed := []string{stateReady, stateFailed}
	if s.updateWhenSuspended {
		allowed = append(allowed, stateSuspended)
	}
	if !contains(allowed, in.State) {
		return emptyResponse{}, wrongState(kind, in, "Update", allowed...)
	}
	if req.Input != nil {
		in.Input = *req.Input
	}
	if req.Actions != nil {
		in.Actions = *req.Actions
	}
	if req.Tags != nil {
		in.Tags = *req.Tags
	}
	in.UpdateTime = now
	s.putIngestion(kind, now, in)
	return emptyResponse{}, nil
}

func (s *service) deleteIngestion(kind ingestionKind, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
	in, err := findIngestion(s.st.latest(), kind, ref)
	if err != nil {
		return emptyResponse{}, err
	}
	if in.State == stateRunning {
		return emptyResponse{}, wrongState(kind, in, "Delete", stateReady, stateFailed, stateSuspended, stateSucceeded)
	}
	s.st.table(kind).remove(ingestionKey(in.ProjectName, in.Id), now)
	return emptyResponse{}, nil
}

// suspendIngestion pauses a running trigger or batch; a batch keeps the
// time it had left.
func (s *service) suspendIngestion(kind ingestionKind, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
	in, err := findIngestion(s.st.latest(), kind, ref)
	if err != nil {
		return emptyResponse{}, err
	}
	if in.State != stateRunning {
		return emptyResponse{}, wrongState(kind, in, "Suspend", stateRunning)
	}
	if kind == kindBatch {
		in.Remaining = in.DueTime.Sub(now)
	}
	in.State, in.Phase, in.UpdateTime = stateSuspended, "", now
	s.putIngestion(kind, now, in)
	return emptyResponse{}, nil
}

func (s *service) resumeIngestion(kind ingestionKind, now time.Time, ref ingestionRef) (emptyResponse, *apiError) {
	in, err := findIngestion(s.st.latest(), kind, ref)
	if err != nil {
		return emptyResponse{}, err
	}
	if in.State != stateSuspended && in.State != stateFailed {
		return emptyResponse{}, wrongState(kind, in, "Resume", stateSuspended, stateFailed)
	}
	in.UpdateTime = now
	s.startIngestion(kind, in, now)
	return emptyResponse{}, nil
}

// startIngestion makes a trigger or batch run, or fail when its input
// bucket is not attached to its project. A running trigger then processes
// what arrived since its marker; a batch runs for the scan duration (or
// what it had left when suspended).
func (s *service) startIngestion(kind ingestionKind, in ingestion, at time.Time) {
	bucket := in.Input.OSS.Bucket
	if a, ok := s.st.latest().attachment(bucket); !ok || a.ProjectName != in.ProjectName {
		in.State, in.Phase = stateFailed, ""
		in.Error = fmt.Sprintf("The OSS bucket %s is not attached to project %s: attach it (AttachOSSBucket), then resume the %s.", bucket, in.ProjectName, kind.name())
		s.putIngestion(kind, at, in)
		return
	}
	in.State, in.Error = stateRunning, ""
	if kind == kindTrigger {
		in.Phase = phaseIncrementalScanning
		s.putIngestion(kind, at, in)
		s.processTrigger(in, at)
		return
	}
	in.Phase = phaseFullScanning
	in.DueTime = at.Add(s.scanDuration)
	if in.Remaining > 0 {
		in.DueTime, in.Remaining = at.Add(in.Remaining), 0
	}
	s.putIngestion(kind, at, in)
}

// processTrigger submits one task per object written under the trigger's
// input since its marker, oldest first. MatchExpressions are not
// interpreted.
func (s *service) processTrigger(in ingestion, at time.Time) {
	var fresh []ossObject
	for _, obj := range s.oss.objectsUnder(in.Input.OSS.Bucket, in.Input.OSS.Prefix) {
		if obj.Seq > in.Marker {
			fresh = append(fresh, obj)
		}
	}
	if len(fresh) == 0 {
		return
	}
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].Seq < fresh[j].Seq })
	last := fresh[len(fresh)-1]
	in.SubmitSuccess += int64(len(fresh))
	in.Marker, in.LastURI = last.Seq, last.URI
	s.putIngestion(kindTrigger, at, in)
}

// runTriggers lets every running trigger process what arrived.
func (s *service) runTriggers(at time.Time) {
	for _, in := range s.st.triggers.committed() {
		if in.State == stateRunning {
			s.processTrigger(in, at)
		}
	}
}

// finishBatch ends a batch: one task per object under its input that was
// there when the batch was created and is still there.
func (s *service) finishBatch(in ingestion, at time.Time) {
	for _, obj := range s.oss.objectsUnder(in.Input.OSS.Bucket, in.Input.OSS.Prefix) {
		if obj.Seq <= in.Marker {
			in.SubmitSuccess++
			in.LastURI = obj.URI
		}
	}
	in.State, in.Phase = stateSucceeded, ""
	s.putIngestion(kindBatch, at, in)
}

// ingestionEvent is the next change a trigger's or batch's clock brings:
// its start at StartAt, a batch's end at DueTime.
func ingestionEvent(kind ingestionKind, in ingestion) (time.Time, bool) {
	switch {
	case in.State == stateReady:
		return in.StartAt, true
	case kind == kindBatch && in.State == stateRunning:
		return in.DueTime, true
	}
	return time.Time{}, false
}

func (s *service) advanceIngestion(kind ingestionKind, in ingestion, at time.Time) {
	if in.State == stateReady {
		s.startIngestion(kind, in, at)
		return
	}
	s.finishBatch(in, at)
}

func (s *service) listIngestions(v reader, kind ingestionKind, req listIngestionsRequest) ([]dataIngestionJSON, string, *apiError) {
	if _, ok := v.project(req.ProjectName); !ok {
		return nil, "", resourceNotFound(resourceProject)
	}
	list := strings.Join([]string{kind.name() + "s", req.ProjectName, req.Sort, req.Order}, "/")
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return nil, "", err
		}
	}
	var matching []ingestion
	for _, in := range v.ingestions(kind, req.ProjectName) {
		if (req.State == "" || in.State == req.State) && matchesTags(in.Tags, req.TagSelector) {
			matching = append(matching, in)
		}
	}
	key := func(in ingestion) string { return ingestionSortKey(in, req.Sort) }
	desc := req.Order == "DESC"
	sort.Slice(matching, func(i, j int) bool {
		if desc {
			return key(matching[i]) > key(matching[j])
		}
		return key(matching[i]) < key(matching[j])
	})
	page, next := paginate(matching, key, list, after, s.pageSize(req.MaxResults), desc)
	out := []dataIngestionJSON{}
	for _, in := range page {
		out = append(out, ingestionView(in))
	}
	return out, next, nil
}
