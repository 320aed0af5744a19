package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/google/uuid"
)

// FigureSeed is a set of faces the emulator pretends to find in a dataset's
// images. Real IMM detects faces in indexed files; the emulator takes them
// from seeds (Options.Figures, the command's -seed file, AddFigures and
// POST /_emulator/figures). Seeds are keyed by project and dataset name and
// may arrive before the dataset exists.
type FigureSeed struct {
	ProjectName string
	DatasetName string
	Figures     []SeedFigure
}

// SeedFigure is one face. Figures with the same Person end up in the same
// cluster; an empty Person makes the figure a cluster of its own. An empty
// FigureId is replaced by a random UUID.
type SeedFigure struct {
	FigureId string
	URI      string
	Person   string
	Gender   string
	Age      int64
}

type seedKey struct {
	ProjectName string
	DatasetName string
}

// ParseFigureSeeds reads the seed format the command's -seed file and
// POST /_emulator/figures accept: a JSON array of FigureSeed, or one.
func ParseFigureSeeds(data []byte) ([]FigureSeed, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var seeds []FigureSeed
		if err := decodeStrictJSON(string(data), &seeds); err != nil {
			return nil, fmt.Errorf("figure seeds: %w", err)
		}
		return seeds, nil
	}
	var seed FigureSeed
	if err := decodeStrictJSON(string(data), &seed); err != nil {
		return nil, fmt.Errorf("figure seed: %w", err)
	}
	return []FigureSeed{seed}, nil
}

// addSeed checks a seed and merges it into the world: a figure whose
// FigureId is already seeded for that dataset replaces the earlier one
// (so posting the same seed twice is harmless).
func (s *service) addSeed(seed FigureSeed) *apiError {
	if !validName(seed.ProjectName) {
		return invalidArgument("The seed's ProjectName %q is not a valid project name.", seed.ProjectName)
	}
	if !validName(seed.DatasetName) {
		return invalidArgument("The seed's DatasetName %q is not a valid dataset name.", seed.DatasetName)
	}
	for i, f := range seed.Figures {
		if f.URI == "" {
			return invalidArgument("Figure %d of the seed for %s/%s has no URI.", i, seed.ProjectName, seed.DatasetName)
		}
		if f.Age < 0 {
			return invalidArgument("Figure %d of the seed for %s/%s has a negative Age.", i, seed.ProjectName, seed.DatasetName)
		}
	}
	key := seedKey{seed.ProjectName, seed.DatasetName}
	existing := s.seeds[key]
	index := map[string]int{}
	for i, f := range existing {
		index[f.FigureId] = i
	}
	for _, f := range seed.Figures {
		if f.FigureId == "" {
			f.FigureId = uuid.NewString()
		}
		if i, ok := index[f.FigureId]; ok {
			existing[i] = f
			continue
		}
		index[f.FigureId] = len(existing)
		existing = append(existing, f)
	}
	s.seeds[key] = existing
	return nil
}

// allSeeds returns the seeds in a stable order, for persistence.
func (s *service) allSeeds() []FigureSeed {
	var out []FigureSeed
	for k, figs := range s.seeds {
		out = append(out, FigureSeed{ProjectName: k.ProjectName, DatasetName: k.DatasetName, Figures: append([]SeedFigure(nil), figs...)})
	}
	sortSeeds(out)
	return out
}

func sortSeeds(seeds []FigureSeed) {
	sort.Slice(seeds, func(i, j int) bool {
		if seeds[i].ProjectName != seeds[j].ProjectName {
			return seeds[i].ProjectName < seeds[j].ProjectName
		}
		return seeds[i].DatasetName < seeds[j].DatasetName
	})
}

// labelsJSON keeps CustomLabels values exactly as the client sent them.
type labelsJSON = map[string]json.RawMessage
