package emulator

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// This file is the QueryFigureClusters action: its request (time ranges,
// sort, the CustomLabels query of labelquery.go), its order and its pages.

// timeRange is QueryFigureClusters' CreateTimeRange/UpdateTimeRange; both
// ends are optional and inclusive.
type timeRange struct {
	Start string
	End   string
}

type parsedRange struct {
	start, end time.Time
}

func (r parsedRange) contains(t time.Time) bool {
	return (r.start.IsZero() || !t.Before(r.start)) && (r.end.IsZero() || !t.After(r.end))
}

func readTimeRange(p *params, name string) *parsedRange {
	var tr timeRange
	if !p.optionalJSON(name, &tr) {
		return nil
	}
	var out parsedRange
	for _, end := range []struct {
		text string
		dst  *time.Time
		what string
	}{{tr.Start, &out.start, "Start"}, {tr.End, &out.end, "End"}} {
		if end.text == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, end.text)
		if err != nil {
			p.fail(invalidArgument("The parameter %s.%s must be an RFC 3339 time such as 2016-12-31T00:00:00+08:00; got %q.", name, end.what, end.text))
			return nil
		}
		*end.dst = t
	}
	if !out.start.IsZero() && !out.end.IsZero() && out.end.Before(out.start) {
		p.fail(invalidArgument("The parameter %s has an End before its Start.", name))
		return nil
	}
	return &out
}

var clusterSortFields = map[string]bool{
	"ImageCount": true, "VideoCount": true, "ProjectName": true, "DatasetName": true,
	"CreateTime": true, "UpdateTime": true, "Gender": true, "FaceCount": true, "GroupName": true,
}

type queryFigureClustersRequest struct {
	datasetRef
	MaxResults      *int64
	NextToken       string
	Sort            string
	Order           string
	Labels          []labelCondition
	CreateTimeRange *parsedRange
	UpdateTimeRange *parsedRange
	WithTotalCount  bool
}

func decodeQueryFigureClusters(p *params) queryFigureClustersRequest {
	req := queryFigureClustersRequest{
		datasetRef:      decodeDatasetRef(p),
		MaxResults:      p.optionalInt("MaxResults", 0, 100),
		NextToken:       p.m["NextToken"],
		Sort:            p.m["Sort"],
		Order:           strings.ToLower(p.m["Order"]),
		CreateTimeRange: readTimeRange(p, "CreateTimeRange"),
		UpdateTimeRange: readTimeRange(p, "UpdateTimeRange"),
		WithTotalCount:  p.optionalBool("WithTotalCount"),
	}
	if req.Sort != "" && !clusterSortFields[req.Sort] {
		p.fail(invalidArgument("The parameter Sort must be one of ImageCount, VideoCount, ProjectName, DatasetName, CreateTime, UpdateTime, Gender, FaceCount, GroupName; got %q.", req.Sort))
	}
	if req.Order == "" {
		req.Order = "asc"
	}
	if req.Order != "asc" && req.Order != "desc" {
		p.fail(invalidArgument("The parameter Order must be asc or desc; got %q.", p.m["Order"]))
	}
	if q := strings.TrimSpace(p.m["CustomLabels"]); q != "" {
		conds, err := parseLabelQuery(q)
		if err != nil {
			p.fail(invalidArgument("The parameter CustomLabels must be key=value conditions joined by \" and \", a value with "+
				"white space, '\"' or '\\' double-quoted and its '\"' and '\\' escaped with '\\': %v.", err))
		}
		req.Labels = conds
	}
	return req
}

// sortKey makes a string that orders clusters by the Sort field, ObjectId
// breaking ties; numbers and times are zero-padded so strings compare as
// the values do.
func sortKey(c figureCluster, field string) string {
	v := clusterView(c)
	var k string
	switch field {
	case "ImageCount":
		k = fmt.Sprintf("%020d", v.ImageCount)
	case "VideoCount":
		k = fmt.Sprintf("%020d", v.VideoCount)
	case "FaceCount":
		k = fmt.Sprintf("%020d", v.FaceCount)
	case "CreateTime":
		k = fmt.Sprintf("%020d", uint64(c.CreateTime.UnixNano())+1<<63)
	case "UpdateTime":
		k = fmt.Sprintf("%020d", uint64(c.UpdateTime.UnixNano())+1<<63)
	case "ProjectName":
		k = c.ProjectName
	case "DatasetName":
		k = c.DatasetName
	case "Gender":
		k = v.Gender
	case "GroupName":
		k = c.Name
	default:
		return c.ObjectId
	}
	return k + "\x00" + c.ObjectId
}

type queryFigureClustersResponse struct {
	FigureClusters []figureClusterJSON
	NextToken      string `json:",omitempty"`
	TotalCount     *int64 `json:",omitempty"`
}

func (s *service) queryFigureClusters(v reader, req queryFigureClustersRequest) (queryFigureClustersResponse, *apiError) {
	if _, err := findDataset(v, req.datasetRef); err != nil {
		return queryFigureClustersResponse{}, err
	}
	list := strings.Join([]string{"clusters", req.ProjectName, req.DatasetName, req.Sort, req.Order}, "/")
	after := ""
	if req.NextToken != "" {
		var err *apiError
		if after, err = decodePageToken(req.NextToken, list); err != nil {
			return queryFigureClustersResponse{}, err
		}
	}
	type keyed struct {
		key string
		c   figureCluster
	}
	var matching []keyed
	for _, c := range v.clusters(req.ProjectName, req.DatasetName) {
		if !matchesLabels(c, req.Labels) {
			continue
		}
		if req.CreateTimeRange != nil && !req.CreateTimeRange.contains(c.CreateTime) {
			continue
		}
		if req.UpdateTimeRange != nil && !req.UpdateTimeRange.contains(c.UpdateTime) {
			continue
		}
		matching = append(matching, keyed{sortKey(c, req.Sort), c})
	}
	desc := req.Order == "desc"
	sort.Slice(matching, func(i, j int) bool {
		if desc {
			return matching[i].key > matching[j].key
		}
		return matching[i].key < matching[j].key
	})
	page, next := paginate(matching, func(k keyed) string { return k.key }, list, after, s.pageSize(req.MaxResults), desc)
	out := queryFigureClustersResponse{FigureClusters: []figureClusterJSON{}, NextToken: next}
	for _, k := range page {
		out.FigureClusters = append(out.FigureClusters, clusterView(k.c))
	}
	if req.WithTotalCount {
		total := int64(len(matching))
		out.TotalCount = &total
	}
	return out, nil
}
