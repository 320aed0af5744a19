package emulator

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Documented defaults and limits of a project (imm-api.md §5.1, §6.1).
const (
	defaultServiceRole             = "AliyunIMMDefaultRole"
	projectQueriesPerSecond        = 100
	projectEngineConcurrency       = 100
	defaultProjectMaxDatasetCount  = 1000000000
	defaultDatasetMaxBindCount     = 10
	defaultDatasetMaxFileCount     = 100000000
	defaultDatasetMaxEntityCount   = 10000000000
	defaultDatasetMaxRelationCount = 100000000000
	defaultDatasetMaxTotalFileSize = 90000000000000000
	maxInt64                       = 1<<63 - 1
	defaultProjectQuota            = 100
	maxDescriptionChars            = 256
	maxTags                        = 20
	maxTagKeyChars                 = 128
	maxTagValueChars               = 128
)

// project is a stored project. DatasetCount and the statistics are computed
// from the snapshot that reads it.
type project struct {
	ProjectName             string
	ServiceRole             string
	TemplateId              string
	Description             string
	CreateTime              time.Time
	UpdateTime              time.Time
	ProjectMaxDatasetCount  int64
	DatasetMaxBindCount     int64
	DatasetMaxFileCount     int64
	DatasetMaxEntityCount   int64
	DatasetMaxRelationCount int64
	DatasetMaxTotalFileSize int64
	Tags                    []requestTag
}

// requestTag is a tag as requests carry it; responses say TagKey/TagValue.
type requestTag struct {
	Key   string
	Value string
}

type responseTag struct {
	TagKey   string
	TagValue string
}

// projectJSON is the Project structure of imm-api.md §5.1, field for field.
type projectJSON struct {
	ProjectName             string
	ServiceRole             string
	TemplateId              string
	Description             string
	CreateTime              string
	UpdateTime              string
	ProjectQueriesPerSecond int64
	EngineConcurrency       int64
	ProjectMaxDatasetCount  int64
	DatasetMaxBindCount     int64
	DatasetMaxFileCount     int64
	DatasetMaxEntityCount   int64
	DatasetMaxRelationCount int64
	DatasetMaxTotalFileSize int64
	DatasetCount            int64
	FileCount               int64
	TotalFileSize           int64
	Tags                    []responseTag
}

func projectView(v reader, p project, withStatistics bool) projectJSON {
	out := projectJSON{
		ProjectName:             p.ProjectName,
		ServiceRole:             p.ServiceRole,
		TemplateId:              p.TemplateId,
		Description:             p.Description,
		CreateTime:              formatServiceTime(p.CreateTime),
		UpdateTime:              formatServiceTime(p.UpdateTime),
		ProjectQueriesPerSecond: projectQueriesPerSecond,
		EngineConcurrency:       projectEngineConcurrency,
		ProjectMaxDatasetCount:  p.ProjectMaxDatasetCount,
		DatasetMaxBindCount:     p.DatasetMaxBindCount,
		DatasetMaxFileCount:     p.DatasetMaxFileCount,
		DatasetMaxEntityCount:   p.DatasetMaxEntityCount,
		DatasetMaxRelationCount: p.DatasetMaxRelationCount,
		DatasetMaxTotalFileSize: p.DatasetMaxTotalFileSize,
		Tags:                    []responseTag{},
	}
	datasets := v.datasets(p.ProjectName)
	out.DatasetCount = int64(len(datasets))
	if withStatistics {
		for _, d := range datasets {
			out.FileCount += int64(len(d.Files))
		}
	}
	for _, t := range p.Tags {
		out.Tags = append(out.Tags, responseTag{TagKey: t.Key, TagValue: t.Value})
	}
	return out
}

// projectLimits are the DatasetMax* and ProjectMaxDatasetCount parameters
// shared by CreateProject and UpdateProject; nil means "not given".
type projectLimits struct {
	ProjectMaxDatasetCount  *int64
	DatasetMaxBindCount     *int64
	DatasetMaxFileCount     *int64
	DatasetMaxEntityCount   *int64
	DatasetMaxRelationCount *int64
	DatasetMaxTotalFileSize *int64
}

func readProjectLimits(p *params) projectLimits {
	return projectLimits{
		ProjectMaxDatasetCount:  p.optionalInt("ProjectMaxDatasetCount", 1, defaultProjectMaxDatasetCount),
		DatasetMaxBindCount:     p.optionalInt("DatasetMaxBindCount", 1, defaultDatasetMaxBindCount),
		DatasetMaxFileCount:     p.optionalInt("DatasetMaxFileCount", 1, defaultDatasetMaxFileCount),
		DatasetMaxEntityCount:   p.optionalInt("DatasetMaxEntityCount", 1, maxInt64),
		DatasetMaxRelationCount: p.optionalInt("DatasetMaxRelationCount", 1, maxInt64),
		DatasetMaxTotalFileSize: p.optionalInt("DatasetMaxTotalFileSize", 1, maxInt64),
	}
}

// readTags decodes and checks a Tag parameter: a JSON array of {Key, Value}.
func readTags(p *params, name string) *[]requestTag {
	var tags []requestTag
	if !p.optionalJSON(name, &tags) {
		return nil
	}
	if len(tags) > maxTags {
		p.fail(invalidArgument("The parameter %s holds %d tags; at most %d are allowed.", name, len(tags), maxTags))
		return nil
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > maxTagKeyChars {
			p.fail(invalidArgument("The parameter %s has a tag Key of %d characters; a Key must be 1 to %d characters.", name, n, maxTagKeyChars))
			return nil
		}
		if n := utf8.RuneCountInString(t.Value); n > maxTagValueChars {
			p.fail(invalidArgument("The parameter %s has a tag Value of %d characters; a Value must be 0 to %d characters.", name, n, maxTagValueChars))
			return nil
		}
		if seen[t.Key] {
			p.fail(invalidArgument("The parameter %s names the tag Key %q twice.", name, t.Key))
			return nil
		}
		seen[t.Key] = true
	}
	if tags == nil {
		tags = []requestTag{}
	}
	return &tags
}

type createProjectRequest struct {
	ProjectName string
	ServiceRole *string
	TemplateId  *string
	Description *string
	Limits      projectLimits
	Tags        *[]requestTag
}

func decodeCreateProject(p *params) createProjectRequest {
	return createProjectRequest{
		ProjectName: p.requiredName("ProjectName"),
		ServiceRole: p.optionalNonEmpty("ServiceRole"),
		TemplateId:  p.optionalNonEmpty("TemplateId"),
		Description: p.optionalText("Description", maxDescriptionChars),
		Limits:      readProjectLimits(p),
		Tags:        readTags(p, "Tag"),
	}
}

type projectResponse struct {
	Project projectJSON
}

func (s *service) createProject(now time.Time, req createProjectRequest) (projectResponse, *apiError) {
	v := s.st.latest()
	if _, ok := v.project(req.ProjectName); ok {
		return projectResponse{}, resourceAlreadyExists(resourceProject)
	}
	if n := len(v.projects()); n >= s.projectQuota {
		return projectResponse{}, resourceCountExceeded("at most %d projects", s.projectQuota)
	}
	p := project{
		ProjectName:             req.ProjectName,
		ServiceRole:             defaultServiceRole,
		CreateTime:              now,
		UpdateTime:              now,
		ProjectMaxDatasetCount:  defaultProjectMaxDatasetCount,
		DatasetMaxBindCount:     defaultDatasetMaxBindCount,
		DatasetMaxFileCount:     defaultDatasetMaxFileCount,
		DatasetMaxEntityCount:   defaultDatasetMaxEntityCount,
		DatasetMaxRelationCount: defaultDatasetMaxRelationCount,
		DatasetMaxTotalFileSize: defaultDatasetMaxTotalFileSize,
	}
	applyProjectChanges(&p, req.ServiceRole, req.TemplateId, req.Description, req.Limits, req.Tags)
	s.st.projects.put(p.ProjectName, now, p)
	return projectResponse{Project: projectView(s.st.latest(), p, false)}, nil
}

// applyProjectChanges sets the given fields; absent ones stay (none is
// empty: the decoders refuse that). Tag replaces the whole tag set.
func applyProjectChanges(p *project, serviceRole, templateID, description *string, l projectLimits, tags *[]requestTag) {
	if serviceRole != nil {
		p.ServiceRole = *serviceRole
	}
	if templateID != nil {
		p.TemplateId = *templateID
	}
	if description != nil {
		p.Description = *description
	}
	setIfGiven(&p.ProjectMaxDatasetCount, l.ProjectMaxDatasetCount)
	setIfGiven(&p.DatasetMaxBindCount, l.DatasetMaxBindCount)
	setIfGiven(&p.DatasetMaxFileCount, l.DatasetMaxFileCount)
	setIfGiven(&p.DatasetMaxEntityCount, l.DatasetMaxEntityCount)
	setIfGiven(&p.DatasetMaxRelationCount, l.DatasetMaxRelationCount)
	setIfGiven(&p.DatasetMaxTotalFileSize, l.DatasetMaxTotalFileSize)
	if tags != nil {
		p.Tags = append([]requestTag(nil), (*tags)...)
	}
}

func setIfGiven(dst *int64, v *int64) {
	if v != nil {
		*dst = *v
	}
}

type getProjectRequest struct {
	ProjectName    string
	WithStatistics bool
}

func decodeGetProject(p *params) getProjectRequest {
	return getProjectRequest{
		ProjectName:    p.requiredName("ProjectName"),
		WithStatistics: p.optionalBool("WithStatistics"),
	}
}

func (s *service) getProject(v reader, req getProjectRequest) (projectResponse, *apiError) {
	p, ok := v.project(req.ProjectName)
	if !ok {
		return projectResponse{}, resourceNotFound(resourceProject)
	}
	return projectResponse{Project: projectView(v, p, req.WithStatistics)}, nil
}

type updateProjectRequest struct {
	ProjectName string
	ServiceRole *string
	TemplateId  *string
	Description *string
	Limits      projectLimits
	Tags        *[]requestTag
}

func decodeUpdateProject(p *params) updateProjectRequest {
	return updateProjectRequest(decodeCreateProject(p))
}

func (s *service) updateProject(now time.Time, req updateProjectRequest) (projectResponse, *apiError) {
	p, ok := s.st.latest().project(req.ProjectName)
	if !ok {
		return projectResponse{}, resourceNotFound(resourceProject)
	}
	applyProjectChanges(&p, req.ServiceRole, req.TemplateId, req.Description, req.Limits, req.Tags)
	p.UpdateTime = now
	s.st.projects.put(p.ProjectName, now, p)
	return projectResponse{Project: projectView(s.st.latest(), p, false)}, nil
}

type deleteProjectRequest struct {
	ProjectName string
}

func decodeDeleteProject(p *params) deleteProjectRequest {
	return deleteProjectRequest{ProjectName: p.requiredName("ProjectName")}
}

type emptyResponse struct{}

func (s *service) deleteProject(now time.Time, req deleteProjectRequest) (emptyResponse, *apiError) {
	v := s.st.latest()
	if _, ok := v.project(req.ProjectName); !ok {
		return emptyResponse{}, resourceNotFound(resourceProject)
	}
	if remains := projectContents(v, req.ProjectName); remains != "" {
		return emptyResponse{}, invalidArgument("The project %s still has %s; delete them before deleting the project.", req.ProjectName, remains)
	}
	s.st.projects.remove(req.ProjectName, now)
	for _, key := range s.st.tasks.keysWithPrefix(req.ProjectName + "/") {
		if _, ok := s.st.tasks.latest(key); ok {
			s.st.tasks.remove(key, now)
		}
	}
	// Attachments are not among what IMM asks to delete first: they go
	// with the project.
	for _, a := range v.attachments() {
		if a.ProjectName == req.ProjectName {
			s.st.attachments.remove(a.OSSBucket, now)
		}
	}
	return emptyResponse{}, nil
}

// projectContents names what keeps a project from being deleted (IMM:
// datasets, with their bindings, triggers and batches), or "".
func projectContents(v reader, projectName string) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{
		{len(v.datasets(projectName)), "dataset(s)"},
		{len(v.ingestions(kindTrigger, projectName)), "trigger(s)"},
		{len(v.ingestions(kindBatch, projectName)), "batch(es)"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return strings.Join(parts, ", ")
}

type listProjectsRequest struct {
	MaxResults *int64
	NextToken  string
	Prefix     string
	Tags       *[]requestTag
}

const maxPrefixChars = 128

func decodeListProjects(p *params) listProjectsRequest {
	req := listProjectsRequest{
		MaxResults: p.optionalInt("MaxResults", 0, 200),
		NextToken:  p.m["NextToken"],
		Prefix:     p.m["Prefix"],
		Tags:       readTags(p, "Tag"),
	}
	if n := utf8.RuneCountInString(req.Prefix); n > maxPrefixChars {
		p.fail(invalidArgument("The parameter Prefix must be 0 to %d characters long; got %d.", maxPrefixChars, n))
	}
	return req
}

type listProjectsResponse struct {
	Projects  []projectJSON
	NextToken string `json:",omitempty"`
}

func (s *service) listProjects(v reader, req listProjectsRequest) (listProjectsResponse, *apiError) {
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, "projects"); err != nil {
			return listProjectsResponse{}, err
		}
	}
	var matching []project
	for _, p := range v.projects() {
		if strings.HasPrefix(p.ProjectName, req.Prefix) && carriesAllTags(p, req.Tags) {
			matching = append(matching, p)
		}
	}
	page, next := paginate(matching, func(p project) string { return p.ProjectName }, "projects", after, s.pageSize(req.MaxResults), false)
	out := listProjectsResponse{Projects: []projectJSON{}, NextToken: next}
	for _, p := range page {
		out.Projects = append(out.Projects, projectView(v, p, false))
	}
	return out, nil
}

// carriesAllTags is ListProjects' Tag filter: every given Key must be on the
// project with exactly the given Value.
func carriesAllTags(p project, filter *[]requestTag) bool {
	if filter == nil {
		return true
	}
	for _, want := range *filter {
		found := false
		for _, have := range p.Tags {
			if have.Key == want.Key && have.Value == want.Value {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
