package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// This file makes state survive restarts: after every committed write the
// committed state (not the version history) is written to Options.DataFile,
// atomically (a temporary file renamed over the old one, so a crash leaves
// the old or the new state, never half of one), and New loads it.

// dataFileFormat is the version of the state format. Format 1 (before
// bindings, attachments, triggers, batches and the fake OSS) still loads:
// its missing parts are empty.
const dataFileFormat = 2

// persistedState is the emulator's committed state, as the data file,
// GET and PUT /_emulator/state and State/SetState carry it.
type persistedState struct {
	Format      int
	Projects    []project
	Datasets    []dataset
	Clusters    []figureCluster
	Tasks       []task
	Bindings    []binding
	Attachments []attachment
	Triggers    []ingestion
	Batches     []ingestion
	Seeds       []FigureSeed
	Clustering  map[string]*datasetClustering
	OSS         persistedOSS
	Credentials []stsCredential
}

// persistedOSS is the fake OSS, sorted.
type persistedOSS struct {
	Seq     int64
	Buckets []string
	Objects []ossObject
}

// capture takes the committed state. Call with the Emulator's lock held.
func capture(svc *service, creds *keyring) persistedState {
	objects := make([]ossObject, 0, len(svc.oss.Objects))
	for _, o := range svc.oss.Objects {
		objects = append(objects, o)
	}
	sortObjects(objects)
	return persistedState{
		Format:      dataFileFormat,
		Projects:    svc.st.projects.committed(),
		Datasets:    svc.st.datasets.committed(),
		Clusters:    svc.st.clusters.committed(),
		Tasks:       svc.st.tasks.committed(),
		Bindings:    svc.st.bindings.committed(),
		Attachments: svc.st.attachments.committed(),
		Triggers:    svc.st.triggers.committed(),
		Batches:     svc.st.batches.committed(),
		Seeds:       svc.allSeeds(),
		Clustering:  svc.clustering,
		OSS:         persistedOSS{Seq: svc.oss.Seq, Buckets: sortedKeys(svc.oss.Buckets), Objects: objects},
		Credentials: creds.all(),
	}
}

// restore loads a persisted state into an empty service. Every object gets
// one version dated at the zero time, so every reader sees it at once.
func restore(ps persistedState, svc *service, creds *keyring) error {
	if ps.Format != 1 && ps.Format != dataFileFormat {
		return fmt.Errorf("data file format %d, want %d", ps.Format, dataFileFormat)
	}
	var origin time.Time
	for _, p := range ps.Projects {
		svc.st.projects.put(p.ProjectName, origin, p)
	}
	for _, d := range ps.Datasets {
		svc.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), origin, d)
	}
	for _, c := range ps.Clusters {
		svc.st.clusters.put(clusterKey(c.ProjectName, c.DatasetName, c.ObjectId), origin, c)
	}
	for _, t := range ps.Tasks {
		svc.st.tasks.put(taskKey(t.ProjectName, t.TaskId), origin, t)
	}
	for _, b := range ps.Bindings {
		svc.st.bindings.put(bindingKey(b.ProjectName, b.DatasetName, b.URI), origin, b)
	}
	for _, a := range ps.Attachments {
		svc.st.attachments.put(a.OSSBucket, origin, a)
	}
	for _, in := range ps.Triggers {
		svc.putIngestion(kindTrigger, origin, in)
	}
	for _, in := range ps.Batches {
		svc.putIngestion(kindBatch, origin, in)
	}
	for _, s := range ps.Seeds {
		if err := svc.addSeed(s); err != nil {
			return err
		}
	}
	for inc, dc := range ps.Clustering {
		if dc.FigureCluster == nil {
			dc.FigureCluster = map[string]string{}
		}
		if dc.PersonCluster == nil {
			dc.PersonCluster = map[string]string{}
		}
		svc.clustering[inc] = dc
	}
	if err := restoreOSS(ps.OSS, svc.oss); err != nil {
		return err
	}
	for _, c := range ps.Credentials {
		creds.add(c)
	}
	return nil
}

func restoreOSS(p persistedOSS, o *fakeOSS) error {
	for _, b := range p.Buckets {
		if !validBucketName(b) {
			return fmt.Errorf("OSS: %q is not a valid bucket name", b)
		}
		o.Buckets[b] = true
	}
	o.Seq = p.Seq
	for _, obj := range p.Objects {
		bucket, key, err := splitObjectURI(obj.URI)
		if err != nil {
			return fmt.Errorf("OSS: %w", err)
		}
		obj.Bucket, obj.Key = bucket, key
		o.Buckets[bucket] = true
		o.Objects[obj.URI] = obj
		o.Seq = max(o.Seq, obj.Seq)
	}
	return nil
}

func loadDataFile(path string) (*persistedState, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ps persistedState
	if err := json.Unmarshal(data, &ps); err != nil {
		return nil, fmt.Errorf("data file %s: %w", path, err)
	}
	return &ps, nil
}

func writeFileAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// State returns the emulator's whole committed state as JSON, in the
// format of the data file: projects, datasets with their files, clusters,
// tasks, bindings, attachments, triggers, batches, figure seeds, the fake
// OSS and the issued STS credentials. The version history (what lagging
// readers may still see) is not part of it.
func (e *Emulator) State() ([]byte, error) {
	now := e.clock.Now()
	e.settleDueTasks(now)
	e.mu.RLock()
	defer e.mu.RUnlock()
	return encodeJSON(capture(e.svc, e.creds))
}

// SetState replaces the whole state with one State returned, as a restart
// with that data file would: everything is visible at once, running tasks,
// scans, triggers and batches carry on. The request log, nonces, throttling
// and the traffic configuration stay. A state that does not load changes
// nothing.
func (e *Emulator) SetState(data []byte) error {
	var ps persistedState
	if err := decodeStrictJSON(string(data), &ps); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	probe := newService(Options{})
	if err := restore(ps, probe, newKeyring("", "")); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	e.svc.reset()
	e.creds.reset()
	if err := restore(ps, e.svc, e.creds); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	e.refreshNextDueLocked()
	e.saveLocked()
	return nil
}
