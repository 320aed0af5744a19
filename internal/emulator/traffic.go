package emulator

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// This file shapes traffic: throttling, injected faults, added latency and
// the read lag. Its settings change at run time (SetConfig).

// Fault kinds, as named in Options.FaultKinds and Config.FaultKinds.
const (
	// FaultInternalError answers 500 InternalError without processing.
	FaultInternalError = "InternalError"
	// FaultServiceUnavailable answers 503 ServiceUnavailable without processing.
	FaultServiceUnavailable = "ServiceUnavailable"
	// FaultConnectionClosed processes the request (a write commits), then
	// closes the connection without a response.
	FaultConnectionClosed = "ConnectionClosed"
	// FaultResponseHeld processes the request, then holds the response until
	// the client goes away or FaultHold passes.
	FaultResponseHeld = "ResponseHeld"
)

// AllFaultKinds lists every fault kind, in the order they are documented.
var AllFaultKinds = []string{FaultInternalError, FaultServiceUnavailable, FaultConnectionClosed, FaultResponseHeld}

func validFaultKinds(kinds []string) error {
	for _, k := range kinds {
		known := false
		for _, a := range AllFaultKinds {
			known = known || k == a
		}
		if !known {
			return fmt.Errorf("unknown fault kind %q (known: %v)", k, AllFaultKinds)
		}
	}
	return nil
}

// Read lag modes.
const (
	ReadLagRandom = "random"
	ReadLagFixed  = "fixed"
)

// trafficConfig is the run-time adjustable part of Options.
type trafficConfig struct {
	propagationDelay time.Duration
	readLag          string
	qps              float64
	faultRate        float64
	latency          time.Duration
	faultKinds       []string
	faultActions     []string
	faultLimit       int
	latencyActions   []string
}

// throttle is a token bucket per AccessKey. Buckets refill on the
// emulator's clock, so a fake clock makes throttling deterministic.
type throttle struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newThrottle() *throttle { return &throttle{buckets: map[string]*bucket{}} }

func (t *throttle) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buckets = map[string]*bucket{}
}

// allow takes a token from key's bucket; the burst is one second's worth
// (at least one request). When refused it says how long until a token.
func (t *throttle) allow(key string, now time.Time, qps float64) (bool, time.Duration) {
	if qps <= 0 {
		return true, 0
	}
	burst := math.Max(1, qps)
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		t.buckets[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(burst, b.tokens+elapsed.Seconds()*qps)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / qps * float64(time.Second))
	return false, wait
}
