package emulator

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

var rfc3339WithOffset = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$`)

func TestProjectLifecycleWithBothSignatureVersions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, fake := startFake(t, Options{})
			c := newClient(t, srv, tc.opts...)

			created := object(t, c.must("CreateProject", map[string]string{"ProjectName": "p1", "Description": "first"}), "Project")
			if created["CreateTime"] != created["UpdateTime"] {
				t.Errorf("a new project's UpdateTime %v differs from CreateTime %v", created["UpdateTime"], created["CreateTime"])
			}
			if !rfc3339WithOffset.MatchString(text(t, created, "CreateTime")) {
				t.Errorf("CreateTime %q is not RFC3339 with the +08:00 offset", created["CreateTime"])
			}

			fake.Advance(time.Minute)
			c.must("UpdateProject", map[string]string{"ProjectName": "p1", "Description": "second"})
			got := object(t, c.must("GetProject", map[string]string{"ProjectName": "p1"}), "Project")
			if got["Description"] != "second" {
				t.Errorf("Description = %v, want second", got["Description"])
			}
			if got["UpdateTime"] == got["CreateTime"] {
				t.Errorf("UpdateTime did not move on update: %v", got["UpdateTime"])
			}
			wantUpdate := testStart.Add(time.Minute).In(serviceZone).Format(time.RFC3339Nano)
			if got["UpdateTime"] != wantUpdate {
				t.Errorf("UpdateTime = %v, want %v (the fake clock)", got["UpdateTime"], wantUpdate)
			}

			body := c.must("DeleteProject", map[string]string{"ProjectName": "p1"})
			if len(body) != 1 {
				t.Errorf("DeleteProject answered %v, want only RequestId", body)
			}
			se := c.fails("GetProject", map[string]string{"ProjectName": "p1"}, 400, "ResourceNotFound")
			if se.Data["Message"] != "The specified resource project is not found." {
				t.Errorf("Message = %v", se.Data["Message"])
			}
		})
	}
}

func TestProjectCarriesEveryDocumentedFieldWithDefaults(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	p := object(t, c.must("CreateProject", map[string]string{"ProjectName": "defaults"}), "Project")
	want := map[string]string{
		"ProjectQueriesPerSecond": "100",
		"EngineConcurrency":       "100",
		"ProjectMaxDatasetCount":  "1000000000",
		"DatasetMaxBindCount":     "10",
		"DatasetMaxFileCount":     "100000000",
		"DatasetMaxEntityCount":   "10000000000",
		"DatasetMaxRelationCount": "100000000000",
		"DatasetMaxTotalFileSize": "90000000000000000",
		"DatasetCount":            "0",
		"FileCount":               "0",
		"TotalFileSize":           "0",
	}
	for k, v := range want {
		if got := num(t, p[k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	for k, v := range map[string]string{"ProjectName": "defaults", "ServiceRole": "AliyunIMMDefaultRole", "TemplateId": "", "Description": ""} {
		if p[k] != v {
			t.Errorf("%s = %v, want %q", k, p[k], v)
		}
	}
	if tags, ok := p["Tags"].([]any); !ok || len(tags) != 0 {
		t.Errorf("Tags = %v, want []", p["Tags"])
	}
	for _, k := range []string{"CreateTime", "UpdateTime"} {
		if _, ok := p[k].(string); !ok {
			t.Errorf("%s missing", k)
		}
	}
}

func TestLargeInt64ValuesRoundTripExactly(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	c.must("CreateProject", map[string]string{"ProjectName": "big", "DatasetMaxTotalFileSize": "9223372036854775807", "DatasetMaxEntityCount": "90000000000000001"})
	p := object(t, c.must("GetProject", map[string]string{"ProjectName": "big"}), "Project")
	if got := num(t, p["DatasetMaxTotalFileSize"]); got != "9223372036854775807" {
		t.Errorf("DatasetMaxTotalFileSize = %s", got)
	}
	if got := num(t, p["DatasetMaxEntityCount"]); got != "90000000000000001" {
		t.Errorf("DatasetMaxEntityCount = %s", got)
	}
}

func TestUpdateProjectChangesOnlyGivenFieldsAndReplacesTags(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	c.must("CreateProject", map[string]string{
		"ProjectName": "p", "Description": "d", "TemplateId": "Official:AllFunction", "DatasetMaxBindCount": "5",
		"Tag": `[{"Key":"env","Value":"dev"},{"Key":"team","Value":"media"}]`,
	})
	updated := object(t, c.must("UpdateProject", map[string]string{"ProjectName": "p", "Tag": `[{"Key":"env","Value":"prod"}]`}), "Project")
	if updated["Description"] != "d" || updated["TemplateId"] != "Official:AllFunction" || num(t, updated["DatasetMaxBindCount"]) != "5" {
		t.Errorf("absent parameters changed: %v", updated)
	}
	tags := arrayOf(t, updated, "Tags")
	if len(tags) != 1 || itemOf(t, tags, 0)["TagKey"] != "env" || itemOf(t, tags, 0)["TagValue"] != "prod" {
		t.Errorf("Tags = %v, want only env=prod (Tag replaces the whole set)", tags)
	}
	cleared := object(t, c.must("UpdateProject", map[string]string{"ProjectName": "p", "Tag": `[]`}), "Project")
	if len(arrayOf(t, cleared, "Tags")) != 0 {
		t.Errorf("Tag=[] left %v", cleared["Tags"])
	}
}

func TestEmptyDescriptionServiceRoleAndTemplateIDAreRefusedNotCleared(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	c.must("CreateProject", map[string]string{"ProjectName": "p", "Description": "d", "TemplateId": "Official:AllFunction"})
	c.must("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "Description": "d", "TemplateId": "Official:AllFunction"})
	for _, tc := range []struct{ action, param string }{
		{"CreateProject", "Description"}, {"CreateProject", "ServiceRole"}, {"CreateProject", "TemplateId"},
		{"UpdateProject", "Description"}, {"UpdateProject", "ServiceRole"}, {"UpdateProject", "TemplateId"},
		{"CreateDataset", "Description"}, {"CreateDataset", "TemplateId"},
		{"UpdateDataset", "Description"}, {"UpdateDataset", "TemplateId"},
	} {
		params := map[string]string{"ProjectName": "p", tc.param: ""}
		if strings.HasSuffix(tc.action, "Dataset") {
			params["DatasetName"] = "d"
		}
		if strings.HasPrefix(tc.action, "Create") {
			params["ProjectName"], params["DatasetName"] = "q", "e"
			if strings.HasSuffix(tc.action, "Dataset") {
				params["ProjectName"] = "p"
			}
		}
		se := c.fails(tc.action, params, 400, "InvalidArgument")
		if !strings.Contains(se.Message, tc.param) {
			t.Errorf("%s %s=\"\": message %q does not name the parameter", tc.action, tc.param, se.Message)
		}
	}
	p := object(t, c.must("GetProject", map[string]string{"ProjectName": "p"}), "Project")
	if p["Description"] != "d" || p["TemplateId"] != "Official:AllFunction" {
		t.Errorf("refused updates changed the project: %v", p)
	}
}

func TestProjectErrors(t *testing.T) {
	srv := startServer(t, Options{ProjectQuota: 2})
	c := newClient(t, srv)
	mustCreateProject(c, "a")
	c.fails("CreateProject", map[string]string{"ProjectName": "a"}, 400, "ResourceAlreadyExists")
	mustCreateProject(c, "b")
	se := c.fails("CreateProject", map[string]string{"ProjectName": "c"}, 400, "LimitExceededError")
	if !strings.Contains(se.Message, "resource count exceeds the limit") {
		t.Errorf("quota message %q", se.Message)
	}
	c.fails("UpdateProject", map[string]string{"ProjectName": "zz"}, 400, "ResourceNotFound")
	c.fails("DeleteProject", map[string]string{"ProjectName": "zz"}, 400, "ResourceNotFound")

	mustCreateDataset(c, "a", "d")
	se = c.fails("DeleteProject", map[string]string{"ProjectName": "a"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "dataset") {
		t.Errorf("DeleteProject on a project with datasets says %q, want a message about its datasets", se.Message)
	}
	c.must("DeleteDataset", map[string]string{"ProjectName": "a", "DatasetName": "d"})
	c.must("DeleteProject", map[string]string{"ProjectName": "a"})
	mustCreateProject(c, "c") // the quota counts live projects only
}

// validationCase is one refused input: the action, its parameters, and the
// code and message fragment the emulator must answer with.
type validationCase struct {
	name    string
	action  string
	params  map[string]string
	code    string
	message string
}

func TestProjectParameterValidation(t *testing.T) {
	long := func(n int) string { return "a" + strings.Repeat("b", n-1) }
	var manyTags []string
	for i := 0; i < 21; i++ {
		manyTags = append(manyTags, fmt.Sprintf(`{"Key":"k%d","Value":"v"}`, i))
	}
	cases := []validationCase{
		{"missing ProjectName", "CreateProject", map[string]string{}, "InvalidArgument", "The parameter ProjectName is required but not provided."},
		{"empty ProjectName", "CreateProject", map[string]string{"ProjectName": ""}, "InvalidArgument", "ProjectName is required"},
		{"name of 129 characters", "CreateProject", map[string]string{"ProjectName": long(129)}, "InvalidArgument", "ProjectName is invalid"},
		{"name starting with a digit", "CreateProject", map[string]string{"ProjectName": "1abc"}, "InvalidArgument", "starting with a letter"},
		{"name starting with a hyphen", "CreateProject", map[string]string{"ProjectName": "-abc"}, "InvalidArgument", "ProjectName is invalid"},
		{"name with a dot", "CreateProject", map[string]string{"ProjectName": "a.b"}, "InvalidArgument", "ProjectName is invalid"},
		{"name with a slash", "GetProject", map[string]string{"ProjectName": "a/b"}, "InvalidArgument", "ProjectName is invalid"},
		{"description of 257 characters", "CreateProject", map[string]string{"ProjectName": "p", "Description": strings.Repeat("é", 257)}, "InvalidArgument", "Description must be 1 to 256"},
		{"ProjectMaxDatasetCount 0", "CreateProject", map[string]string{"ProjectName": "p", "ProjectMaxDatasetCount": "0"}, "InvalidArgument", "ProjectMaxDatasetCount must be between 1 and 1000000000"},
		{"ProjectMaxDatasetCount too large", "CreateProject", map[string]string{"ProjectName": "p", "ProjectMaxDatasetCount": "1000000001"}, "InvalidArgument", "between 1 and 1000000000"},
		{"ProjectMaxDatasetCount not a number", "CreateProject", map[string]string{"ProjectName": "p", "ProjectMaxDatasetCount": "ten"}, "InvalidArgument", "must be an integer"},
		{"DatasetMaxBindCount 11", "CreateProject", map[string]string{"ProjectName": "p", "DatasetMaxBindCount": "11"}, "InvalidArgument", "DatasetMaxBindCount must be between 1 and 10"},
		{"DatasetMaxFileCount too large", "UpdateProject", map[string]string{"ProjectName": "p", "DatasetMaxFileCount": "100000001"}, "InvalidArgument", "DatasetMaxFileCount must be between 1 and 100000000"},
		{"DatasetMaxEntityCount 0", "CreateProject", map[string]string{"ProjectName": "p", "DatasetMaxEntityCount": "0"}, "InvalidArgument", "DatasetMaxEntityCount"},
		{"DatasetMaxRelationCount negative", "CreateProject", map[string]string{"ProjectName": "p", "DatasetMaxRelationCount": "-5"}, "InvalidArgument", "DatasetMaxRelationCount"},
		{"DatasetMaxTotalFileSize beyond int64", "CreateProject", map[string]string{"ProjectName": "p", "DatasetMaxTotalFileSize": "9223372036854775808"}, "InvalidArgument", "DatasetMaxTotalFileSize must be an integer"},
		{"Tag not JSON", "CreateProject", map[string]string{"ProjectName": "p", "Tag": `[{"Key":`}, "InvalidJSON", "Tag"},
		{"Tag not an array", "CreateProject", map[string]string{"ProjectName": "p", "Tag": `{"Key":"k"}`}, "InvalidJSON", "Tag"},
		{"Tag with trailing data", "CreateProject", map[string]string{"ProjectName": "p", "Tag": `[] []`}, "InvalidJSON", "Tag"},
		{"Tag with an empty key", "CreateProject", map[string]string{"ProjectName": "p", "Tag": `[{"Key":"","Value":"v"}]`}, "InvalidArgument", "Key must be 1 to 128"},
		{"Tag with a repeated key", "UpdateProject", map[string]string{"ProjectName": "p", "Tag": `[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}]`}, "InvalidArgument", "twice"},
		{"21 tags", "CreateProject", map[string]string{"ProjectName": "p", "Tag": "[" + strings.Join(manyTags, ",") + "]"}, "InvalidArgument", "at most 20"},
		{"WithStatistics not a boolean", "GetProject", map[string]string{"ProjectName": "p", "WithStatistics": "yes"}, "InvalidArgument", "true or false"},
		{"ListProjects MaxResults 201", "ListProjects", map[string]string{"MaxResults": "201"}, "InvalidArgument", "MaxResults must be between 0 and 200"},
		{"ListProjects MaxResults negative", "ListProjects", map[string]string{"MaxResults": "-1"}, "InvalidArgument", "MaxResults"},
		{"ListProjects Prefix of 129 characters", "ListProjects", map[string]string{"Prefix": long(129)}, "InvalidArgument", "Prefix must be 0 to 128"},
		{"ListProjects garbage NextToken", "ListProjects", map[string]string{"NextToken": "%%%"}, "InvalidArgument", "NextToken"},
		{"ListProjects NextToken of another list", "ListProjects", map[string]string{"NextToken": encodePageToken("datasets/p", "x")}, "InvalidArgument", "NextToken"},
		{"DeleteProject without a name", "DeleteProject", map[string]string{}, "InvalidArgument", "ProjectName is required"},
	}
	runValidationCases(t, cases)
}

func runValidationCases(t *testing.T, cases []validationCase) {
	t.Helper()
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			se := c.fails(tc.action, tc.params, 400, tc.code)
			if !strings.Contains(se.Message, tc.message) {
				t.Errorf("message %q does not contain %q", se.Message, tc.message)
			}
		})
	}
	c.t = t
	// Nothing refused may have been created.
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 0 {
		t.Errorf("refused requests left projects behind: %v", names(t, got, "ProjectName"))
	}
}

func TestProjectLimitsAtTheirBoundsAreAccepted(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	p := object(t, c.must("CreateProject", map[string]string{
		"ProjectName":            "_" + strings.Repeat("x", 127),
		"Description":            strings.Repeat("é", 256),
		"ProjectMaxDatasetCount": "1",
		"DatasetMaxBindCount":    "1",
		"DatasetMaxFileCount":    "100000000",
	}), "Project")
	if num(t, p["ProjectMaxDatasetCount"]) != "1" || num(t, p["DatasetMaxBindCount"]) != "1" {
		t.Errorf("limits not stored: %v", p)
	}
}

func TestListProjectsPagesInNameOrder(t *testing.T) {
	for _, tc := range []struct {
		name        string
		maxPageSize int
		maxResults  string
		wantPages   []int
	}{
		{"MaxResults pages", 0, "3", []int{3, 3, 1}},
		{"MaxPageSize caps MaxResults", 2, "100", []int{2, 2, 2, 1}},
		{"MaxPageSize caps the default", 4, "", []int{4, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, Options{MaxPageSize: tc.maxPageSize})
			c := newClient(t, srv)
			want := []string{"a1", "a2", "b1", "b2", "c", "d", "e"}
			for _, i := range []int{4, 0, 6, 2, 1, 5, 3} {
				mustCreateProject(c, want[i])
			}
			var got []string
			var pages []int
			token := ""
			for {
				params := map[string]string{}
				if tc.maxResults != "" {
					params["MaxResults"] = tc.maxResults
				}
				if token != "" {
					params["NextToken"] = token
				}
				body := c.must("ListProjects", params)
				page := names(t, arrayOf(t, body, "Projects"), "ProjectName")
				got = append(got, page...)
				pages = append(pages, len(page))
				next, has := body["NextToken"].(string)
				if !has {
					break
				}
				if next == "" {
					t.Fatal("NextToken present but empty")
				}
				token = next
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("listed %v, want %v", got, want)
			}
			if fmt.Sprint(pages) != fmt.Sprint(tc.wantPages) {
				t.Errorf("page sizes %v, want %v", pages, tc.wantPages)
			}
		})
	}
}

func TestListProjectsFiltersByPrefixAndAllTags(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	c.must("CreateProject", map[string]string{"ProjectName": "media-1", "Tag": `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"a"}]`})
	c.must("CreateProject", map[string]string{"ProjectName": "media-2", "Tag": `[{"Key":"env","Value":"prod"}]`})
	c.must("CreateProject", map[string]string{"ProjectName": "other", "Tag": `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"a"}]`})
	body := c.must("ListProjects", map[string]string{"Prefix": "media", "Tag": `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"a"}]`})
	if got := names(t, arrayOf(t, body, "Projects"), "ProjectName"); fmt.Sprint(got) != "[media-1]" {
		t.Errorf("filtered to %v, want [media-1]", got)
	}
	body = c.must("ListProjects", map[string]string{"Tag": `[{"Key":"env","Value":"dev"}]`})
	if got := arrayOf(t, body, "Projects"); len(got) != 0 {
		t.Errorf("a tag value no project has matched %v", got)
	}
}

func TestProjectCountsDatasetsAndFilesWithStatistics(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d1")
	mustCreateDataset(c, "p", "d2")
	if err := srv.AddFiles("p", "d1", []string{"oss://b/1.jpg", "oss://b/2.jpg"}); err != nil {
		t.Fatal(err)
	}
	plain := object(t, c.must("GetProject", map[string]string{"ProjectName": "p"}), "Project")
	if num(t, plain["DatasetCount"]) != "2" || num(t, plain["FileCount"]) != "0" {
		t.Errorf("without statistics: DatasetCount %v FileCount %v, want 2 and 0", plain["DatasetCount"], plain["FileCount"])
	}
	stats := object(t, c.must("GetProject", map[string]string{"ProjectName": "p", "WithStatistics": "true"}), "Project")
	if num(t, stats["FileCount"]) != "2" {
		t.Errorf("with statistics: FileCount %v, want 2", stats["FileCount"])
	}
}
