package emulator

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// Binding states and phases (imm-api.md §11.1). The emulator never enters
// Stopped, Retrying or Deleted: no API can stop a binding, and a deleted
// binding is gone at once.
const (
	bindingReady             = "Ready"
	bindingRunning           = "Running"
	bindingFailed            = "Failed"
	phaseFullScanning        = "FullScanning"
	phaseIncrementalScanning = "IncrementalScanning"
	defaultScanDuration      = 3 * time.Second
)

// binding is a stored binding of a dataset to an OSS bucket. It is Ready
// until StartAt, then Running in phase FullScanning until ScanEndAt, when
// the objects already in the bucket are indexed, then Running in phase
// IncrementalScanning, indexing new objects as they come. It is Failed,
// with a Reason, when its bucket does not exist at StartAt.
type binding struct {
	ProjectName string
	DatasetName string
	URI         string
	Bucket      string
	Incarnation string
	State       string
	Phase       string
	Reason      string
	CreateTime  time.Time
	UpdateTime  time.Time
	StartAt     time.Time
	ScanEndAt   time.Time
}

// bindingJSON is the Binding structure of imm-api.md §11.1.
type bindingJSON struct {
	ProjectName string
	DatasetName string
	URI         string
	State       string
	Phase       string
	Reason      string
	CreateTime  string
	UpdateTime  string
}

func bindingView(b binding) bindingJSON {
	return bindingJSON{
		ProjectName: b.ProjectName,
		DatasetName: b.DatasetName,
		URI:         b.URI,
		State:       b.State,
		Phase:       b.Phase,
		Reason:      b.Reason,
		CreateTime:  formatServiceTime(b.CreateTime),
		UpdateTime:  formatServiceTime(b.UpdateTime),
	}
}

// missingParam is IMM's Missing{ParameterName} code (imm-api.md §4.2), used
// for the binding parameters the newest SDK marks optional but the
// emulator still requires.
func missingParam(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "Missing"+name, "%s is mandatory for this action.", name)
}

// bindingBucket returns the bucket of a binding URI, which must be exactly
// oss://<bucket>: the only form IMM documents.
func bindingBucket(uri string) (string, bool) {
	bucket, ok := strings.CutPrefix(uri, "oss://")
	return bucket, ok && validBucketName(bucket)
}

type bindingRef struct {
	ProjectName string
	DatasetName string
	URI         string
}

func decodeBindingRef(p *params) bindingRef {
	ref := bindingRef{ProjectName: p.requiredName("ProjectName")}
	ref.DatasetName = p.m["DatasetName"]
	ref.URI = p.m["URI"]
	switch {
	case p.err != nil:
	case ref.DatasetName == "":
		p.fail(missingParam("DatasetName"))
	case !validName(ref.DatasetName):
		p.fail(invalidArgument("The parameter DatasetName is invalid: it must be 1 to 128 characters of letters, digits, underscores (_) and hyphens (-), starting with a letter or an underscore."))
	case ref.URI == "":
		p.fail(missingParam("URI"))
	default:
		if _, ok := bindingBucket(ref.URI); !ok {
			p.fail(newAPIError(http.StatusBadRequest, "InvalidURI",
				"Specified parameter URI is not valid: a binding's URI must be oss://<bucket> (a bucket name of 3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit, with no path); got %q.", ref.URI))
		}
	}
	return ref
}

type bindingResponse struct {
	Binding bindingJSON
}

func (s *service) createBinding(now time.Time, ref bindingRef) (bindingResponse, *apiError) {
	v := s.st.latest()
	d, err := findDataset(v, datasetRef{ref.ProjectName, ref.DatasetName})
	if err != nil {
		return bindingResponse{}, err
	}
	if _, ok := v.binding(ref.ProjectName, ref.DatasetName, ref.URI); ok {
		return bindingResponse{}, resourceAlreadyExists(resourceBinding)
	}
	if n := int64(len(v.bindings(ref.ProjectName, ref.DatasetName))); n >= d.DatasetMaxBindCount {
		return bindingResponse{}, resourceCountExceeded("dataset %s allows at most %d bindings (DatasetMaxBindCount)", d.DatasetName, d.DatasetMaxBindCount)
	}
	bucket, _ := bindingBucket(ref.URI)
	b := binding{
		ProjectName: ref.ProjectName,
		DatasetName: ref.DatasetName,
		URI:         ref.URI,
		Bucket:      bucket,
		Incarnation: d.Incarnation,
		State:       bindingReady,
		CreateTime:  now,
		UpdateTime:  now,
		StartAt:     now.Add(s.startDelay()),
		ScanEndAt:   now.Add(s.scanDuration),
	}
	s.st.bindings.put(bindingKey(b.ProjectName, b.DatasetName, b.URI), now, b)
	return bindingResponse{Binding: bindingView(b)}, nil
}

// startDelay is how long a new binding, trigger or batch stays Ready
// before it runs: a tenth of the scan duration.
func (s *service) startDelay() time.Duration { return s.scanDuration / 10 }

func findBinding(v reader, ref bindingRef) (binding, *apiError) {
	if _, err := findDataset(v, datasetRef{ref.ProjectName, ref.DatasetName}); err != nil {
		return binding{}, err
	}
	b, ok := v.binding(ref.ProjectName, ref.DatasetName, ref.URI)
	if !ok {
		return binding{}, resourceNotFound(resourceBinding)
	}
	return b, nil
}

func (s *service) getBinding(v reader, ref bindingRef) (bindingResponse, *apiError) {
	b, err := findBinding(v, ref)
	if err != nil {
		return bindingResponse{}, err
	}
	return bindingResponse{Binding: bindingView(b)}, nil
}

// deleteBinding removes the binding at once; the files it indexed stay in
// the dataset.
func (s *service) deleteBinding(now time.Time, ref bindingRef) (emptyResponse, *apiError) {
	b, err := findBinding(s.st.latest(), ref)
	if err != nil {
		return emptyResponse{}, err
	}
	s.st.bindings.remove(bindingKey(b.ProjectName, b.DatasetName, b.URI), now)
	return emptyResponse{}, nil
}

type listBindingsRequest struct {
	ProjectName string
	DatasetName string
	MaxResults  *int64
	NextToken   string
}

func decodeListBindings(p *params) listBindingsRequest {
	req := listBindingsRequest{
		ProjectName: p.requiredName("ProjectName"),
		DatasetName: p.m["DatasetName"],
		MaxResults:  p.optionalInt("MaxResults", 0, 200),
		NextToken:   p.m["NextToken"],
	}
	if p.err == nil && req.DatasetName != "" && !validName(req.DatasetName) {
		p.fail(invalidArgument("The parameter DatasetName is invalid: it must be 1 to 128 characters of letters, digits, underscores (_) and hyphens (-), starting with a letter or an underscore."))
	}
	return req
}

type listBindingsResponse struct {
	Bindings  []bindingJSON
	NextToken string `json:",omitempty"`
}

// listBindings lists a dataset's bindings, or the whole project's when
// DatasetName is absent, by dataset name then URI.
func (s *service) listBindings(v reader, req listBindingsRequest) (listBindingsResponse, *apiError) {
	if _, ok := v.project(req.ProjectName); !ok {
		return listBindingsResponse{}, resourceNotFound(resourceProject)
	}
	if req.DatasetName != "" {
		if _, ok := v.dataset(req.ProjectName, req.DatasetName); !ok {
			return listBindingsResponse{}, resourceNotFound(resourceDataset)
		}
	}
	list := "bindings/" + req.ProjectName + "/" + req.DatasetName
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return listBindingsResponse{}, err
		}
	}
	key := func(b binding) string { return b.DatasetName + "\x00" + b.URI }
	all := v.bindings(req.ProjectName, req.DatasetName)
	sort.Slice(all, func(i, j int) bool { return key(all[i]) < key(all[j]) })
	page, next := paginate(all, key, list, after, s.pageSize(req.MaxResults), false)
	out := listBindingsResponse{Bindings: []bindingJSON{}, NextToken: next}
	for _, b := range page {
		out.Bindings = append(out.Bindings, bindingView(b))
	}
	return out, nil
}

// bindingEvent is the next change a binding's clock brings: its start (or
// failure) at StartAt, the end of its full scan at ScanEndAt.
func (s *service) bindingEvent(b binding) (time.Time, bool) {
	switch {
	case b.State == bindingReady:
		return b.StartAt, true
	case b.State == bindingRunning && b.Phase == phaseFullScanning:
		return b.ScanEndAt, true
	}
	return time.Time{}, false
}

// advanceBinding applies a binding's due event at its time. UpdateTime
// stays: IMM moves it only when a binding is paused, retried or restarted.
func (s *service) advanceBinding(b binding, at time.Time) {
	d, ok := s.st.latest().dataset(b.ProjectName, b.DatasetName)
	switch {
	case !ok || d.Incarnation != b.Incarnation:
		b.State, b.Phase, b.Reason = bindingFailed, "", "The dataset "+b.DatasetName+" no longer exists."
	case b.State == bindingReady && !s.oss.Buckets[b.Bucket]:
		b.State, b.Reason = bindingFailed, "The OSS bucket "+b.Bucket+" does not exist."
	case b.State == bindingReady:
		b.State, b.Phase = bindingRunning, phaseFullScanning
	default:
		s.indexObjects(d, s.oss.objectsUnder(b.Bucket, ""), at)
		b.Phase = phaseIncrementalScanning
	}
	s.st.bindings.put(bindingKey(b.ProjectName, b.DatasetName, b.URI), at, b)
}
