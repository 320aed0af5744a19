package emulator

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

// The test key pair the emulator accepts when Options leave it empty. The
// README documents these values.
const (
	DefaultAccessKeyID     = "LTAI5tIMMEmulatorKey"
	DefaultAccessKeySecret = "imm-emulator-test-secret"
)

// Defaults of Options.
const (
	DefaultFaultHold    = 30 * time.Second
	DefaultTaskDuration = defaultTaskDuration
	DefaultScanDuration = defaultScanDuration
	DefaultProjectQuota = defaultProjectQuota
	// MaxRequestBytes bounds a request body.
	MaxRequestBytes = 1 << 20
	// RequestTimeWindow is how far a signed request time may be from the
	// wall clock, and how long a nonce is remembered.
	RequestTimeWindow = 15 * time.Minute
)

// Options configure an Emulator. The zero value is a working emulator with
// the default key pair, no read lag, no throttling and no faults.
type Options struct {
	// AccessKeyID and AccessKeySecret are the one long-term key pair the
	// emulator accepts (DefaultAccessKeyID/DefaultAccessKeySecret if empty).
	AccessKeyID, AccessKeySecret string
	// PropagationDelay bounds how far reads lag writes; 0 means reads see
	// writes at once.
	PropagationDelay time.Duration
	// ReadLag is "random" (default: each read lags by a uniform draw from
	// [0, PropagationDelay]) or "fixed" (every read lags by the full delay).
	ReadLag string
	// QPS is the per-AccessKey request rate for IMM actions; 0 = unlimited.
	QPS float64
	// FaultRate is the fraction (0..1) of IMM requests that get an injected
	// fault, of a kind drawn evenly from FaultKinds.
	FaultRate float64
	// FaultKinds limits the injected faults to these kinds (default
	// AllFaultKinds).
	FaultKinds []string
	// FaultActions limits injected faults to these actions (default: every
	// IMM action), and FaultLimit stops injecting after that many faults (0:
	// no limit), so that a test can lose exactly one answer.
	FaultActions []string
	FaultLimit   int
	// Latency is added to every IMM and STS response, or with
	// LatencyActions, to the responses of these actions only.
	Latency        time.Duration
	LatencyActions []string
	// ProjectQuota is how many projects may exist (default 100).
	ProjectQuota int
	// MaxPageSize, when positive, caps every List*/Query* page whatever
	// MaxResults says, to exercise paging.
	MaxPageSize int
	// TaskDuration is how long a clustering task stays Running (default 2s
	// on Clock).
	TaskDuration time.Duration
	// ScanDuration is how long a binding's full scan of its bucket takes,
	// and a batch's run (default 3s on Clock). A new binding, trigger or
	// batch is Ready for the first tenth of it.
	ScanDuration time.Duration
	// UpdateWhenSuspended lets UpdateTrigger and UpdateBatch accept a
	// Suspended trigger or batch (IMM documents only Ready and Failed).
	UpdateWhenSuspended bool
	// FaultHold is the longest a ResponseHeld fault holds (default 30s of
	// real time); it also ends when the client goes away.
	FaultHold time.Duration
	// Roles is the AssumeRole allow list; empty allows any well-formed ARN.
	Roles []string
	// Clock is the emulator's time: commit times, read lag, task ends,
	// throttling and STS expiry (default clock.Real{}). Signature freshness
	// is checked against the wall clock, which clients sign with.
	Clock clock.Clock
	// Rand drives the read lag and the fault draws (math/rand/v2); set a
	// seeded one for repeatable tests. Default: randomly seeded.
	Rand *rand.Rand
	// RequestLogFile, when set, gets one JSON object per request, appended.
	RequestLogFile string
	// DataFile, when set, keeps the state across restarts.
	DataFile string
	// Figures seed the faces clustering tasks find.
	Figures []FigureSeed
	// OSS is the fake OSS's content at start: objects a user uploaded,
	// with the faces in them.
	OSS OSSContents
}

// Emulator is an in-memory IMM 2020-09-30 service (plus STS AssumeRole).
// Serve its Handler, or use Start.
type Emulator struct {
	clock       clock.Clock
	faultHold   time.Duration
	roles       []string
	dataFile    string
	maxBodySize int64

	// mu guards the service state, the credentials and the due-task cache.
	mu      sync.RWMutex
	svc     *service
	creds   *keyring
	nextDue time.Time
	hasDue  bool
	writes  int
	saveErr error

	cfgMu sync.RWMutex
	cfg   trafficConfig

	randMu sync.Mutex
	// faultsInjected counts faults toward FaultLimit (guarded by randMu;
	// SetConfig starts it again).
	faultsInjected int
	rnd            *rand.Rand

	nonces   *nonceCache
	throttle *throttle
	log      *requestLog

	closeOnce sync.Once
	closing   chan struct{}
	handler   http.Handler
}

// New makes an emulator, loading Options.DataFile when it exists.
func New(opts Options) (*Emulator, error) {
	if opts.AccessKeyID == "" {
		opts.AccessKeyID = DefaultAccessKeyID
	}
	if opts.AccessKeySecret == "" {
		opts.AccessKeySecret = DefaultAccessKeySecret
	}
	if opts.ReadLag == "" {
		opts.ReadLag = ReadLagRandom
	}
	if opts.FaultKinds == nil {
		opts.FaultKinds = AllFaultKinds
	}
	if opts.ProjectQuota == 0 {
		opts.ProjectQuota = DefaultProjectQuota
	}
	if opts.TaskDuration == 0 {
		opts.TaskDuration = DefaultTaskDuration
	}
	if opts.ScanDuration == 0 {
		opts.ScanDuration = DefaultScanDuration
	}
	if opts.FaultHold == 0 {
		opts.FaultHold = DefaultFaultHold
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	cfg := trafficConfig{
		propagationDelay: opts.PropagationDelay,
		readLag:          opts.ReadLag,
		qps:              opts.QPS,
		faultRate:        opts.FaultRate,
		latency:          opts.Latency,
		faultKinds:       append([]string(nil), opts.FaultKinds...),
		faultActions:     append([]string(nil), opts.FaultActions...),
		faultLimit:       opts.FaultLimit,
		latencyActions:   append([]string(nil), opts.LatencyActions...),
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	switch {
	case opts.ProjectQuota < 0:
		return nil, errors.New("emulator: ProjectQuota must not be negative")
	case opts.MaxPageSize < 0:
		return nil, errors.New("emulator: MaxPageSize must not be negative")
	case opts.TaskDuration < 0:
		return nil, errors.New("emulator: TaskDuration must not be negative")
	case opts.ScanDuration < 0:
		return nil, errors.New("emulator: ScanDuration must not be negative")
	case opts.FaultHold < 0:
		return nil, errors.New("emulator: FaultHold must not be negative")
	}
	log, err := openRequestLog(opts.RequestLogFile)
	if err != nil {
		return nil, fmt.Errorf("emulator: request log: %w", err)
	}
	e := &Emulator{
		clock:       opts.Clock,
		faultHold:   opts.FaultHold,
		roles:       append([]string(nil), opts.Roles...),
		dataFile:    opts.DataFile,
		maxBodySize: MaxRequestBytes,
		svc:         newService(opts),
		creds:       newKeyring(opts.AccessKeyID, opts.AccessKeySecret),
		cfg:         cfg,
		rnd:         opts.Rand,
		nonces:      newNonceCache(),
		throttle:    newThrottle(),
		log:         log,
		closing:     make(chan struct{}),
	}
	if opts.DataFile != "" {
		ps, err := loadDataFile(opts.DataFile)
		if err != nil {
			log.close()
			return nil, fmt.Errorf("emulator: %w", err)
		}
		if ps != nil {
			if err := restore(*ps, e.svc, e.creds); err != nil {
				log.close()
				return nil, fmt.Errorf("emulator: data file %s: %w", opts.DataFile, err)
			}
		}
	}
	for _, s := range opts.Figures {
		if err := e.svc.addSeed(s); err != nil {
			log.close()
			return nil, fmt.Errorf("emulator: figure seed: %s", err.Message)
		}
	}
	if err := checkOSSContents(opts.OSS); err != nil {
		log.close()
		return nil, fmt.Errorf("emulator: OSS: %w", err)
	}
	e.svc.ossWritten(opts.Clock.Now(), e.svc.oss.put(opts.OSS))
	e.mu.Lock()
	e.refreshNextDueLocked()
	e.saveLocked()
	err = e.saveErr
	e.mu.Unlock()
	if err != nil {
		log.close()
		return nil, fmt.Errorf("emulator: data file: %w", err)
	}
	e.handler = e.routes()
	return e, nil
}

func (c trafficConfig) validate() error {
	switch {
	case c.propagationDelay < 0:
		return errors.New("emulator: PropagationDelay must not be negative")
	case c.readLag != ReadLagRandom && c.readLag != ReadLagFixed:
		return fmt.Errorf("emulator: ReadLag must be %q or %q, not %q", ReadLagRandom, ReadLagFixed, c.readLag)
	case c.qps < 0:
		return errors.New("emulator: QPS must not be negative")
	case c.faultRate < 0 || c.faultRate > 1:
		return errors.New("emulator: FaultRate must be between 0 and 1")
	case c.faultLimit < 0:
		return errors.New("emulator: FaultLimit must not be negative")
	case c.latency < 0:
		return errors.New("emulator: Latency must not be negative")
	}
	return validFaultKinds(c.faultKinds)
}

// Handler serves the IMM and STS API on "/" and the control endpoints
// under /_emulator/.
func (e *Emulator) Handler() http.Handler { return e.handler }

// Requests returns the request log, oldest first.
func (e *Emulator) Requests() []Request { return e.log.list() }

// ClearRequests empties the request log.
func (e *Emulator) ClearRequests() { e.log.clear() }

// Reset empties everything: resources, figure seeds, the fake OSS, issued
// temporary credentials, remembered nonces, throttling buckets and the
// request log. The traffic configuration stays.
func (e *Emulator) Reset() {
	e.mu.Lock()
	e.svc.reset()
	e.creds.reset()
	e.refreshNextDueLocked()
	e.saveLocked()
	e.mu.Unlock()
	e.nonces.reset()
	e.throttle.reset()
	e.log.clear()
}

// AddFigures adds a face seed (see FigureSeed).
func (e *Emulator) AddFigures(s FigureSeed) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.svc.addSeed(s); err != nil {
		return errors.New(err.Message)
	}
	e.saveLocked()
	return nil
}

// AddFiles indexes files in an existing dataset, which makes its FileCount
// grow and keeps it from being deleted. It is a back door for tests; files
// reach datasets through bindings of the fake OSS (AddOSSObjects).
func (e *Emulator) AddFiles(projectName, datasetName string, uris []string) error {
	_, err := e.changeFiles(projectName, datasetName, uris, (*service).addFiles)
	return asError(err)
}

// RemoveFiles removes indexed files from a dataset; no URIs removes all.
func (e *Emulator) RemoveFiles(projectName, datasetName string, uris []string) error {
	_, err := e.changeFiles(projectName, datasetName, uris, (*service).removeFiles)
	return asError(err)
}

func asError(err *apiError) error {
	if err == nil {
		return nil
	}
	return err
}

func (e *Emulator) changeFiles(projectName, datasetName string, uris []string, change func(*service, time.Time, datasetRef, []string) (int, *apiError)) (int, *apiError) {
	now := e.clock.Now()
	e.settleDueTasks(now)
	e.mu.Lock()
	defer e.mu.Unlock()
	n, err := change(e.svc, now, datasetRef{projectName, datasetName}, uris)
	if err != nil {
		return 0, err
	}
	e.afterWriteLocked(now)
	return n, nil
}

// Close flushes the data file and closes the request log. It also ends any
// response an injected fault is holding.
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() { close(e.closing) })
	e.mu.Lock()
	e.saveLocked()
	saveErr := e.saveErr
	e.mu.Unlock()
	return errors.Join(saveErr, e.log.close())
}

// settleDueTasks applies the events whose time has come (tasks ending,
// bindings scanning, triggers and batches starting and ending) before a
// request looks at the state, dating their effects at their own time.
func (e *Emulator) settleDueTasks(now time.Time) {
	e.mu.RLock()
	due := e.hasDue && !e.nextDue.After(now)
	e.mu.RUnlock()
	if !due {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.svc.settleDue(now) > 0 {
		e.afterWriteLocked(now)
	}
}

func (e *Emulator) refreshNextDueLocked() {
	e.nextDue, e.hasDue = e.svc.nextDue()
}

// afterWriteLocked runs after every committed write: drop versions no
// reader can see any more (now and then), note the next task end, persist.
func (e *Emulator) afterWriteLocked(now time.Time) {
	e.writes++
	if e.writes%64 == 0 {
		e.svc.st.pruneAll(now.Add(-e.config().propagationDelay))
	}
	e.refreshNextDueLocked()
	e.saveLocked()
}

func (e *Emulator) saveLocked() {
	if e.dataFile == "" {
		return
	}
	data, err := encodeJSON(capture(e.svc, e.creds))
	if err == nil {
		err = writeFileAtomically(e.dataFile, data)
	}
	if err != nil && e.saveErr == nil {
		e.saveErr = err
	}
}

// readLag draws how far this read lags the writes.
func (e *Emulator) readLag() time.Duration {
	cfg := e.config()
	if cfg.propagationDelay <= 0 {
		return 0
	}
	if cfg.readLag == ReadLagFixed {
		return cfg.propagationDelay
	}
	e.randMu.Lock()
	defer e.randMu.Unlock()
	return time.Duration(e.rnd.Int64N(int64(cfg.propagationDelay) + 1))
}

// drawFault decides whether a request for action gets a fault, and which.
func (e *Emulator) drawFault(action string) string {
	cfg := e.config()
	if cfg.faultRate <= 0 || len(cfg.faultKinds) == 0 || !appliesTo(cfg.faultActions, action) {
		return ""
	}
	e.randMu.Lock()
	defer e.randMu.Unlock()
	if cfg.faultLimit > 0 && e.faultsInjected >= cfg.faultLimit {
		return ""
	}
	if e.rnd.Float64() >= cfg.faultRate {
		return ""
	}
	e.faultsInjected++
	return cfg.faultKinds[e.rnd.IntN(len(cfg.faultKinds))]
}

// latencyFor is the latency added to a response for action.
func (e *Emulator) latencyFor(action string) time.Duration {
	cfg := e.config()
	if !appliesTo(cfg.latencyActions, action) {
		return 0
	}
	return cfg.latency
}

// appliesTo reports whether a setting limited to actions (none: every
// action) applies to action.
func appliesTo(actions []string, action string) bool {
	return len(actions) == 0 || slices.Contains(actions, action)
}

func (e *Emulator) config() trafficConfig {
	e.cfgMu.RLock()
	defer e.cfgMu.RUnlock()
	return e.cfg
}
