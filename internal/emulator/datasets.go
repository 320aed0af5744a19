package emulator

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// dataset is a stored dataset. Files are the URIs of indexed files (added
// with AddFiles); Incarnation tells a dataset from an earlier one of the same
// name, so clusters and tasks of a deleted dataset never leak into a new one.
type dataset struct {
	ProjectName             string
	DatasetName             string
	Description             string
	TemplateId              string
	CreateTime              time.Time
	UpdateTime              time.Time
	DatasetMaxBindCount     int64
	DatasetMaxFileCount     int64
	DatasetMaxEntityCount   int64
	DatasetMaxRelationCount int64
	DatasetMaxTotalFileSize int64
	WorkflowParameters      []workflowParameter
	Files                   []string
	Incarnation             string
}

type workflowParameter struct {
	Name  string
	Value string
}

// datasetJSON is the Dataset structure of imm-api.md §5.2.
type datasetJSON struct {
	ProjectName             string
	DatasetName             string
	Description             string
	TemplateId              string
	CreateTime              string
	UpdateTime              string
	BindCount               int64
	FileCount               int64
	TotalFileSize           int64
	DatasetMaxBindCount     int64
	DatasetMaxFileCount     int64
	DatasetMaxEntityCount   int64
	DatasetMaxRelationCount int64
	DatasetMaxTotalFileSize int64
	WorkflowParameters      []workflowParameter
}

// datasetView shows a dataset as v sees it: BindCount counts its bindings
// in the same snapshot.
func datasetView(v reader, d dataset) datasetJSON {
	wp := d.WorkflowParameters
	if wp == nil {
		wp = []workflowParameter{}
	}
	return datasetJSON{
		ProjectName:             d.ProjectName,
		DatasetName:             d.DatasetName,
		Description:             d.Description,
		TemplateId:              d.TemplateId,
		CreateTime:              formatServiceTime(d.CreateTime),
		UpdateTime:              formatServiceTime(d.UpdateTime),
		BindCount:               int64(len(v.bindings(d.ProjectName, d.DatasetName))),
		FileCount:               int64(len(d.Files)),
		DatasetMaxBindCount:     d.DatasetMaxBindCount,
		DatasetMaxFileCount:     d.DatasetMaxFileCount,
		DatasetMaxEntityCount:   d.DatasetMaxEntityCount,
		DatasetMaxRelationCount: d.DatasetMaxRelationCount,
		DatasetMaxTotalFileSize: d.DatasetMaxTotalFileSize,
		WorkflowParameters:      wp,
	}
}

type datasetLimits struct {
	DatasetMaxBindCount     *int64
	DatasetMaxFileCount     *int64
	DatasetMaxEntityCount   *int64
	DatasetMaxRelationCount *int64
	DatasetMaxTotalFileSize *int64
}

func readDatasetLimits(p *params) datasetLimits {
	return datasetLimits{
		DatasetMaxBindCount:     p.optionalInt("DatasetMaxBindCount", 1, defaultDatasetMaxBindCount),
		DatasetMaxFileCount:     p.optionalInt("DatasetMaxFileCount", 1, defaultDatasetMaxFileCount),
		DatasetMaxEntityCount:   p.optionalInt("DatasetMaxEntityCount", 1, maxInt64),
		DatasetMaxRelationCount: p.optionalInt("DatasetMaxRelationCount", 1, maxInt64),
		DatasetMaxTotalFileSize: p.optionalInt("DatasetMaxTotalFileSize", 1, maxInt64),
	}
}

func readWorkflowParameters(p *params) *[]workflowParameter {
	var wp []workflowParameter
	if !p.optionalJSON("WorkflowParameters", &wp) {
		return nil
	}
	if wp == nil {
		wp = []workflowParameter{}
	}
	return &wp
}

type createDatasetRequest struct {
	ProjectName        string
	DatasetName        string
	Description        *string
	TemplateId         *string
	Limits             datasetLimits
	WorkflowParameters *[]workflowParameter
}

func decodeCreateDataset(p *params) createDatasetRequest {
	return createDatasetRequest{
		ProjectName:        p.requiredName("ProjectName"),
		DatasetName:        p.requiredName("DatasetName"),
		Description:        p.optionalText("Description", maxDescriptionChars),
		TemplateId:         p.optionalNonEmpty("TemplateId"),
		Limits:             readDatasetLimits(p),
		WorkflowParameters: readWorkflowParameters(p),
	}
}

type datasetResponse struct {
	Dataset datasetJSON
}

func (s *service) createDataset(now time.Time, req createDatasetRequest) (datasetResponse, *apiError) {
	v := s.st.latest()
	p, ok := v.project(req.ProjectName)
	if !ok {
		return datasetResponse{}, resourceNotFound(resourceProject)
	}
	if _, ok := v.dataset(req.ProjectName, req.DatasetName); ok {
		return datasetResponse{}, resourceAlreadyExists(resourceDataset)
	}
	if n := int64(len(v.datasets(req.ProjectName))); n >= p.ProjectMaxDatasetCount {
		return datasetResponse{}, resourceCountExceeded("project %s allows at most %d datasets (ProjectMaxDatasetCount)", p.ProjectName, p.ProjectMaxDatasetCount)
	}
	d := dataset{
		ProjectName:             req.ProjectName,
		DatasetName:             req.DatasetName,
		CreateTime:              now,
		UpdateTime:              now,
		DatasetMaxBindCount:     defaultDatasetMaxBindCount,
		DatasetMaxFileCount:     defaultDatasetMaxFileCount,
		DatasetMaxEntityCount:   defaultDatasetMaxEntityCount,
		DatasetMaxRelationCount: defaultDatasetMaxRelationCount,
		DatasetMaxTotalFileSize: defaultDatasetMaxTotalFileSize,
		Incarnation:             uuid.NewString(),
	}
	applyDatasetChanges(&d, req.Description, req.TemplateId, req.Limits, req.WorkflowParameters)
	s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), now, d)
	return datasetResponse{Dataset: datasetView(v, d)}, nil
}

func applyDatasetChanges(d *dataset, description, templateID *string, l datasetLimits, wp *[]workflowParameter) {
	if description != nil {
		d.Description = *description
	}
	if templateID != nil {
		d.TemplateId = *templateID
	}
	setIfGiven(&d.DatasetMaxBindCount, l.DatasetMaxBindCount)
	setIfGiven(&d.DatasetMaxFileCount, l.DatasetMaxFileCount)
	setIfGiven(&d.DatasetMaxEntityCount, l.DatasetMaxEntityCount)
	setIfGiven(&d.DatasetMaxRelationCount, l.DatasetMaxRelationCount)
	setIfGiven(&d.DatasetMaxTotalFileSize, l.DatasetMaxTotalFileSize)
	if wp != nil {
		d.WorkflowParameters = append([]workflowParameter(nil), (*wp)...)
	}
}

type datasetRef struct {
	ProjectName string
	DatasetName string
}

func decodeDatasetRef(p *params) datasetRef {
	return datasetRef{ProjectName: p.requiredName("ProjectName"), DatasetName: p.requiredName("DatasetName")}
}

// findDataset reads a dataset and its project, reporting whichever is
// missing first, as IMM names the missing resource.
func findDataset(v reader, ref datasetRef) (dataset, *apiError) {
	if _, ok := v.project(ref.ProjectName); !ok {
		return dataset{}, resourceNotFound(resourceProject)
	}
	d, ok := v.dataset(ref.ProjectName, ref.DatasetName)
	if !ok {
		return dataset{}, resourceNotFound(resourceDataset)
	}
	return d, nil
}

type getDatasetRequest struct {
	datasetRef
	WithStatistics bool
}

func decodeGetDataset(p *params) getDatasetRequest {
	return getDatasetRequest{datasetRef: decodeDatasetRef(p), WithStatistics: p.optionalBool("WithStatistics")}
}

func (s *service) getDataset(v reader, req getDatasetRequest) (datasetResponse, *apiError) {
	d, err := findDataset(v, req.datasetRef)
	if err != nil {
		return datasetResponse{}, err
	}
	return datasetResponse{Dataset: datasetView(v, d)}, nil
}

type updateDatasetRequest struct {
	datasetRef
	Description        *string
	TemplateId         *string
	Limits             datasetLimits
	WorkflowParameters *[]workflowParameter
}

func decodeUpdateDataset(p *params) updateDatasetRequest {
	c := decodeCreateDataset(p)
	return updateDatasetRequest{
		datasetRef:         datasetRef{ProjectName: c.ProjectName, DatasetName: c.DatasetName},
		Description:        c.Description,
		TemplateId:         c.TemplateId,
		Limits:             c.Limits,
		WorkflowParameters: c.WorkflowParameters,
	}
}

func (s *service) updateDataset(now time.Time, req updateDatasetRequest) (datasetResponse, *apiError) {
	d, err := findDataset(s.st.latest(), req.datasetRef)
	if err != nil {
		return datasetResponse{}, err
	}
	applyDatasetChanges(&d, req.Description, req.TemplateId, req.Limits, req.WorkflowParameters)
	d.UpdateTime = now
	s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), now, d)
	return datasetResponse{Dataset: datasetView(s.st.latest(), d)}, nil
}

func (s *service) deleteDataset(now time.Time, req datasetRef) (emptyResponse, *apiError) {
	d, err := findDataset(s.st.latest(), req)
	if err != nil {
		return emptyResponse{}, err
	}
	if n := len(s.st.latest().bindings(d.ProjectName, d.DatasetName)); n > 0 {
		return emptyResponse{}, invalidArgument("The dataset %s still has %d binding(s); delete them (DeleteBinding) before deleting the dataset.", d.DatasetName, n)
	}
	if n := len(d.Files); n > 0 {
		return emptyResponse{}, invalidArgument("The dataset %s still has %d indexed file(s); delete its file metadata before deleting the dataset.", d.DatasetName, n)
	}
	s.st.datasets.remove(datasetKey(d.ProjectName, d.DatasetName), now)
	// A dataset's clusters and its figure assignment go with it.
	for _, c := range s.st.latest().clusters(d.ProjectName, d.DatasetName) {
		s.st.clusters.remove(clusterKey(d.ProjectName, d.DatasetName, c.ObjectId), now)
	}
	delete(s.clustering, d.Incarnation)
	return emptyResponse{}, nil
}

type listDatasetsRequest struct {
	ProjectName string
	MaxResults  *int64
	NextToken   string
	Prefix      string
}

func decodeListDatasets(p *params) listDatasetsRequest {
	req := listDatasetsRequest{
		ProjectName: p.requiredName("ProjectName"),
		MaxResults:  p.optionalInt("MaxResults", 0, 200),
		NextToken:   p.m["NextToken"],
		Prefix:      p.m["Prefix"],
	}
	if n := utf8.RuneCountInString(req.Prefix); n > maxPrefixChars {
		p.fail(invalidArgument("The parameter Prefix must be 0 to %d characters long; got %d.", maxPrefixChars, n))
	}
	return req
}

type listDatasetsResponse struct {
	Datasets  []datasetJSON
	NextToken string `json:",omitempty"`
}

func (s *service) listDatasets(v reader, req listDatasetsRequest) (listDatasetsResponse, *apiError) {
	if _, ok := v.project(req.ProjectName); !ok {
		return listDatasetsResponse{}, resourceNotFound(resourceProject)
	}
	list := "datasets/" + req.ProjectName
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return listDatasetsResponse{}, err
		}
	}
	var matching []dataset
	for _, d := range v.datasets(req.ProjectName) {
		if strings.HasPrefix(d.DatasetName, req.Prefix) {
			matching = append(matching, d)
		}
	}
	page, next := paginate(matching, func(d dataset) string { return d.DatasetName }, list, after, s.pageSize(req.MaxResults), false)
	out := listDatasetsResponse{Datasets: []datasetJSON{}, NextToken: next}
	for _, d := range page {
		out.Datasets = append(out.Datasets, datasetView(v, d))
	}
	return out, nil
}

// addFiles indexes files in a dataset (the emulator's stand-in for
// IndexFileMeta). Adding a URI twice is a no-op.
func (s *service) addFiles(now time.Time, ref datasetRef, uris []string) (int, *apiError) {
	d, err := findDataset(s.st.latest(), ref)
	if err != nil {
		return 0, err
	}
	set := map[string]bool{}
	for _, u := range d.Files {
		set[u] = true
	}
	for _, u := range uris {
		if u == "" {
			return 0, invalidArgument("A file URI must not be empty.")
		}
		set[u] = true
	}
	if int64(len(set)) > d.DatasetMaxFileCount {
		return 0, resourceCountExceeded("dataset %s allows at most %d files (DatasetMaxFileCount)", d.DatasetName, d.DatasetMaxFileCount)
	}
	d.Files = sortedKeys(set)
	s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), now, d)
	return len(d.Files), nil
}

// removeFiles drops files from a dataset; no URIs means all of them.
func (s *service) removeFiles(now time.Time, ref datasetRef, uris []string) (int, *apiError) {
	d, err := findDataset(s.st.latest(), ref)
	if err != nil {
		return 0, err
	}
	drop := map[string]bool{}
	for _, u := range uris {
		drop[u] = true
	}
	var kept []string
	for _, u := range d.Files {
		if len(uris) > 0 && !drop[u] {
			kept = append(kept, u)
		}
	}
	d.Files = kept
	s.st.datasets.put(datasetKey(d.ProjectName, d.DatasetName), now, d)
	return len(d.Files), nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
