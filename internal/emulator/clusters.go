package emulator

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// emulatorOwnerID is the account every resource belongs to.
const emulatorOwnerID = "1000000000000000"

// figureCluster is a stored cluster. Figures are its members (copies of the
// seed figures clustered into it); the counts and ages derive from them.
type figureCluster struct {
	ObjectId        string
	ProjectName     string
	DatasetName     string
	Incarnation     string
	Name            string
	CustomId        string
	CustomLabels    labelsJSON
	CoverFigureId   string
	MetaLockVersion int64
	CreateTime      time.Time
	UpdateTime      time.Time
	Figures         []SeedFigure
}

// datasetClustering is one dataset incarnation's assignment of figures and
// persons to clusters.
type datasetClustering struct {
	FigureCluster map[string]string
	PersonCluster map[string]string
}

// personKey groups figures: by Person, or alone when Person is empty.
func personKey(f SeedFigure) string {
	if f.Person == "" {
		return "figure:" + f.FigureId
	}
	return "person:" + f.Person
}

// clusterFigures is what a clustering task does when it ends: every seed
// figure of the dataset not yet in a cluster joins its person's cluster,
// which is created when the person has none.
func (s *service) clusterFigures(d dataset, at time.Time) {
	dc := s.clustering[d.Incarnation]
	if dc == nil {
		dc = &datasetClustering{FigureCluster: map[string]string{}, PersonCluster: map[string]string{}}
		s.clustering[d.Incarnation] = dc
	}
	var order []string
	newByPerson := map[string][]SeedFigure{}
	for _, f := range s.seeds[seedKey{d.ProjectName, d.DatasetName}] {
		if _, done := dc.FigureCluster[f.FigureId]; done {
			continue
		}
		k := personKey(f)
		if _, seen := newByPerson[k]; !seen {
			order = append(order, k)
		}
		newByPerson[k] = append(newByPerson[k], f)
	}
	for _, k := range order {
		figs := newByPerson[k]
		c, ok := s.st.latest().cluster(d.ProjectName, d.DatasetName, dc.PersonCluster[k])
		if ok {
			c.Figures = append(append([]SeedFigure(nil), c.Figures...), figs...)
			c.UpdateTime = at
		} else {
			c = figureCluster{
				ObjectId:      "Cluster-" + uuid.NewString(),
				ProjectName:   d.ProjectName,
				DatasetName:   d.DatasetName,
				Incarnation:   d.Incarnation,
				CustomLabels:  labelsJSON{},
				CoverFigureId: figs[0].FigureId,
				CreateTime:    at,
				UpdateTime:    at,
				Figures:       figs,
			}
			dc.PersonCluster[k] = c.ObjectId
		}
		for _, f := range figs {
			dc.FigureCluster[f.FigureId] = c.ObjectId
		}
		s.st.clusters.put(clusterKey(c.ProjectName, c.DatasetName, c.ObjectId), at, c)
	}
}

// figureClusterJSON is the FigureCluster structure of imm-api.md §5.5.
type figureClusterJSON struct {
	ObjectId        string
	ObjectType      string
	OwnerId         string
	ProjectName     string
	DatasetName     string
	Name            string
	CustomId        string
	CustomLabels    labelsJSON
	Gender          string
	FaceCount       int64
	ImageCount      int64
	VideoCount      int64
	AverageAge      float32
	MinAge          float32
	MaxAge          float32
	Cover           coverFileJSON
	MetaLockVersion int64
	CreateTime      string
	UpdateTime      string
}

// coverFileJSON is the part of a File (§5.7) the emulator can fill in.
type coverFileJSON struct {
	URI         string
	ProjectName string
	DatasetName string
	ObjectType  string
	Figures     []figureJSON
}

type figureJSON struct {
	FigureId        string
	FigureType      string
	FigureClusterId string
	Gender          string
	Age             int64
}

func clusterView(c figureCluster) figureClusterJSON {
	out := figureClusterJSON{
		ObjectId:        c.ObjectId,
		ObjectType:      "figure-cluster",
		OwnerId:         emulatorOwnerID,
		ProjectName:     c.ProjectName,
		DatasetName:     c.DatasetName,
		Name:            c.Name,
		CustomId:        c.CustomId,
		CustomLabels:    c.CustomLabels,
		Gender:          mostCommonGender(c.Figures),
		FaceCount:       int64(len(c.Figures)),
		MetaLockVersion: c.MetaLockVersion,
		CreateTime:      formatServiceTime(c.CreateTime),
		UpdateTime:      formatServiceTime(c.UpdateTime),
	}
	if out.CustomLabels == nil {
		out.CustomLabels = labelsJSON{}
	}
	uris := map[string]bool{}
	var sum int64
	for i, f := range c.Figures {
		uris[f.URI] = true
		age := float32(f.Age)
		if i == 0 || age < out.MinAge {
			out.MinAge = age
		}
		if i == 0 || age > out.MaxAge {
			out.MaxAge = age
		}
		sum += f.Age
	}
	out.ImageCount = int64(len(uris))
	if len(c.Figures) > 0 {
		out.AverageAge = float32(float64(sum) / float64(len(c.Figures)))
	}
	if cover, ok := c.member(c.CoverFigureId); ok {
		out.Cover = coverFileJSON{
			URI:         cover.URI,
			ProjectName: c.ProjectName,
			DatasetName: c.DatasetName,
			ObjectType:  "file",
			Figures: []figureJSON{{
				FigureId:        cover.FigureId,
				FigureType:      "face",
				FigureClusterId: c.ObjectId,
				Gender:          cover.Gender,
				Age:             cover.Age,
			}},
		}
	}
	return out
}

func (c figureCluster) member(figureID string) (SeedFigure, bool) {
	for _, f := range c.Figures {
		if f.FigureId == figureID {
			return f, true
		}
	}
	return SeedFigure{}, false
}

// mostCommonGender ignores figures without a gender; a tie goes to the
// alphabetically first gender, so the answer never depends on map order.
func mostCommonGender(figs []SeedFigure) string {
	counts := map[string]int{}
	for _, f := range figs {
		if f.Gender != "" {
			counts[f.Gender]++
		}
	}
	best, bestN := "", 0
	for g, n := range counts {
		if n > bestN || (n == bestN && g < best) {
			best, bestN = g, n
		}
	}
	return best
}

type getFigureClusterRequest struct {
	datasetRef
	ObjectId string
}

func decodeGetFigureCluster(p *params) getFigureClusterRequest {
	return getFigureClusterRequest{datasetRef: decodeDatasetRef(p), ObjectId: p.requiredString("ObjectId")}
}

type getFigureClusterResponse struct {
	FigureCluster figureClusterJSON
}

func (s *service) getFigureCluster(v reader, req getFigureClusterRequest) (getFigureClusterResponse, *apiError) {
	if _, err := findDataset(v, req.datasetRef); err != nil {
		return getFigureClusterResponse{}, err
	}
	c, ok := v.cluster(req.ProjectName, req.DatasetName, req.ObjectId)
	if !ok {
		return getFigureClusterResponse{}, resourceNotFound(resourceFigureCluster)
	}
	return getFigureClusterResponse{FigureCluster: clusterView(c)}, nil
}

const maxBatchObjectIDs = 100

type batchGetFigureClusterRequest struct {
	datasetRef
	ObjectIds []string
}

func decodeBatchGetFigureCluster(p *params) batchGetFigureClusterRequest {
	req := batchGetFigureClusterRequest{datasetRef: decodeDatasetRef(p)}
	p.requiredJSON("ObjectIds", &req.ObjectIds)
	if len(req.ObjectIds) > maxBatchObjectIDs {
		p.fail(invalidArgument("The parameter ObjectIds holds %d IDs; at most %d are allowed.", len(req.ObjectIds), maxBatchObjectIDs))
	}
	return req
}

type figureClustersResponse struct {
	FigureClusters []figureClusterJSON
}

// batchGetFigureCluster answers in the order asked; unknown or repeated IDs
// are left out rather than failing the batch.
func (s *service) batchGetFigureCluster(v reader, req batchGetFigureClusterRequest) (figureClustersResponse, *apiError) {
	if _, err := findDataset(v, req.datasetRef); err != nil {
		return figureClustersResponse{}, err
	}
	out := figureClustersResponse{FigureClusters: []figureClusterJSON{}}
	seen := map[string]bool{}
	for _, id := range req.ObjectIds {
		if seen[id] {
			continue
		}
		seen[id] = true
		if c, ok := v.cluster(req.ProjectName, req.DatasetName, id); ok {
			out.FigureClusters = append(out.FigureClusters, clusterView(c))
		}
	}
	return out, nil
}

// figureClusterForReq is UpdateFigureCluster's FigureCluster parameter;
// pointers tell which fields were given.
type figureClusterForReq struct {
	ObjectId        string
	Name            *string
	CustomId        *string
	CustomLabels    *labelsJSON
	MetaLockVersion *int64
	Cover           *struct {
		Figures []struct {
			FigureId string
		}
	}
}

type updateFigureClusterRequest struct {
	datasetRef
	Cluster figureClusterForReq
}

func decodeUpdateFigureCluster(p *params) updateFigureClusterRequest {
	req := updateFigureClusterRequest{datasetRef: decodeDatasetRef(p)}
	p.requiredJSON("FigureCluster", &req.Cluster)
	if p.err != nil {
		return req
	}
	c := req.Cluster
	if c.ObjectId == "" {
		p.fail(missingParameter("FigureCluster.ObjectId"))
	}
	if c.Cover != nil && len(c.Cover.Figures) != 1 {
		p.fail(invalidArgument("The parameter FigureCluster.Cover.Figures must hold exactly one figure; got %d.", len(c.Cover.Figures)))
	}
	if c.CustomLabels != nil {
		for k := range *c.CustomLabels {
			if k == "" {
				p.fail(invalidArgument("The parameter FigureCluster.CustomLabels has an empty key."))
			}
		}
	}
	return req
}

// updateFigureCluster changes only the given fields; CustomLabels, when
// given, replaces the whole map. A given MetaLockVersion must equal the
// stored one (optimistic lock); each success adds one to it.
func (s *service) updateFigureCluster(now time.Time, req updateFigureClusterRequest) (emptyResponse, *apiError) {
	v := s.st.latest()
	if _, err := findDataset(v, req.datasetRef); err != nil {
		return emptyResponse{}, err
	}
	want := req.Cluster
	c, ok := v.cluster(req.ProjectName, req.DatasetName, want.ObjectId)
	if !ok {
		return emptyResponse{}, resourceNotFound(resourceFigureCluster)
	}
	if want.MetaLockVersion != nil && *want.MetaLockVersion != c.MetaLockVersion {
		return emptyResponse{}, invalidArgument("The MetaLockVersion %d does not match the current MetaLockVersion %d of figure cluster %s; read the cluster again and retry.", *want.MetaLockVersion, c.MetaLockVersion, c.ObjectId)
	}
	if want.Cover != nil {
		id := want.Cover.Figures[0].FigureId
		if _, ok := c.member(id); !ok {
			return emptyResponse{}, invalidArgument("The cover figure %q is not a figure of figure cluster %s.", id, c.ObjectId)
		}
		c.CoverFigureId = id
	}
	if want.Name != nil {
		c.Name = *want.Name
	}
	if want.CustomId != nil {
		c.CustomId = *want.CustomId
	}
	if want.CustomLabels != nil {
		c.CustomLabels = labelsJSON{}
		for k, raw := range *want.CustomLabels {
			c.CustomLabels[k] = append(json.RawMessage(nil), raw...)
		}
	}
	c.MetaLockVersion++
	c.UpdateTime = now
	s.st.clusters.put(clusterKey(c.ProjectName, c.DatasetName, c.ObjectId), now, c)
	return emptyResponse{}, nil
}
