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

const dataFileFormat = 1

type persistedState struct {
	Format      int
	Projects    []project
	Datasets    []dataset
	Clusters    []figureCluster
	Tasks       []task
	Seeds       []FigureSeed
	Clustering  map[string]*datasetClustering
	Credentials []stsCredential
}

// capture takes the committed state. Call with the Emulator's lock held.
func capture(svc *service, creds *keyring) persistedState {
	return persistedState{
		Format:      dataFileFormat,
		Projects:    svc.st.projects.committed(),
		Datasets:    svc.st.datasets.committed(),
		Clusters:    svc.st.clusters.committed(),
		Tasks:       svc.st.tasks.committed(),
		Seeds:       svc.allSeeds(),
		Clustering:  svc.clustering,
		Credentials: creds.all(),
	}
}

// restore loads a persisted state. Every object gets one version dated at
// the zero time, so every reader sees it at once after a restart.
func restore(ps persistedState, svc *service, creds *keyring) error {
	if ps.Format != dataFileFormat {
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
	for _, c := range ps.Credentials {
		creds.add(c)
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
