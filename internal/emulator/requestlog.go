package emulator

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// Request is one IMM or STS request as the emulator saw it: when (on the
// emulator's clock), which action, which AccessKey (as claimed, even when
// the signature failed), the business parameters exactly as sent (shrink
// parameters as their JSON text; signature and common parameters left out),
// the User-Agent header as sent (the provider puts its version there), and
// the answer's HTTP status and error Code (empty on success). Status 0
// means no response was sent (an injected ConnectionClosed fault, or a
// ResponseHeld fault the client walked away from).
type Request struct {
	Time        time.Time
	Action      string
	AccessKeyId string
	Params      map[string]string
	UserAgent   string
	Status      int
	Code        string
}

// MaxLoggedRequests bounds the in-memory request log of a long-running
// emulator: when it fills, its oldest tenth is dropped (the log file keeps
// everything).
const MaxLoggedRequests = 100000

// requestLog keeps the log in memory and, when asked, appends it to a file
// as JSON lines. The file is written line by line, unbuffered, so a crash
// loses nothing already answered.
type requestLog struct {
	mu      sync.Mutex
	entries []Request
	file    *os.File
	err     error
}

func openRequestLog(path string) (*requestLog, error) {
	l := &requestLog{}
	if path == "" {
		return l, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	l.file = f
	return l, nil
}

func (l *requestLog) add(r Request) {
	if r.Params == nil {
		r.Params = map[string]string{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= MaxLoggedRequests {
		l.entries = append(l.entries[:0:0], l.entries[MaxLoggedRequests/10:]...)
	}
	l.entries = append(l.entries, r)
	if l.file != nil {
		line, err := json.Marshal(r)
		if err == nil {
			_, err = l.file.Write(append(line, '\n'))
		}
		if err != nil && l.err == nil {
			l.err = err
		}
	}
}

func (l *requestLog) list() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.entries))
	for i, r := range l.entries {
		params := make(map[string]string, len(r.Params))
		for k, v := range r.Params {
			params[k] = v
		}
		r.Params = params
		out[i] = r
	}
	return out
}

// clear empties the in-memory log; the file is an append-only record and
// keeps its lines.
func (l *requestLog) clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}

func (l *requestLog) close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil {
		return l.err
	}
	err := l.file.Close()
	l.file = nil
	if l.err != nil {
		return l.err
	}
	return err
}
