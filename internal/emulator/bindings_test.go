package emulator

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

func bindingParams(project, dataset, uri string) map[string]string {
	return map[string]string{"ProjectName": project, "DatasetName": dataset, "URI": uri}
}

// getBinding reads a binding of dataset p/d.
func getBinding(c *apiClient, uri string) map[string]any {
	c.t.Helper()
	return object(c.t, c.must("GetBinding", bindingParams("p", "d", uri)), "Binding")
}

// datasetCounts reads the counts of dataset p/d.
func datasetCounts(c *apiClient) (bindCount, fileCount string) {
	c.t.Helper()
	d := object(c.t, c.must("GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "Dataset")
	return num(c.t, d["BindCount"]), num(c.t, d["FileCount"])
}

func TestCreateBindingScansObjectsAlreadyInTheBucket(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, fake := startFake(t, Options{OSS: photos(), ScanDuration: 10 * time.Second})
			c := newClient(t, srv, tc.opts...)
			mustCreateProject(c, "p")
			mustCreateDataset(c, "p", "d")

			b := object(t, c.must("CreateBinding", bindingParams("p", "d", "oss://photos")), "Binding")
			want := map[string]any{"ProjectName": "p", "DatasetName": "d", "URI": "oss://photos", "State": "Ready", "Phase": "", "Reason": "",
				"CreateTime": formatServiceTime(testStart), "UpdateTime": formatServiceTime(testStart)}
			for k, v := range want {
				if b[k] != v {
					t.Errorf("CreateBinding %s = %v, want %v", k, b[k], v)
				}
			}
			if bc, fc := datasetCounts(c); bc != "1" || fc != "0" {
				t.Errorf("after CreateBinding BindCount %s FileCount %s, want 1 and 0", bc, fc)
			}

			// Ready for a tenth of the scan, then scanning, then done.
			for _, step := range []struct {
				at           time.Duration
				state, phase string
				files        string
			}{
				{999 * time.Millisecond, "Ready", "", "0"},
				{time.Second, "Running", "FullScanning", "0"},
				{10*time.Second - time.Nanosecond, "Running", "FullScanning", "0"},
				{10 * time.Second, "Running", "IncrementalScanning", "3"},
			} {
				fake.Set(testStart.Add(step.at))
				b := getBinding(c, "oss://photos")
				if b["State"] != step.state || b["Phase"] != step.phase || b["UpdateTime"] != formatServiceTime(testStart) {
					t.Errorf("at +%v the binding is %v/%v (UpdateTime %v), want %s/%s", step.at, b["State"], b["Phase"], b["UpdateTime"], step.state, step.phase)
				}
				if _, fc := datasetCounts(c); fc != step.files {
					t.Errorf("at +%v FileCount %s, want %s", step.at, fc, step.files)
				}
			}
			seeds := srv.svc.seeds[seedKey{"p", "d"}]
			if len(seeds) != 3 {
				t.Fatalf("the scan indexed %d faces, want 3: %+v", len(seeds), seeds)
			}
			for _, f := range seeds {
				if f.FigureId == "" || !strings.HasPrefix(f.URI, "oss://photos/2026/") {
					t.Errorf("indexed face %+v", f)
				}
			}
		})
	}
}

func TestObjectsUploadedUnderABoundBucketAreIndexedIncrementally(t *testing.T) {
	srv, fake := startFake(t, Options{OSS: photos()})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))

	// Uploaded during the full scan: the scan finds it.
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{{URI: "oss://photos/during.jpg"}}}); err != nil {
		t.Fatal(err)
	}
	fake.Advance(DefaultScanDuration)
	if _, fc := datasetCounts(c); fc != "4" {
		t.Errorf("after the scan FileCount %s, want 4", fc)
	}
	// Uploaded after it: indexed at once. Other buckets are not.
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{
		{URI: "oss://photos/later.jpg", Figures: []OSSFigure{{Person: "Ann"}}},
		{URI: "oss://other-bucket/x.jpg", Figures: []OSSFigure{{Person: "Bo"}}},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, fc := datasetCounts(c); fc != "5" {
		t.Errorf("after a later upload FileCount %s, want 5", fc)
	}
	// A deleted object leaves the dataset with its faces.
	srv.RemoveOSSObjects(OSSRemoval{URIs: []string{"oss://photos/later.jpg", "oss://photos/2026/group.jpg"}})
	if _, fc := datasetCounts(c); fc != "3" {
		t.Errorf("after deletions FileCount %s, want 3", fc)
	}
	var persons []string
	for _, f := range srv.svc.seeds[seedKey{"p", "d"}] {
		persons = append(persons, f.Person)
	}
	if strings.Join(persons, ",") != "Mei" {
		t.Errorf("faces left in the dataset: %v, want just Mei's from mei1.jpg", persons)
	}
}

func TestDeletedBindingStopsIndexingAndLeavesItsFiles(t *testing.T) {
	srv, fake := startFake(t, Options{OSS: photos()})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))
	fake.Advance(DefaultScanDuration)
	c.must("DeleteBinding", bindingParams("p", "d", "oss://photos"))
	c.fails("GetBinding", bindingParams("p", "d", "oss://photos"), 400, "ResourceNotFound")
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{{URI: "oss://photos/after.jpg"}}}); err != nil {
		t.Fatal(err)
	}
	srv.RemoveOSSObjects(OSSRemoval{URIs: []string{"oss://photos/2026/lake.jpg"}})
	if bc, fc := datasetCounts(c); bc != "0" || fc != "3" {
		t.Errorf("after DeleteBinding BindCount %s FileCount %s, want 0 and the 3 indexed files", bc, fc)
	}
	// The files keep the dataset from being deleted; the binding does not.
	se := c.fails("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "file") {
		t.Errorf("DeleteDataset says %q, want the files named", se.Message)
	}
}

func TestDeleteDatasetIsRefusedWhileItHasBindings(t *testing.T) {
	srv, _ := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))
	se := c.fails("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "1 binding(s)") {
		t.Errorf("DeleteDataset with a binding says %q, want the binding named", se.Message)
	}
	se = c.fails("DeleteProject", map[string]string{"ProjectName": "p"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "1 dataset(s)") {
		t.Errorf("DeleteProject says %q", se.Message)
	}
	c.must("DeleteBinding", bindingParams("p", "d", "oss://photos"))
	c.must("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"})
}

func TestBindingToABucketThatDoesNotExistFails(t *testing.T) {
	srv, fake := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://nowhere"))
	if err := srv.AddOSSObjects(OSSContents{Buckets: []string{"empty"}}); err != nil {
		t.Fatal(err)
	}
	c.must("CreateBinding", bindingParams("p", "d", "oss://empty"))
	fake.Advance(DefaultScanDuration)
	b := getBinding(c, "oss://nowhere")
	if b["State"] != "Failed" || !strings.Contains(text(t, b, "Reason"), "nowhere does not exist") {
		t.Errorf("binding to a missing bucket: %v", b)
	}
	if b := getBinding(c, "oss://empty"); b["State"] != "Running" || b["Phase"] != "IncrementalScanning" {
		t.Errorf("binding to an empty bucket: %v", b)
	}
}

func TestDatasetMaxBindCountIsEnforced(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	c.must("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "d", "DatasetMaxBindCount": "2"})
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-1"))
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-2"))
	se := c.fails("CreateBinding", bindingParams("p", "d", "oss://b-3"), 400, "LimitExceededError")
	if !strings.Contains(se.Message, "DatasetMaxBindCount") {
		t.Errorf("message %q", se.Message)
	}
	// The same bucket in another dataset is fine.
	mustCreateDataset(c, "p", "e")
	c.must("CreateBinding", bindingParams("p", "e", "oss://b-1"))
	c.must("DeleteBinding", bindingParams("p", "d", "oss://b-2"))
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-3"))
}

func TestBindingErrors(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	se := c.fails("CreateBinding", bindingParams("p", "d", "oss://b-1"), 400, "ResourceNotFound")
	if !strings.Contains(se.Message, "project") {
		t.Errorf("message %q, want the missing project named", se.Message)
	}
	mustCreateProject(c, "p")
	se = c.fails("CreateBinding", bindingParams("p", "d", "oss://b-1"), 400, "ResourceNotFound")
	if !strings.Contains(se.Message, "dataset") {
		t.Errorf("message %q, want the missing dataset named", se.Message)
	}
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-1"))
	se = c.fails("CreateBinding", bindingParams("p", "d", "oss://b-1"), 400, "ResourceAlreadyExists")
	if !strings.Contains(se.Message, "The specified resource binding already exists.") {
		t.Errorf("message %q", se.Message)
	}
	se = c.fails("GetBinding", bindingParams("p", "d", "oss://b-2"), 400, "ResourceNotFound")
	if !strings.Contains(se.Message, "The specified resource binding is not found.") {
		t.Errorf("message %q", se.Message)
	}
	c.fails("DeleteBinding", bindingParams("p", "d", "oss://b-2"), 400, "ResourceNotFound")
	c.fails("ListBindings", map[string]string{"ProjectName": "q"}, 400, "ResourceNotFound")
	c.fails("ListBindings", map[string]string{"ProjectName": "p", "DatasetName": "e"}, 400, "ResourceNotFound")
}

func TestBindingParameterValidation(t *testing.T) {
	long := "oss://" + strings.Repeat("a", 64)
	runValidationCases(t, []validationCase{
		{"missing ProjectName", "CreateBinding", map[string]string{"DatasetName": "d", "URI": "oss://b-1"}, "InvalidArgument", "The parameter ProjectName is required"},
		{"missing DatasetName", "CreateBinding", map[string]string{"ProjectName": "p", "URI": "oss://b-1"}, "MissingDatasetName", "DatasetName is mandatory for this action."},
		{"missing URI", "GetBinding", map[string]string{"ProjectName": "p", "DatasetName": "d"}, "MissingURI", "URI is mandatory for this action."},
		{"empty URI", "DeleteBinding", map[string]string{"ProjectName": "p", "DatasetName": "d", "URI": ""}, "MissingURI", "URI is mandatory"},
		{"bad DatasetName", "CreateBinding", bindingParams("p", "9d", "oss://b-1"), "InvalidArgument", "DatasetName is invalid"},
		{"URI with a prefix", "CreateBinding", bindingParams("p", "d", "oss://photos/2026/"), "InvalidURI", "Specified parameter URI is not valid"},
		{"URI with a slash", "CreateBinding", bindingParams("p", "d", "oss://photos/"), "InvalidURI", "oss://<bucket>"},
		{"URI without scheme", "CreateBinding", bindingParams("p", "d", "photos"), "InvalidURI", "URI"},
		{"URI of another scheme", "CreateBinding", bindingParams("p", "d", "s3://photos"), "InvalidURI", "URI"},
		{"upper-case bucket", "CreateBinding", bindingParams("p", "d", "oss://Photos"), "InvalidURI", "URI"},
		{"bucket of 2 characters", "CreateBinding", bindingParams("p", "d", "oss://ab"), "InvalidURI", "URI"},
		{"bucket of 64 characters", "CreateBinding", bindingParams("p", "d", long), "InvalidURI", "URI"},
		{"bucket ending with a hyphen", "CreateBinding", bindingParams("p", "d", "oss://photos-"), "InvalidURI", "URI"},
		{"ListBindings MaxResults 201", "ListBindings", map[string]string{"ProjectName": "p", "MaxResults": "201"}, "InvalidArgument", "MaxResults must be between 0 and 200"},
		{"ListBindings bad DatasetName", "ListBindings", map[string]string{"ProjectName": "p", "DatasetName": "-d"}, "InvalidArgument", "DatasetName is invalid"},
	})
}

func TestListBindingsPagesThroughADatasetOrTheWholeProject(t *testing.T) {
	for _, maxPageSize := range []int{0, 2} {
		t.Run(fmt.Sprintf("MaxPageSize=%d", maxPageSize), func(t *testing.T) {
			srv := startServer(t, Options{MaxPageSize: maxPageSize})
			c := newClient(t, srv)
			mustCreateProject(c, "p")
			mustCreateProject(c, "q")
			var want []string
			for _, d := range []string{"e", "d"} {
				mustCreateDataset(c, "p", d)
				for _, b := range []string{"b-3", "b-1", "b-2"} {
					c.must("CreateBinding", bindingParams("p", d, "oss://"+b))
					want = append(want, d+" oss://"+b)
				}
			}
			mustCreateDataset(c, "q", "d")
			c.must("CreateBinding", bindingParams("q", "d", "oss://b-9"))
			sort.Strings(want)

			list := func(params map[string]string) []string {
				var got []string
				pages := 0
				for {
					res := c.must("ListBindings", params)
					pages++
					items := arrayOf(t, res, "Bindings")
					for i := range items {
						m := itemOf(t, items, i)
						got = append(got, text(t, m, "DatasetName")+" "+text(t, m, "URI"))
					}
					next, _ := res["NextToken"].(string)
					if next == "" {
						break
					}
					params["NextToken"] = next
				}
				if maxPageSize == 2 && pages != (len(got)+1)/2 {
					t.Errorf("%d pages for %d bindings", pages, len(got))
				}
				return got
			}
			if got := list(map[string]string{"ProjectName": "p"}); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("ListBindings of the project = %v, want %v", got, want)
			}
			if got := list(map[string]string{"ProjectName": "p", "DatasetName": "e"}); strings.Join(got, ",") != "e oss://b-1,e oss://b-2,e oss://b-3" {
				t.Errorf("ListBindings of dataset e = %v", got)
			}
		})
	}
	srv := startServer(t, Options{MaxPageSize: 1})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	mustCreateDataset(c, "p", "e")
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-1"))
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-2"))
	next := text(t, c.must("ListBindings", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "NextToken")
	c.fails("ListBindings", map[string]string{"ProjectName": "p", "DatasetName": "e", "NextToken": next}, 400, "InvalidArgument")
}

func TestBindingReadsLagWrites(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: time.Minute, ReadLag: ReadLagFixed, OSS: OSSContents{Buckets: []string{"b-1"}}})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	fake.Advance(time.Minute)
	c.must("CreateBinding", bindingParams("p", "d", "oss://b-1"))
	c.fails("GetBinding", bindingParams("p", "d", "oss://b-1"), 400, "ResourceNotFound")
	if got := arrayOf(t, c.must("ListBindings", map[string]string{"ProjectName": "p"}), "Bindings"); len(got) != 0 {
		t.Errorf("a lagging ListBindings shows %v", got)
	}
	if bc, _ := datasetCounts(c); bc != "0" {
		t.Errorf("a lagging GetDataset shows BindCount %s", bc)
	}
	// A minute later reads see the binding as it was created; its scan
	// shows a scan duration after that.
	fake.Advance(time.Minute)
	if b := getBinding(c, "oss://b-1"); b["State"] != "Ready" {
		t.Errorf("a minute later the binding reads %v, want it as created", b)
	}
	fake.Advance(DefaultScanDuration)
	if b := getBinding(c, "oss://b-1"); b["State"] != "Running" || b["Phase"] != "IncrementalScanning" {
		t.Errorf("a minute and a scan later the binding reads %v", b)
	}
	c.must("DeleteBinding", bindingParams("p", "d", "oss://b-1"))
	if b := getBinding(c, "oss://b-1"); b["URI"] != "oss://b-1" {
		t.Errorf("a lagging read just after DeleteBinding: %v", b)
	}
}

// clustersByPerson maps each cluster of p/d by the person of its cover
// figure, as the indexed faces say.
func clustersByPerson(t *testing.T, c *apiClient, srv *Server) map[string]map[string]any {
	t.Helper()
	personOf := map[string]string{}
	for _, f := range srv.svc.seeds[seedKey{"p", "d"}] {
		personOf[f.FigureId] = f.Person
	}
	out := map[string]map[string]any{}
	for cover, cl := range clustersByCover(t, c) {
		out[personOf[cover]] = cl
	}
	return out
}

func TestClusteringClustersWhatBindingsIndexedLikeSeededFaces(t *testing.T) {
	srv, fake := startFake(t, Options{OSS: photos()})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))

	// A clustering task that ends before the scan finds nothing.
	runClustering(t, c, fake)
	if got := clustersByCover(t, c); len(got) != 0 {
		t.Fatalf("clustering before the scan ended made %d clusters", len(got))
	}
	fake.Advance(DefaultScanDuration)
	runClustering(t, c, fake)
	got := clustersByPerson(t, c, srv)
	if len(got) != 2 || num(t, got["Mei"]["FaceCount"]) != "2" || num(t, got["Mei"]["ImageCount"]) != "2" ||
		got["Mei"]["Gender"] != "female" || num(t, got["Ken"]["FaceCount"]) != "1" {
		t.Fatalf("clusters after the scan: %v", got)
	}
	mei := text(t, got["Mei"], "ObjectId")
	c.must("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d",
		"FigureCluster": `{"ObjectId":"` + mei + `","Name":"Mei"}`})

	// More photos: one more of Mei, and a new person. The next run adds
	// one cluster and grows Mei's, which keeps its name.
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{
		{URI: "oss://photos/2027/mei2.jpg", Figures: []OSSFigure{{Person: "Mei", Gender: "female", Age: 32}}},
		{URI: "oss://photos/2027/ann.jpg", Figures: []OSSFigure{{Person: "Ann", Gender: "female", Age: 5}}},
	}}); err != nil {
		t.Fatal(err)
	}
	runClustering(t, c, fake)
	got = clustersByPerson(t, c, srv)
	if len(got) != 3 || got["Mei"]["ObjectId"] != mei || got["Mei"]["Name"] != "Mei" || num(t, got["Mei"]["FaceCount"]) != "3" {
		t.Errorf("clusters after more photos: %v", got)
	}
	// A binding that re-indexes an overwritten photo does not cluster a
	// face twice.
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{photos().Objects[0]}}); err != nil {
		t.Fatal(err)
	}
	runClustering(t, c, fake)
	if got := clustersByPerson(t, c, srv); num(t, got["Mei"]["FaceCount"]) != "3" {
		t.Errorf("re-indexing an overwritten photo changed Mei's FaceCount to %v", got["Mei"]["FaceCount"])
	}
}
