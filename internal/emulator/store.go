package emulator

import (
	"sort"
	"strings"
	"time"
)

// This file is the storage layer: a versioned store that keeps, for every
// object, the versions a lagging reader may still see. Writes always append a
// version; reads ask for the state "as of" a moment in the past, which is how
// eventual consistency is made observable. Nothing here knows about HTTP or
// about IMM's rules.

// version is one committed state of an object. A deletion is a tombstone.
type version[T any] struct {
	At      time.Time
	Value   T
	Deleted bool
}

// versionedTable maps keys to their history, oldest version first. Values
// are treated as immutable: callers copy before they change anything.
type versionedTable[T any] struct {
	rows map[string][]version[T]
}

func newVersionedTable[T any]() *versionedTable[T] {
	return &versionedTable[T]{rows: map[string][]version[T]{}}
}

// put commits value under key at time at.
func (t *versionedTable[T]) put(key string, at time.Time, value T) {
	t.insert(key, version[T]{At: at, Value: value})
}

// remove commits a tombstone for key at time at.
func (t *versionedTable[T]) remove(key string, at time.Time) {
	t.insert(key, version[T]{At: at, Deleted: true})
}

// insert keeps the history sorted by commit time. Versions with equal times
// stay in commit order, so the last write at an instant wins. A version
// dated before the newest one (an async task settled late, see settle) is
// placed by its date.
func (t *versionedTable[T]) insert(key string, v version[T]) {
	h := t.rows[key]
	i := len(h)
	for i > 0 && h[i-1].At.After(v.At) {
		i--
	}
	h = append(h, version[T]{})
	copy(h[i+1:], h[i:])
	h[i] = v
	t.rows[key] = h
}

// latest returns the committed state: the newest version whatever its date.
func (t *versionedTable[T]) latest(key string) (T, bool) {
	h := t.rows[key]
	if len(h) == 0 || h[len(h)-1].Deleted {
		var zero T
		return zero, false
	}
	return h[len(h)-1].Value, true
}

// asOf returns the state a reader whose view is at time at sees: the newest
// version committed at or before at.
func (t *versionedTable[T]) asOf(key string, at time.Time) (T, bool) {
	h := t.rows[key]
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].At.After(at) {
			if h[i].Deleted {
				break
			}
			return h[i].Value, true
		}
	}
	var zero T
	return zero, false
}

// keysWithPrefix returns the keys that start with prefix, sorted.
func (t *versionedTable[T]) keysWithPrefix(prefix string) []string {
	var keys []string
	for k := range t.rows {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// prune drops the versions of key that no reader can see any more: readers
// look at most back to horizon, so only the newest version at or before the
// horizon and everything after it matter. A key whose only remaining
// version is an old tombstone disappears.
func (t *versionedTable[T]) prune(key string, horizon time.Time) {
	h := t.rows[key]
	keepFrom := 0
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].At.After(horizon) {
			keepFrom = i
			break
		}
	}
	h = h[keepFrom:]
	if len(h) == 1 && h[0].Deleted && !h[0].At.After(horizon) {
		delete(t.rows, key)
		return
	}
	if keepFrom > 0 {
		t.rows[key] = append([]version[T](nil), h...)
	}
}

func (t *versionedTable[T]) pruneAll(horizon time.Time) {
	for k := range t.rows {
		t.prune(k, horizon)
	}
}

// eachLatest calls f with every live object's key and newest version, in
// no particular order (cheaper than committed when order does not matter).
func (t *versionedTable[T]) eachLatest(f func(key string, v T)) {
	for k, h := range t.rows {
		if n := len(h); n > 0 && !h[n-1].Deleted {
			f(k, h[n-1].Value)
		}
	}
}

// committed returns every live object's newest version, sorted by key.
func (t *versionedTable[T]) committed() []T {
	var out []T
	for _, k := range t.keysWithPrefix("") {
		if v, ok := t.latest(k); ok {
			out = append(out, v)
		}
	}
	return out
}

// store holds the emulator's IMM resources, each kind in its own table.
// Keys: project name; project/dataset; project/dataset/objectId;
// project/taskId; project/dataset/URI (bindings); bucket name
// (attachments); project/Id (triggers, batches). Project and dataset names
// cannot contain "/" and a binding's URI comes last, so the keys are
// unambiguous.
type store struct {
	projects    *versionedTable[project]
	datasets    *versionedTable[dataset]
	clusters    *versionedTable[figureCluster]
	tasks       *versionedTable[task]
	bindings    *versionedTable[binding]
	attachments *versionedTable[attachment]
	triggers    *versionedTable[ingestion]
	batches     *versionedTable[ingestion]
}

func newStore() *store {
	return &store{
		projects:    newVersionedTable[project](),
		datasets:    newVersionedTable[dataset](),
		clusters:    newVersionedTable[figureCluster](),
		tasks:       newVersionedTable[task](),
		bindings:    newVersionedTable[binding](),
		attachments: newVersionedTable[attachment](),
		triggers:    newVersionedTable[ingestion](),
		batches:     newVersionedTable[ingestion](),
	}
}

func (s *store) pruneAll(horizon time.Time) {
	s.projects.pruneAll(horizon)
	s.datasets.pruneAll(horizon)
	s.clusters.pruneAll(horizon)
	s.tasks.pruneAll(horizon)
	s.bindings.pruneAll(horizon)
	s.attachments.pruneAll(horizon)
	s.triggers.pruneAll(horizon)
	s.batches.pruneAll(horizon)
}

func datasetKey(projectName, datasetName string) string {
	return projectName + "/" + datasetName
}

func clusterKey(projectName, datasetName, objectID string) string {
	return projectName + "/" + datasetName + "/" + objectID
}

func taskKey(projectName, taskID string) string {
	return projectName + "/" + taskID
}

func bindingKey(projectName, datasetName, uri string) string {
	return projectName + "/" + datasetName + "/" + uri
}

func ingestionKey(projectName, id string) string {
	return projectName + "/" + id
}

// table is where a kind of data ingestion (trigger or batch) is kept.
func (s *store) table(kind ingestionKind) *versionedTable[ingestion] {
	if kind == kindBatch {
		return s.batches
	}
	return s.triggers
}

// reader is what the behaviour layer reads through. Read actions get a
// snapshot that lags the writes; write actions validate against the
// committed snapshot. Both are the same type with a different time.
type reader interface {
	project(name string) (project, bool)
	projects() []project
	dataset(projectName, datasetName string) (dataset, bool)
	datasets(projectName string) []dataset
	cluster(projectName, datasetName, objectID string) (figureCluster, bool)
	clusters(projectName, datasetName string) []figureCluster
	task(projectName, taskID string) (task, bool)
	binding(projectName, datasetName, uri string) (binding, bool)
	// bindings are a dataset's bindings, or a project's when datasetName
	// is empty.
	bindings(projectName, datasetName string) []binding
	attachment(bucket string) (attachment, bool)
	attachments() []attachment
	ingestion(kind ingestionKind, projectName, id string) (ingestion, bool)
	ingestions(kind ingestionKind, projectName string) []ingestion
}

// snapshot reads the store as of a moment, or its committed state.
type snapshot struct {
	st        *store
	at        time.Time
	committed bool
}

func (s *store) asOf(at time.Time) snapshot { return snapshot{st: s, at: at} }
func (s *store) latest() snapshot           { return snapshot{st: s, committed: true} }

func get[T any](t *versionedTable[T], s snapshot, key string) (T, bool) {
	if s.committed {
		return t.latest(key)
	}
	return t.asOf(key, s.at)
}

func list[T any](t *versionedTable[T], s snapshot, prefix string) []T {
	var out []T
	for _, k := range t.keysWithPrefix(prefix) {
		if v, ok := get(t, s, k); ok {
			out = append(out, v)
		}
	}
	return out
}

func (s snapshot) project(name string) (project, bool) { return get(s.st.projects, s, name) }

func (s snapshot) projects() []project { return list(s.st.projects, s, "") }

func (s snapshot) dataset(projectName, datasetName string) (dataset, bool) {
	return get(s.st.datasets, s, datasetKey(projectName, datasetName))
}

func (s snapshot) datasets(projectName string) []dataset {
	return list(s.st.datasets, s, projectName+"/")
}

func (s snapshot) cluster(projectName, datasetName, objectID string) (figureCluster, bool) {
	return get(s.st.clusters, s, clusterKey(projectName, datasetName, objectID))
}

func (s snapshot) clusters(projectName, datasetName string) []figureCluster {
	return list(s.st.clusters, s, datasetKey(projectName, datasetName)+"/")
}

func (s snapshot) task(projectName, taskID string) (task, bool) {
	return get(s.st.tasks, s, taskKey(projectName, taskID))
}

func (s snapshot) binding(projectName, datasetName, uri string) (binding, bool) {
	return get(s.st.bindings, s, bindingKey(projectName, datasetName, uri))
}

func (s snapshot) bindings(projectName, datasetName string) []binding {
	if datasetName == "" {
		return list(s.st.bindings, s, projectName+"/")
	}
	return list(s.st.bindings, s, datasetKey(projectName, datasetName)+"/")
}

func (s snapshot) attachment(bucket string) (attachment, bool) {
	return get(s.st.attachments, s, bucket)
}

func (s snapshot) attachments() []attachment { return list(s.st.attachments, s, "") }

func (s snapshot) ingestion(kind ingestionKind, projectName, id string) (ingestion, bool) {
	return get(s.st.table(kind), s, ingestionKey(projectName, id))
}

func (s snapshot) ingestions(kind ingestionKind, projectName string) []ingestion {
	return list(s.st.table(kind), s, projectName+"/")
}
