package emulator

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// authenticate verifies a request's signature (V3 when it has an
// Authorization header, else V2), the security token of a temporary key,
// the request time and the nonce. It reports the caller and whether the
// caller's key is a temporary (STS) one.
func (e *Emulator) authenticate(r *http.Request, wp wireParams, body []byte) (signedIdentity, bool, *apiError) {
	now := e.clock.Now()
	temporary := false
	lookup := func(accessKeyID, token string) (string, *apiError) {
		e.mu.RLock()
		defer e.mu.RUnlock()
		secret, tmp, err := e.creds.secret(accessKeyID, token, now)
		temporary = tmp
		return secret, err
	}
	var id signedIdentity
	var err *apiError
	switch {
	case r.Header.Get("Authorization") != "":
		id, err = verifyV3(v3Request{
			Method: r.Method,
			Path:   r.URL.Path,
			Host:   r.Host,
			Header: r.Header,
			Query:  wp.query,
			Body:   body,
		}, lookup)
	case wp.merged["Signature"] != "":
		id, err = verifyV2(r.Method, wp.merged, lookup)
	default:
		err = incompleteSignature("the request carries neither an Authorization header (V3) nor a Signature parameter (V2).")
	}
	if err != nil {
		return id, temporary, err
	}
	// Clients sign with their wall clock, so freshness is judged against the
	// wall clock too, whatever Options.Clock says.
	wall := time.Now()
	signedAt, perr := time.Parse(time.RFC3339, id.Date)
	if perr != nil {
		return id, temporary, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Format",
			"Specified time stamp or date value %q is not well formatted; use UTC, as in 2006-01-02T15:04:05Z.", id.Date)
	}
	if d := wall.Sub(signedAt); d > RequestTimeWindow || d < -RequestTimeWindow {
		return id, temporary, newAPIError(http.StatusBadRequest, "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired: %s is more than %s from the server time %s.",
			id.Date, RequestTimeWindow, wall.UTC().Format(time.RFC3339))
	}
	if !e.nonces.use(id.AccessKeyId+"\x00"+id.Nonce, wall) {
		return id, temporary, newAPIError(http.StatusBadRequest, "SignatureNonceUsed",
			"Specified signature nonce was used already.")
	}
	return id, temporary, nil
}

// nonceCache remembers the nonces of the last RequestTimeWindow (wall
// clock); older ones cannot be replayed anyway, the time check refuses them.
type nonceCache struct {
	mu    sync.Mutex
	seen  map[string]bool
	order []nonceEntry
}

type nonceEntry struct {
	key string
	at  time.Time
}

func newNonceCache() *nonceCache { return &nonceCache{seen: map[string]bool{}} }

func (c *nonceCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = map[string]bool{}
	c.order = nil
}

// use records a nonce and reports whether it was fresh.
func (c *nonceCache) use(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	expired := 0
	for expired < len(c.order) && now.Sub(c.order[expired].at) > RequestTimeWindow {
		delete(c.seen, c.order[expired].key)
		expired++
	}
	c.order = c.order[expired:]
	if c.seen[key] {
		return false
	}
	c.seen[key] = true
	c.order = append(c.order, nonceEntry{key, now})
	return true
}

// claimedAction names the action a request asks for, before any check, for
// the request log.
func claimedAction(r *http.Request, wp wireParams) (action, version string) {
	if a := r.Header.Get("x-acs-action"); a != "" && r.Header.Get("Authorization") != "" {
		return a, r.Header.Get("x-acs-version")
	}
	if a := wp.merged["Action"]; a != "" {
		return a, wp.merged["Version"]
	}
	return r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version")
}

// claimedAccessKey names the key a request says it is signed with.
func claimedAccessKey(r *http.Request, wp wireParams) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if _, rest, ok := strings.Cut(h, "Credential="); ok {
			id, _, _ := strings.Cut(rest, ",")
			return strings.TrimSpace(id)
		}
		return ""
	}
	return wp.merged["AccessKeyId"]
}
