package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

func fileParams(extra map[string]string) map[string]string {
	p := map[string]string{"ProjectName": "p", "DatasetName": "d"}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

// fileURIs are the URIs of a SimpleQuery page.
func fileURIs(t *testing.T, page map[string]any) []string {
	t.Helper()
	return names(t, arrayOf(t, page, "Files"), "URI")
}

// boundAndScanned is p/d bound to the bucket of photos(), its scan done.
func boundAndScanned(t *testing.T, opts ...clientOption) (*Server, *apiClient, *clock.Fake) {
	t.Helper()
	srv, fake := startFake(t, Options{OSS: photos()})
	c := newClient(t, srv, opts...)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))
	fake.Advance(DefaultScanDuration)
	return srv, c, fake
}

func TestSimpleQueryPagesThroughADatasetsFilesWithTheirFaces(t *testing.T) {
	for _, sig := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(sig.name, func(t *testing.T) {
			_, c, fake := boundAndScanned(t, sig.opts...)

			// Every file, two a page, in URI order.
			var got []string
			token := ""
			for pages := 0; ; pages++ {
				if pages > 3 {
					t.Fatalf("more pages than files: %v", got)
				}
				params := fileParams(map[string]string{"MaxResults": "2"})
				if token != "" {
					params["NextToken"] = token
				}
				page := c.must("SimpleQuery", params)
				if num(t, page["TotalHits"]) != "3" {
					t.Errorf("TotalHits = %v, want 3", page["TotalHits"])
				}
				got = append(got, fileURIs(t, page)...)
				next, present := page["NextToken"].(string)
				if !present {
					t.Fatalf("a page without NextToken (IMM always answers it): %v", page)
				}
				if next == "" {
					break
				}
				token = next
			}
			want := "oss://photos/2026/group.jpg,oss://photos/2026/lake.jpg,oss://photos/2026/mei1.jpg"
			if strings.Join(got, ",") != want {
				t.Errorf("files = %v, want %s", got, want)
			}

			// A file shows its faces, not clustered yet, then in their clusters.
			group := itemOf(t, arrayOf(t, c.must("SimpleQuery", fileParams(map[string]string{
				"Query": `{"Field":"URI","Operation":"eq","Value":"oss://photos/2026/group.jpg"}`})), "Files"), 0)
			if group["Filename"] != "group.jpg" || group["ObjectType"] != "file" || num(t, group["FigureCount"]) != "2" {
				t.Errorf("group.jpg = %v", group)
			}
			for i := range arrayOf(t, group, "Figures") {
				if f := itemOf(t, arrayOf(t, group, "Figures"), i); f["FigureClusterId"] != "figure-cluster-id-unavailable" {
					t.Errorf("a face before any clustering: %v", f)
				}
			}
			runClustering(t, c, fake)
			group = itemOf(t, arrayOf(t, c.must("SimpleQuery", fileParams(map[string]string{
				"Query": `{"Field":"URI","Operation":"prefix","Value":"oss://photos/2026/g"}`})), "Files"), 0)
			for i := range arrayOf(t, group, "Figures") {
				if f := itemOf(t, arrayOf(t, group, "Figures"), i); !strings.HasPrefix(text(t, f, "FigureClusterId"), "Cluster-") {
					t.Errorf("a face after clustering: %v", f)
				}
			}

			// Queries combine; Sort=URI is descending unless asked otherwise;
			// WithoutTotalHits leaves TotalHits out.
			page := c.must("SimpleQuery", fileParams(map[string]string{"Sort": "URI", "WithoutTotalHits": "true",
				"Query": `{"Operation":"not","SubQueries":[{"Field":"URI","Operation":"eq","Value":"oss://photos/2026/lake.jpg"}]}`}))
			if got := strings.Join(fileURIs(t, page), ","); got != "oss://photos/2026/mei1.jpg,oss://photos/2026/group.jpg" {
				t.Errorf("not lake.jpg, by URI descending: %s", got)
			}
			if _, ok := page["TotalHits"]; ok {
				t.Errorf("TotalHits with WithoutTotalHits=true: %v", page)
			}
			page = c.must("SimpleQuery", fileParams(map[string]string{"Sort": "URI", "Order": "asc",
				"Query": `{"Operation":"or","SubQueries":[{"Field":"URI","Operation":"eq","Value":"oss://photos/2026/lake.jpg"},{"Field":"URI","Operation":"prefix","Value":"oss://photos/2026/m"}]}`}))
			if got := strings.Join(fileURIs(t, page), ","); got != "oss://photos/2026/lake.jpg,oss://photos/2026/mei1.jpg" {
				t.Errorf("lake.jpg or m*, ascending: %s", got)
			}
		})
	}
}

func TestSimpleQueryRefusesWhatTheEmulatorDoesNotEvaluate(t *testing.T) {
	_, c, _ := boundAndScanned(t)
	first := c.must("SimpleQuery", fileParams(map[string]string{"MaxResults": "1"}))
	for _, tc := range []struct {
		params map[string]string
		code   string
		says   string
	}{
		{map[string]string{"Query": `{"Field":"Size","Operation":"gt","Value":"10"}`}, "InvalidArgument", "operations"},
		{map[string]string{"Query": `{"Field":"ContentType","Operation":"eq","Value":"image/jpeg"}`}, "InvalidArgument", "field URI only"},
		{map[string]string{"Query": `{"Operation":"and"}`}, "InvalidArgument", "SubQueries"},
		{map[string]string{"Query": `{"Field":`}, "InvalidJSON", "Query"},
		{map[string]string{"Aggregations": `[{"Field":"Size","Operation":"sum"}]`}, "InvalidArgument", "Aggregations"},
		{map[string]string{"Sort": "Size"}, "InvalidArgument", "URI only"},
		{map[string]string{"Order": "up"}, "InvalidArgument", "asc or desc"},
		{map[string]string{"MaxResults": "101"}, "InvalidArgument", "MaxResults"},
		{map[string]string{"NextToken": text(t, first, "NextToken"), "Sort": "URI"}, "InvalidArgument", "another list"},
		{map[string]string{"DatasetName": "nope"}, "ResourceNotFound", "dataset"},
	} {
		se := c.fails("SimpleQuery", fileParams(tc.params), 400, tc.code)
		if !strings.Contains(se.Message, tc.says) {
			t.Errorf("SimpleQuery %v says %q, want it to mention %q", tc.params, se.Message, tc.says)
		}
	}
}

func TestDeleteFileMetaTakesTheFileItsFacesAndClustersLeftEmpty(t *testing.T) {
	for _, sig := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(sig.name, func(t *testing.T) {
			srv, c, fake := boundAndScanned(t, sig.opts...)
			runClustering(t, c, fake)
			before := clustersByPerson(t, c, srv)
			mei, ken := text(t, before["Mei"], "ObjectId"), text(t, before["Ken"], "ObjectId")

			// group.jpg held Ken's only face and one of Mei's.
			c.must("DeleteFileMeta", fileParams(map[string]string{"URI": "oss://photos/2026/group.jpg"}))
			c.fails("GetFigureCluster", fileParams(map[string]string{"ObjectId": ken}), 400, "ResourceNotFound")
			m := object(t, c.must("GetFigureCluster", fileParams(map[string]string{"ObjectId": mei})), "FigureCluster")
			if num(t, m["FaceCount"]) != "1" || num(t, m["ImageCount"]) != "1" || object(t, m, "Cover")["URI"] != "oss://photos/2026/mei1.jpg" {
				t.Errorf("Mei's cluster after group.jpg went: %v", m)
			}
			if _, fc := datasetCounts(c); fc != "2" {
				t.Errorf("FileCount after DeleteFileMeta = %s, want 2", fc)
			}
			// The object stays in OSS; deleting metadata that is not there
			// succeeds, as IMM documents.
			if _, ok := srv.svc.oss.Objects["oss://photos/2026/group.jpg"]; !ok {
				t.Error("DeleteFileMeta deleted the OSS object")
			}
			c.must("DeleteFileMeta", fileParams(map[string]string{"URI": "oss://photos/2026/group.jpg"}))
			c.must("DeleteFileMeta", fileParams(map[string]string{"URI": "oss://photos/never-there.jpg"}))

			// Uploaded again, the photo is indexed again and its faces
			// clustered again: Ken gets a new cluster.
			if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{photos().Objects[1]}}); err != nil {
				t.Fatal(err)
			}
			runClustering(t, c, fake)
			after := clustersByPerson(t, c, srv)
			if len(after) != 2 || after["Mei"]["ObjectId"] != mei || num(t, after["Mei"]["FaceCount"]) != "2" || after["Ken"]["ObjectId"] == ken {
				t.Errorf("clusters after the photo came back: %v", after)
			}

			// With the binding gone and every file's metadata deleted in one
			// batch, the dataset can be deleted.
			c.must("DeleteBinding", bindingParams("p", "d", "oss://photos"))
			se := c.fails("DeleteDataset", fileParams(nil), 400, "InvalidArgument")
			if !strings.Contains(se.Message, "3 indexed file(s)") {
				t.Errorf("DeleteDataset with files says %q", se.Message)
			}
			uris, _ := json.Marshal(fileURIs(t, c.must("SimpleQuery", fileParams(nil))))
			c.must("BatchDeleteFileMeta", fileParams(map[string]string{"URIs": string(uris)}))
			if n := len(arrayOf(t, c.must("QueryFigureClusters", fileParams(nil)), "FigureClusters")); n != 0 {
				t.Errorf("%d clusters left after every file went", n)
			}
			c.must("DeleteDataset", fileParams(nil))
			c.fails("DeleteFileMeta", fileParams(map[string]string{"URI": "oss://photos/2026/lake.jpg"}), 400, "ResourceNotFound")
		})
	}
}

func TestBatchDeleteFileMetaTakesOneToAHundredURIs(t *testing.T) {
	_, c, _ := boundAndScanned(t)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("oss://photos/%d.jpg", i)
	}
	tooMany, _ := json.Marshal(many)
	hundred, _ := json.Marshal(many[:100])
	for _, tc := range []struct {
		uris string
		code string
	}{
		{"", "InvalidArgument"},
		{"[]", "InvalidArgument"},
		{string(tooMany), "InvalidArgument"},
		{`["oss://photos/a.jpg",""]`, "InvalidArgument"},
		{`"oss://photos/a.jpg"`, "InvalidJSON"},
	} {
		params := fileParams(nil)
		if tc.uris != "" {
			params["URIs"] = tc.uris
		}
		c.fails("BatchDeleteFileMeta", params, 400, tc.code)
	}
	c.fails("DeleteFileMeta", fileParams(nil), 400, "InvalidArgument")
	c.must("BatchDeleteFileMeta", fileParams(map[string]string{"URIs": string(hundred)}))
	if _, fc := datasetCounts(c); fc != "3" {
		t.Errorf("FileCount after deleting 100 URIs the dataset does not hold = %s, want 3", fc)
	}
}

func TestAnObjectDeletedFromABoundBucketTakesItsFacesOutOfTheirClusters(t *testing.T) {
	srv, c, fake := boundAndScanned(t)
	runClustering(t, c, fake)
	ken := text(t, clustersByPerson(t, c, srv)["Ken"], "ObjectId")
	srv.RemoveOSSObjects(OSSRemoval{URIs: []string{"oss://photos/2026/group.jpg"}})
	c.fails("GetFigureCluster", fileParams(map[string]string{"ObjectId": ken}), 400, "ResourceNotFound")
	left := clustersByCover(t, c)
	if len(left) != 1 {
		t.Fatalf("clusters left: %v", left)
	}
	for _, cl := range left {
		if num(t, cl["FaceCount"]) != "1" {
			t.Errorf("Mei's cluster after group.jpg was deleted: %v", cl)
		}
	}
}
