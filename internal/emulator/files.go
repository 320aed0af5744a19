package emulator

import (
	"path"
	"sort"
	"strings"
	"time"
)

// This file is a dataset's files as IMM's file-metadata actions see them:
// SimpleQuery lists them (a page at a time), DeleteFileMeta and
// BatchDeleteFileMeta delete their metadata. Deleting an image's metadata
// takes its faces with it: they leave their clusters, and a cluster left
// without faces disappears (imm-api.md §6.3, §15.5).

const (
	// maxBatchFileURIs is BatchDeleteFileMeta's limit ("up to 100 URIs").
	maxBatchFileURIs = 100
	// maxSimpleQueryResults is SimpleQuery's page limit without
	// aggregations.
	maxSimpleQueryResults = 100
	// figureClusterIDUnavailable is IMM's reserved FigureClusterId for a
	// face no clustering task has placed yet.
	figureClusterIDUnavailable = "figure-cluster-id-unavailable"
)

type fileRef struct {
	datasetRef
	URI string
}

func decodeDeleteFileMeta(p *params) fileRef {
	return fileRef{datasetRef: decodeDatasetRef(p), URI: p.requiredString("URI")}
}

type batchDeleteFileMetaRequest struct {
	datasetRef
	URIs []string
}

func decodeBatchDeleteFileMeta(p *params) batchDeleteFileMetaRequest {
	req := batchDeleteFileMetaRequest{datasetRef: decodeDatasetRef(p)}
	p.requiredJSON("URIs", &req.URIs)
	switch {
	case p.err != nil:
	case len(req.URIs) == 0:
		p.fail(invalidArgument("The parameter URIs must hold 1 to %d URIs; got none.", maxBatchFileURIs))
	case len(req.URIs) > maxBatchFileURIs:
		p.fail(invalidArgument("The parameter URIs must hold 1 to %d URIs; got %d.", maxBatchFileURIs, len(req.URIs)))
	}
	for i, u := range req.URIs {
		if u == "" {
			p.fail(invalidArgument("The parameter URIs holds an empty URI at position %d.", i))
		}
	}
	return req
}

// deleteFileMeta succeeds whether or not the dataset holds the file, as IMM
// documents; the dataset must exist.
func (s *service) deleteFileMeta(now time.Time, req fileRef) (emptyResponse, *apiError) {
	return s.deleteFiles(now, req.datasetRef, []string{req.URI})
}

func (s *service) batchDeleteFileMeta(now time.Time, req batchDeleteFileMetaRequest) (emptyResponse, *apiError) {
	return s.deleteFiles(now, req.datasetRef, req.URIs)
}

func (s *service) deleteFiles(now time.Time, ref datasetRef, uris []string) (emptyResponse, *apiError) {
	d, err := findDataset(s.st.latest(), ref)
	if err != nil {
		return emptyResponse{}, err
	}
	s.forgetImages(d, uris, now)
	return emptyResponse{}, nil
}

// forgetImages drops images from a dataset, committed at time at: their
// files, their faces (whether a binding indexed them or AddFigures seeded
// them), and those faces from their clusters. A cluster left without faces
// disappears; one that keeps some gets a new cover when its cover went.
func (s *service) forgetImages(d dataset, uris []string, at time.Time) {
	drop := map[string]bool{}
	for _, u := range uris {
		drop[u] = true
	}
	key := seedKey{d.ProjectName, d.DatasetName}
	var keptFaces []SeedFigure
	for _, f := range s.seeds[key] {
		if !drop[f.URI] {
			keptFaces = append(keptFaces, f)
		}
	}
	if len(keptFaces) == 0 {
		delete(s.seeds, key)
	} else {
		s.seeds[key] = keptFaces
	}
	var keptFiles []string
	for _, u := range d.Files {
		if !drop[u] {
			keptFiles = append(keptFiles, u)
		}
	}
	if len(keptFiles) != len(d.Files) {
		d.Files = keptFiles
		s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), at, d)
	}
	s.unclusterImages(d, drop, at)
}

// unclusterImages takes the faces of the dropped images out of the
// dataset's clusters. A face taken out is free to be clustered again if its
// image comes back.
func (s *service) unclusterImages(d dataset, drop map[string]bool, at time.Time) {
	dc := s.clustering[d.Incarnation]
	for _, c := range s.st.latest().clusters(d.ProjectName, d.DatasetName) {
		var kept []SeedFigure
		for _, f := range c.Figures {
			if !drop[f.URI] {
				kept = append(kept, f)
			} else if dc != nil {
				delete(dc.FigureCluster, f.FigureId)
			}
		}
		if len(kept) == len(c.Figures) {
			continue
		}
		key := clusterKey(c.ProjectName, c.DatasetName, c.ObjectId)
		if len(kept) == 0 {
			s.st.clusters.remove(key, at)
			if dc != nil {
				for person, id := range dc.PersonCluster {
					if id == c.ObjectId {
						delete(dc.PersonCluster, person)
					}
				}
			}
			continue
		}
		c.Figures = kept
		if _, ok := c.member(c.CoverFigureId); !ok {
			c.CoverFigureId = kept[0].FigureId
		}
		c.UpdateTime = at
		s.st.clusters.put(key, at, c)
	}
}

// simpleQuery is SimpleQuery's Query parameter (the SDK's SimpleQuery
// struct). The emulator evaluates and, or and not over SubQueries, and eq
// and prefix on the field URI; anything else is refused when decoded.
type simpleQuery struct {
	Field      string
	Operation  string
	Value      string
	SubQueries []simpleQuery
}

const maxSimpleQueryDepth = 5

// check refuses what the emulator does not evaluate, naming the place.
func (q simpleQuery) check(depth int) *apiError {
	if depth > maxSimpleQueryDepth {
		return invalidArgument("The parameter Query nests deeper than %d levels.", maxSimpleQueryDepth)
	}
	switch q.Operation {
	case "and", "or", "not":
		if len(q.SubQueries) == 0 {
			return invalidArgument("The parameter Query: the operation %s needs SubQueries.", q.Operation)
		}
		for _, sq := range q.SubQueries {
			if err := sq.check(depth + 1); err != nil {
				return err
			}
		}
		return nil
	case "eq", "prefix":
		if q.Field != "URI" {
			return invalidArgument("The parameter Query: the emulator's SimpleQuery compares the field URI only; got the field %q.", q.Field)
		}
		return nil
	}
	return invalidArgument("The parameter Query: the emulator's SimpleQuery takes the operations and, or, not, eq and prefix; got %q.", q.Operation)
}

// matches evaluates a checked query against a file's URI; not holds when
// none of its SubQueries does.
func (q simpleQuery) matches(uri string) bool {
	switch q.Operation {
	case "and":
		for _, sq := range q.SubQueries {
			if !sq.matches(uri) {
				return false
			}
		}
		return true
	case "or", "not":
		found := false
		for _, sq := range q.SubQueries {
			if sq.matches(uri) {
				found = true
				break
			}
		}
		return found == (q.Operation == "or")
	case "eq":
		return uri == q.Value
	default: // prefix
		return strings.HasPrefix(uri, q.Value)
	}
}

type simpleQueryRequest struct {
	datasetRef
	Query            *simpleQuery
	MaxResults       *int64
	NextToken        string
	Sort             string
	Order            string
	WithoutTotalHits bool
}

func decodeSimpleQuery(p *params) simpleQueryRequest {
	req := simpleQueryRequest{
		datasetRef:       decodeDatasetRef(p),
		MaxResults:       p.optionalInt("MaxResults", 0, maxSimpleQueryResults),
		NextToken:        p.m["NextToken"],
		Sort:             p.m["Sort"],
		Order:            strings.ToLower(p.m["Order"]),
		WithoutTotalHits: p.optionalBool("WithoutTotalHits"),
	}
	var q simpleQuery
	if p.optionalJSON("Query", &q) {
		req.Query = &q
		if err := q.check(1); err != nil {
			p.fail(err)
		}
	}
	var withFields []string
	p.optionalJSON("WithFields", &withFields)
	if p.given("Aggregations") {
		p.fail(invalidArgument("The parameter Aggregations is not supported by the emulator."))
	}
	if req.Sort != "" && req.Sort != "URI" {
		p.fail(invalidArgument("The parameter Sort: the emulator sorts files by URI only; got %q.", req.Sort))
	}
	if req.Order != "" && req.Order != "asc" && req.Order != "desc" {
		p.fail(invalidArgument("The parameter Order must be asc or desc; got %q.", p.m["Order"]))
	}
	return req
}

// fileJSON is the part of IMM's File (imm-api.md §5.7) the emulator knows.
type fileJSON struct {
	URI         string
	ProjectName string
	DatasetName string
	ObjectType  string
	Filename    string
	FigureCount int64
	Figures     []figureJSON
}

type simpleQueryResponse struct {
	Files     []fileJSON
	NextToken string
	TotalHits *int64 `json:",omitempty"`
}

// simpleQuery lists a dataset's files that match the query, by URI:
// ascending without Sort; with Sort=URI, Order desc (IMM's default) or asc.
// Files are read from v's snapshot of the dataset, their faces and
// clusters from the world (which does not lag).
func (s *service) simpleQuery(v reader, req simpleQueryRequest) (simpleQueryResponse, *apiError) {
	d, err := findDataset(v, req.datasetRef)
	if err != nil {
		return simpleQueryResponse{}, err
	}
	descending := req.Sort == "URI" && req.Order != "asc"
	list := "files/" + d.ProjectName + "/" + d.DatasetName + "/" + d.Incarnation
	if descending {
		list += "/desc"
	}
	after := ""
	if req.NextToken != "" {
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return simpleQueryResponse{}, err
		}
	}
	var matching []string
	for _, u := range d.Files {
		if req.Query == nil || req.Query.matches(u) {
			matching = append(matching, u)
		}
	}
	sort.Strings(matching)
	if descending {
		sort.Sort(sort.Reverse(sort.StringSlice(matching)))
	}
	page, next := paginate(matching, func(u string) string { return u }, list, after, s.pageSize(req.MaxResults), descending)
	out := simpleQueryResponse{Files: []fileJSON{}, NextToken: next}
	for _, u := range page {
		out.Files = append(out.Files, s.fileView(d, u))
	}
	if !req.WithoutTotalHits {
		n := int64(len(matching))
		out.TotalHits = &n
	}
	return out, nil
}

// fileView is one file with its faces and, for each, its cluster.
func (s *service) fileView(d dataset, uri string) fileJSON {
	f := fileJSON{URI: uri, ProjectName: d.ProjectName, DatasetName: d.DatasetName, ObjectType: "file",
		Filename: path.Base(uri), Figures: []figureJSON{}}
	dc := s.clustering[d.Incarnation]
	for _, fig := range s.seeds[seedKey{d.ProjectName, d.DatasetName}] {
		if fig.URI != uri {
			continue
		}
		clusterID := figureClusterIDUnavailable
		if id, ok := dc.clusterOf(fig.FigureId); ok {
			clusterID = id
		}
		f.Figures = append(f.Figures, figureJSON{FigureId: fig.FigureId, FigureType: "face", FigureClusterId: clusterID,
			Gender: fig.Gender, Age: fig.Age})
	}
	f.FigureCount = int64(len(f.Figures))
	return f
}

// clusterOf is the cluster a figure was placed in, if any; dc may be nil
// (nothing clustered yet).
func (dc *datasetClustering) clusterOf(figureID string) (string, bool) {
	if dc == nil {
		return "", false
	}
	id, ok := dc.FigureCluster[figureID]
	return id, ok
}
