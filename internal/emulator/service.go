package emulator

import (
	"encoding/base64"
	"strings"
	"time"
)

// service is the behaviour layer: IMM's rules over the store. Its methods are
// the per-action functions, from a typed request to a typed response or an
// apiError; they know nothing of HTTP, signatures or traffic shaping. The
// Emulator serialises calls (writes under its lock) and decides which
// snapshot a read sees.
type service struct {
	st                  *store
	projectQuota        int
	maxPageSize         int
	taskDuration        time.Duration
	scanDuration        time.Duration
	updateWhenSuspended bool

	// seeds are the faces the emulator pretends to find, by project and
	// dataset name. They are the world, not the service's state: they do not
	// lag and survive the deletion of a dataset.
	seeds map[seedKey][]SeedFigure
	// clustering is each dataset incarnation's figure-to-cluster
	// assignment; it goes with the dataset.
	clustering map[string]*datasetClustering
	// oss is the fake OSS: the world bindings index and triggers and
	// batches process. Like seeds, it does not lag.
	oss *fakeOSS
}

// newService takes its settings from Options with the defaults applied.
func newService(opts Options) *service {
	s := &service{
		projectQuota:        opts.ProjectQuota,
		maxPageSize:         opts.MaxPageSize,
		taskDuration:        opts.TaskDuration,
		scanDuration:        opts.ScanDuration,
		updateWhenSuspended: opts.UpdateWhenSuspended,
	}
	s.reset()
	return s
}

func (s *service) reset() {
	s.st = newStore()
	s.seeds = map[seedKey][]SeedFigure{}
	s.clustering = map[string]*datasetClustering{}
	s.oss = newFakeOSS()
}

// serviceZone is the offset the real service writes Create/UpdateTime in
// (its samples carry +08:00).
var serviceZone = time.FixedZone("UTC+8", 8*60*60)

func formatServiceTime(t time.Time) string { return t.In(serviceZone).Format(time.RFC3339Nano) }

// formatTaskTime is GetTask's format: UTC, RFC3339Nano.
func formatTaskTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// defaultPageSize is a page's length when MaxResults is 0 or absent: 100
// for every list action, SimpleQuery's maximum included.
const defaultPageSize = 100

// pageSize applies MaxResults (0 or absent means defaultPageSize) and the
// emulator's MaxPageSize.
func (s *service) pageSize(maxResults *int64) int {
	n := defaultPageSize
	if maxResults != nil && *maxResults > 0 {
		n = int(*maxResults)
	}
	if s.maxPageSize > 0 && n > s.maxPageSize {
		n = s.maxPageSize
	}
	return n
}

// Page tokens are opaque to clients; inside they name the list they belong
// to and the key of the last item returned, so the next page starts after
// it in key order and survives concurrent inserts and deletes.
func encodePageToken(list, lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\x00" + lastKey))
}

func decodePageToken(token, list string) (string, *apiError) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", invalidArgument("The parameter NextToken is invalid.")
	}
	l, key, ok := strings.Cut(string(raw), "\x00")
	if !ok || l != list {
		return "", invalidArgument("The parameter NextToken is invalid: it belongs to another list.")
	}
	return key, nil
}

// paginate returns the items after afterKey (items sorted by key, ascending
// or descending) and the token for the next page, empty when no item follows
// the page.
func paginate[T any](items []T, key func(T) string, list, afterKey string, limit int, descending bool) ([]T, string) {
	start := 0
	if afterKey != "" {
		for start < len(items) {
			k := key(items[start])
			if (!descending && k > afterKey) || (descending && k < afterKey) {
				break
			}
			start++
		}
	}
	end := start + limit
	if end >= len(items) {
		return items[start:], ""
	}
	return items[start:end], encodePageToken(list, key(items[end-1]))
}
