package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// This file is the wire adapter for the API: it turns an HTTP request into
// a call of one action function and the result into IMM's JSON, with the
// gateway's work around it (signature, throttling, faults, latency, log).

const immVersion = "2020-09-30"

// call is what an action function gets besides its typed request.
type call struct {
	now       time.Time
	params    *params
	view      reader // the lagging snapshot, for read actions
	temporary bool   // the caller signed with an STS key
}

type actionKind int

const (
	readKind  actionKind = iota // answered from a lagging snapshot
	writeKind                   // commits at once, validated against the committed state
	stsKind                     // STS, not IMM: no throttling or faults
)

type action struct {
	version string
	kind    actionKind
	run     func(e *Emulator, c *call) (any, *apiError)
}

func readAction[Req, Resp any](decode func(*params) Req, do func(*service, reader, Req) (Resp, *apiError)) action {
	return action{version: immVersion, kind: readKind, run: func(e *Emulator, c *call) (any, *apiError) {
		req := decode(c.params)
		if c.params.err != nil {
			return nil, c.params.err
		}
		return do(e.svc, c.view, req)
	}}
}

func writeAction[Req, Resp any](decode func(*params) Req, do func(*service, time.Time, Req) (Resp, *apiError)) action {
	return action{version: immVersion, kind: writeKind, run: func(e *Emulator, c *call) (any, *apiError) {
		req := decode(c.params)
		if c.params.err != nil {
			return nil, c.params.err
		}
		return do(e.svc, c.now, req)
	}}
}

// actions is every action the emulator serves.
var actions = mergeActions(immActions, ingestionActions(kindTrigger), ingestionActions(kindBatch))

func mergeActions(tables ...map[string]action) map[string]action {
	out := map[string]action{}
	for _, t := range tables {
		for name, a := range t {
			out[name] = a
		}
	}
	return out
}

var immActions = map[string]action{
	"CreateProject":              writeAction(decodeCreateProject, (*service).createProject),
	"GetProject":                 readAction(decodeGetProject, (*service).getProject),
	"UpdateProject":              writeAction(decodeUpdateProject, (*service).updateProject),
	"DeleteProject":              writeAction(decodeDeleteProject, (*service).deleteProject),
	"ListProjects":               readAction(decodeListProjects, (*service).listProjects),
	"CreateDataset":              writeAction(decodeCreateDataset, (*service).createDataset),
	"GetDataset":                 readAction(decodeGetDataset, (*service).getDataset),
	"UpdateDataset":              writeAction(decodeUpdateDataset, (*service).updateDataset),
	"DeleteDataset":              writeAction(decodeDatasetRef, (*service).deleteDataset),
	"ListDatasets":               readAction(decodeListDatasets, (*service).listDatasets),
	"CreateFigureClusteringTask": writeAction(decodeCreateFigureClusteringTask, (*service).createFigureClusteringTask),
	"GetFigureCluster":           readAction(decodeGetFigureCluster, (*service).getFigureCluster),
	"BatchGetFigureCluster":      readAction(decodeBatchGetFigureCluster, (*service).batchGetFigureCluster),
	"QueryFigureClusters":        readAction(decodeQueryFigureClusters, (*service).queryFigureClusters),
	"UpdateFigureCluster":        writeAction(decodeUpdateFigureCluster, (*service).updateFigureCluster),
	"CreateBinding":              writeAction(decodeBindingRef, (*service).createBinding),
	"GetBinding":                 readAction(decodeBindingRef, (*service).getBinding),
	"ListBindings":               readAction(decodeListBindings, (*service).listBindings),
	"DeleteBinding":              writeAction(decodeBindingRef, (*service).deleteBinding),
	"AttachOSSBucket":            writeAction(decodeAttachOSSBucket, (*service).attachOSSBucket),
	"GetOSSBucketAttachment":     readAction(decodeBucketRequest, (*service).getOSSBucketAttachment),
	"DetachOSSBucket":            writeAction(decodeBucketRequest, (*service).detachOSSBucket),
	"ListAttachedOSSBuckets":     readAction(decodeListAttachedOSSBuckets, (*service).listAttachedOSSBuckets),
	"SimpleQuery":                readAction(decodeSimpleQuery, (*service).simpleQuery),
	"DeleteFileMeta":             writeAction(decodeDeleteFileMeta, (*service).deleteFileMeta),
	"BatchDeleteFileMeta":        writeAction(decodeBatchDeleteFileMeta, (*service).batchDeleteFileMeta),
	"GetTask": {version: immVersion, kind: readKind, run: func(e *Emulator, c *call) (any, *apiError) {
		req := decodeGetTask(c.params)
		if c.params.err != nil {
			return nil, c.params.err
		}
		return e.svc.getTask(c.view, c.now, req)
	}},
	"AssumeRole": {version: stsVersion, kind: stsKind, run: (*Emulator).assumeRole},
}

// ActionNames lists the actions the emulator serves, IMM's and STS's.
func ActionNames() []string { return sortedKeysOf(actions) }

// assumeRole runs under the write lock: it adds a credential.
func (e *Emulator) assumeRole(c *call) (any, *apiError) {
	req, err := decodeAssumeRole(c.params.m, c.temporary)
	if err != nil {
		return nil, err
	}
	if !roleAllowed(e.roles, req.RoleArn) {
		return nil, newAPIError(http.StatusNotFound, "EntityNotExist.Role", "The role not exists: %s.", req.RoleArn)
	}
	cred := issueCredential(req, c.now)
	e.creds.add(cred)
	return assumeRoleAnswer(req, cred), nil
}

// answer is a response decided but not yet sent.
type answer struct {
	status int
	code   string
	body   []byte
	header http.Header
	fault  string // FaultConnectionClosed or FaultResponseHeld: applied when sending
	xml    bool   // the request asked for XML (Format=XML)
	root   string // the XML root of a success: the action's name + "Response"
}

// serveAPI handles POST (or GET) / : one IMM or STS request.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	requestID := strings.ToUpper(uuid.NewString())
	refuse := func(err *apiError) {
		ans := errorAnswer(err, requestID, r.Host, "imm")
		ans.xml = wantsXML(r.URL.Query().Get("Format"))
		writeAnswer(w, requestID, ans)
	}
	if r.URL.Path != "/" {
		refuse(newAPIError(http.StatusNotFound, "NotFound", "The emulator serves the API on / and its controls under /_emulator/."))
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		refuse(newAPIError(http.StatusMethodNotAllowed, "MethodNotAllowed", "The API takes POST (or GET) requests."))
		return
	}
	rec := Request{Time: e.clock.Now(), UserAgent: r.UserAgent()}
	ans := e.process(r, requestID, &rec)

	sleepUnlessDone(r.Context(), e.closing, e.latencyFor(rec.Action))
	switch ans.fault {
	case FaultConnectionClosed:
		rec.Status, rec.Code = 0, FaultConnectionClosed
		e.log.add(rec)
		closeWithoutResponse(w)
		return
	case FaultResponseHeld:
		if !sleepUnlessDone(r.Context(), e.closing, e.faultHold) || r.Context().Err() != nil {
			rec.Status, rec.Code = 0, FaultResponseHeld
			e.log.add(rec)
			return
		}
	}
	rec.Status, rec.Code = ans.status, ans.code
	e.log.add(rec)
	writeAnswer(w, requestID, ans)
}

// writeAnswer sends an answer as JSON, or as XML when the request asked for
// it: the action's name + "Response" as root for a success, Error for an
// error.
func writeAnswer(w http.ResponseWriter, requestID string, ans answer) {
	for k, vs := range ans.header {
		w.Header()[k] = vs
	}
	body, contentType := ans.body, "application/json;charset=utf-8"
	if ans.xml {
		root := ans.root
		if ans.status >= http.StatusBadRequest || root == "" {
			root = "Error"
		}
		// The body is the emulator's own JSON, so the rewrite cannot fail;
		// if it did, the JSON would still be a truthful answer.
		if x, err := jsonToXML(root, ans.body); err == nil {
			body, contentType = x, xmlContentType
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("x-acs-request-id", requestID)
	w.WriteHeader(ans.status)
	_, _ = w.Write(body)
}

// process decides the answer to an API request and fills in its log record.
func (e *Emulator) process(r *http.Request, requestID string, rec *Request) answer {
	product := "imm"
	asXML := wantsXML(r.URL.Query().Get("Format")) // until the body is read
	fail := func(err *apiError) answer {
		a := errorAnswer(err, requestID, r.Host, product)
		a.xml = asXML
		return a
	}

	body, readErr := io.ReadAll(http.MaxBytesReader(nil, r.Body, e.maxBodySize))
	rec.Action, _ = claimedAction(r, wireParams{merged: map[string]string{}})
	if readErr != nil {
		var tooBig *http.MaxBytesError
		if errors.As(readErr, &tooBig) {
			return fail(newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is larger than %d bytes.", e.maxBodySize))
		}
		return fail(newAPIError(http.StatusBadRequest, "InvalidParameter", "The request body could not be read: %v", readErr))
	}
	wp, perr := parseWireParams(r.URL.RawQuery, r.Header.Get("Content-Type"), body)
	if perr != nil {
		return fail(newAPIError(http.StatusBadRequest, "InvalidParameter", "The request query string or form body is malformed: %v", perr))
	}
	asXML = wantsXML(wp.merged["Format"])
	var version string
	rec.Action, version = claimedAction(r, wp)
	rec.AccessKeyId = claimedAccessKey(r, wp)
	rec.Params = businessParams(wp.merged)
	if version == stsVersion {
		product = "Sts"
	}

	id, temporary, err := e.authenticate(r, wp, body)
	if err != nil {
		return fail(err)
	}
	rec.AccessKeyId = id.AccessKeyId
	act, err := findAction(id.Action, id.Version)
	if err != nil {
		return fail(err)
	}

	now := e.clock.Now()
	var fault string
	if act.kind != stsKind {
		if ok, wait := e.throttle.allow(id.AccessKeyId, now, e.config().qps); !ok {
			a := fail(newAPIError(http.StatusTooManyRequests, "Throttling.User", "Request was denied due to user flow control."))
			a.header = http.Header{"X-Acs-Retry-After": {strconv.FormatInt(max(1, wait.Milliseconds()), 10)}}
			return a
		}
		switch fault = e.drawFault(id.Action); fault {
		case FaultInternalError:
			return fail(internalError("The request processing has failed due to some unknown error (fault injected by the emulator)."))
		case FaultServiceUnavailable:
			return fail(newAPIError(http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server (fault injected by the emulator)."))
		}
	}

	e.settleDueTasks(now)
	result, err := e.run(act, &call{now: now, params: newParams(rec.Params), temporary: temporary})
	if err != nil {
		a := fail(err)
		a.fault = fault
		return a
	}
	out, encErr := successBody(result, requestID)
	if encErr != nil {
		return fail(internalError("The response could not be encoded."))
	}
	return answer{status: http.StatusOK, body: out, fault: fault, xml: asXML, root: id.Action + "Response"}
}

// run executes an action under the right lock and snapshot.
func (e *Emulator) run(act action, c *call) (any, *apiError) {
	if act.kind == readKind {
		lag := e.readLag()
		e.mu.RLock()
		defer e.mu.RUnlock()
		if lag == 0 {
			c.view = e.svc.st.latest()
		} else {
			c.view = e.svc.st.asOf(c.now.Add(-lag))
		}
		return act.run(e, c)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	result, err := act.run(e, c)
	if err == nil {
		e.afterWriteLocked(c.now)
	}
	return result, err
}

func findAction(name, version string) (action, *apiError) {
	if name == "" {
		return action{}, newAPIError(http.StatusBadRequest, "MissingParameter", "The parameter Action is required but not provided.")
	}
	act, ok := actions[name]
	if !ok {
		return action{}, newAPIError(http.StatusBadRequest, "InvalidAction.NotFound",
			"Specified api is not found, please check your url and method: the emulator does not serve action %q.", name)
	}
	if version != act.version {
		return action{}, newAPIError(http.StatusBadRequest, "InvalidVersion",
			"Specified parameter Version is not valid: action %s is served by version %s, not %q.", name, act.version, version)
	}
	return act, nil
}

// successBody is the action's response object with RequestId first.
func successBody(result any, requestID string) ([]byte, error) {
	body, err := encodeJSON(result)
	if err != nil {
		return nil, err
	}
	head := `{"RequestId":"` + requestID + `"`
	if string(body) == "{}" {
		return []byte(head + "}"), nil
	}
	return append([]byte(head+","), body[1:]...), nil
}

// errorBody is IMM's error format (imm-api.md §4.1).
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

func errorAnswer(err *apiError, requestID, host, product string) answer {
	body, _ := encodeJSON(errorBody{
		RequestId: requestID,
		HostId:    host,
		Code:      err.Code,
		Message:   err.Message,
		Recommend: "https://next.api.aliyun.com/troubleshoot?q=" + err.Code + "&product=" + product,
	})
	return answer{status: err.Status, code: err.Code, body: body}
}

// sleepUnlessDone waits d of real time; it reports false when the client
// went away or the emulator closed first.
func sleepUnlessDone(ctx context.Context, closing <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-closing:
		return true
	}
}

// closeWithoutResponse drops the connection: the client sees a transport
// error and cannot tell whether its request was processed (it was).
func closeWithoutResponse(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 or a recorder: abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
