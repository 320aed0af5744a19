package emulator

import (
	"strconv"
	"time"

	"github.com/google/uuid"
)

// This file is what bindings do with the fake OSS: index its objects into
// their dataset, through the same storage the rest of the emulator uses.
// An indexed object becomes one of the dataset's Files (its URI) and its
// faces become the dataset's seed figures, which clustering tasks cluster
// exactly as figures seeded with AddFigures.

// indexObjects adds objects to a dataset as files and their faces as its
// figures, committed at time at. An object already indexed is indexed
// again (its faces replaced). Objects beyond the dataset's
// DatasetMaxFileCount are skipped.
func (s *service) indexObjects(d dataset, objs []ossObject, at time.Time) {
	if len(objs) == 0 {
		return
	}
	files := map[string]bool{}
	for _, u := range d.Files {
		files[u] = true
	}
	key := seedKey{d.ProjectName, d.DatasetName}
	for _, obj := range objs {
		if !files[obj.URI] && int64(len(files)) >= d.DatasetMaxFileCount {
			continue
		}
		files[obj.URI] = true
		s.replaceFigures(key, obj.URI, indexedFigures(d, obj))
	}
	d.Files = sortedKeys(files)
	s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), at, d)
}

// unindexObjects drops objects deleted from OSS from a dataset: the files,
// their faces, and those faces from their clusters (forgetImages).
func (s *service) unindexObjects(d dataset, objs []ossObject, at time.Time) {
	uris := make([]string, len(objs))
	for i, obj := range objs {
		uris[i] = obj.URI
	}
	s.forgetImages(d, uris, at)
}

// indexedFigures are an object's faces as figures of a dataset. A
// FigureId is derived from the dataset incarnation, the URI and the face's
// position, so indexing an object again (an overwrite, or a second binding)
// yields the same IDs and never clusters a face twice.
func indexedFigures(d dataset, obj ossObject) []SeedFigure {
	out := make([]SeedFigure, 0, len(obj.Figures))
	for i, f := range obj.Figures {
		name := "imm-emulator:" + d.Incarnation + ":" + obj.URI + "#" + strconv.Itoa(i)
		out = append(out, SeedFigure{
			FigureId: uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)).String(),
			URI:      obj.URI,
			Person:   f.Person,
			Gender:   f.Gender,
			Age:      f.Age,
		})
	}
	return out
}

// replaceFigures sets the figures of one image in a dataset's seeds: the
// ones with that URI go, figs come in.
func (s *service) replaceFigures(key seedKey, uri string, figs []SeedFigure) {
	var kept []SeedFigure
	for _, f := range s.seeds[key] {
		if f.URI != uri {
			kept = append(kept, f)
		}
	}
	kept = append(kept, figs...)
	if len(kept) == 0 {
		delete(s.seeds, key)
		return
	}
	s.seeds[key] = kept
}

// incrementalBindings are the committed bindings past their full scan
// that cover bucket.
func (s *service) incrementalBindings(bucket string) []binding {
	var out []binding
	for _, b := range s.st.bindings.committed() {
		if b.Bucket == bucket && b.State == bindingRunning && b.Phase == phaseIncrementalScanning {
			out = append(out, b)
		}
	}
	return out
}

// ossWritten is what IMM does when objects are uploaded: bindings past
// their full scan index them at once, running triggers process them.
func (s *service) ossWritten(now time.Time, written []ossObject) {
	groups := byBucket(written)
	for _, bucket := range sortedKeysOf(groups) {
		objs := groups[bucket]
		for _, b := range s.incrementalBindings(bucket) {
			if d, ok := s.st.latest().dataset(b.ProjectName, b.DatasetName); ok && d.Incarnation == b.Incarnation {
				s.indexObjects(d, objs, now)
			}
		}
	}
	s.runTriggers(now)
}

// ossRemoved is what IMM does when objects are deleted: bindings past their
// full scan drop them from their dataset.
func (s *service) ossRemoved(now time.Time, removed []ossObject) {
	groups := byBucket(removed)
	for _, bucket := range sortedKeysOf(groups) {
		objs := groups[bucket]
		for _, b := range s.incrementalBindings(bucket) {
			if d, ok := s.st.latest().dataset(b.ProjectName, b.DatasetName); ok && d.Incarnation == b.Incarnation {
				s.unindexObjects(d, objs, now)
			}
		}
	}
}

func byBucket(objs []ossObject) map[string][]ossObject {
	out := map[string][]ossObject{}
	for _, o := range objs {
		out[o.Bucket] = append(out[o.Bucket], o)
	}
	return out
}
