package emulator

import (
	"fmt"
	"time"
)

// Config is the traffic configuration that changes at run time, as
// PUT/GET /_emulator/config carry it:
//
//	{"PropagationDelay":"5s","ReadLag":"fixed","QPS":0,"FaultRate":0,"Latency":"0s"}
//
// Durations are Go duration strings. FaultKinds (optional) limits the
// injected faults to some of AllFaultKinds; FaultActions, FaultLimit and
// LatencyActions are as in Options.
type Config struct {
	PropagationDelay string
	ReadLag          string
	QPS              float64
	FaultRate        float64
	Latency          string
	FaultKinds       []string `json:",omitempty"`
	FaultActions     []string `json:",omitempty"`
	FaultLimit       int      `json:",omitempty"`
	LatencyActions   []string `json:",omitempty"`
}

// Config returns the current traffic configuration.
func (e *Emulator) Config() Config {
	c := e.config()
	return Config{
		PropagationDelay: c.propagationDelay.String(),
		ReadLag:          c.readLag,
		QPS:              c.qps,
		FaultRate:        c.faultRate,
		Latency:          c.latency.String(),
		FaultKinds:       append([]string(nil), c.faultKinds...),
		FaultActions:     append([]string(nil), c.faultActions...),
		FaultLimit:       c.faultLimit,
		LatencyActions:   append([]string(nil), c.latencyActions...),
	}
}

// SetConfig changes the traffic configuration. Empty strings and nil lists
// keep their current values; QPS, FaultRate and FaultLimit are always
// applied (start from Config() to change only one of them), and the count
// toward FaultLimit starts again. PUT
// /_emulator/config, where absent JSON fields stay unchanged, fills them in
// from the current configuration first.
func (e *Emulator) SetConfig(c Config) error {
	e.cfgMu.Lock()
	defer e.cfgMu.Unlock()
	next := e.cfg
	var err error
	if c.PropagationDelay != "" {
		if next.propagationDelay, err = time.ParseDuration(c.PropagationDelay); err != nil {
			return fmt.Errorf("PropagationDelay: %w", err)
		}
	}
	if c.ReadLag != "" {
		next.readLag = c.ReadLag
	}
	next.qps = c.QPS
	next.faultRate = c.FaultRate
	if c.Latency != "" {
		if next.latency, err = time.ParseDuration(c.Latency); err != nil {
			return fmt.Errorf("config Latency: %w", err)
		}
	}
	if c.FaultKinds != nil {
		next.faultKinds = append([]string(nil), c.FaultKinds...)
	}
	if c.FaultActions != nil {
		next.faultActions = append([]string(nil), c.FaultActions...)
	}
	next.faultLimit = c.FaultLimit
	if c.LatencyActions != nil {
		next.latencyActions = append([]string(nil), c.LatencyActions...)
	}
	if err := next.validate(); err != nil {
		return err
	}
	e.randMu.Lock()
	e.faultsInjected = 0
	e.randMu.Unlock()
	if next.qps != e.cfg.qps {
		e.throttle.reset()
	}
	e.cfg = next
	return nil
}

// patchConfig applies a JSON config document where absent fields stay.
func (e *Emulator) patchConfig(body []byte) error {
	var patch struct {
		PropagationDelay *string
		ReadLag          *string
		QPS              *float64
		FaultRate        *float64
		Latency          *string
		FaultKinds       *[]string
		FaultActions     *[]string
		FaultLimit       *int
		LatencyActions   *[]string
	}
	if err := decodeStrictJSON(string(body), &patch); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	c := e.Config()
	if patch.PropagationDelay != nil {
		c.PropagationDelay = *patch.PropagationDelay
	}
	if patch.ReadLag != nil {
		c.ReadLag = *patch.ReadLag
	}
	if patch.QPS != nil {
		c.QPS = *patch.QPS
	}
	if patch.FaultRate != nil {
		c.FaultRate = *patch.FaultRate
	}
	if patch.Latency != nil {
		c.Latency = *patch.Latency
	}
	if patch.FaultActions != nil {
		c.FaultActions = append([]string{}, *patch.FaultActions...)
	}
	if patch.FaultLimit != nil {
		c.FaultLimit = *patch.FaultLimit
	}
	if patch.LatencyActions != nil {
		c.LatencyActions = append([]string{}, *patch.LatencyActions...)
	}
	if patch.FaultKinds != nil {
		c.FaultKinds = *patch.FaultKinds
		if c.FaultKinds == nil {
			c.FaultKinds = []string{}
		}
	}
	return e.SetConfig(c)
}
