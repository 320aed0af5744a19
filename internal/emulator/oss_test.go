package emulator

import (
	"encoding/json"
	"reflect"
	"testing"
)

// photos are objects of the bucket "photos": two faces of Mei, one of Ken,
// and a landscape without faces.
func photos() OSSContents {
	return OSSContents{Objects: []OSSObject{
		{URI: "oss://photos/2026/mei1.jpg", Figures: []OSSFigure{{Person: "Mei", Gender: "female", Age: 31}}},
		{URI: "oss://photos/2026/group.jpg", Figures: []OSSFigure{{Person: "Mei", Gender: "female", Age: 31}, {Person: "Ken", Gender: "male", Age: 40}}},
		{URI: "oss://photos/2026/lake.jpg"},
	}}
}

func TestFakeOSSControlEndpointsAddListAndRemoveObjects(t *testing.T) {
	srv := startServer(t, Options{})
	body, _ := json.Marshal(photos())
	if status, v := control(t, srv, "POST", "/_emulator/oss/objects", string(body)); status != 200 || controlCount(t, v) != 3 {
		t.Fatalf("POST oss/objects: %d %v", status, v)
	}
	if status, v := control(t, srv, "POST", "/_emulator/oss/objects", `{"Buckets":["empty-bucket"],"Objects":[]}`); status != 200 {
		t.Fatalf("POST oss/objects with a bucket: %d %v", status, v)
	}
	status, v := control(t, srv, "GET", "/_emulator/oss/objects", "")
	if status != 200 {
		t.Fatalf("GET oss/objects: %d %v", status, v)
	}
	var got OSSContents
	data, _ := json.Marshal(v)
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := OSSContents{Buckets: []string{"empty-bucket", "photos"}, Objects: []OSSObject{photos().Objects[1], photos().Objects[2], photos().Objects[0]}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GET oss/objects =\n%+v\nwant (sorted by URI)\n%+v", got, want)
	}
	if !reflect.DeepEqual(srv.OSS(), want) {
		t.Errorf("OSS() = %+v, want %+v", srv.OSS(), want)
	}

	if status, v := control(t, srv, "DELETE", "/_emulator/oss/objects", `{"URIs":["oss://photos/2026/lake.jpg","oss://photos/unknown.jpg"]}`); status != 200 || controlCount(t, v) != 1 {
		t.Errorf("DELETE oss/objects: %d %v, want one object removed", status, v)
	}
	if status, v := control(t, srv, "DELETE", "/_emulator/oss/objects", `{"URIs":[],"Buckets":["photos"]}`); status != 200 || controlCount(t, v) != 2 {
		t.Errorf("DELETE a bucket: %d %v, want its two objects removed", status, v)
	}
	if got := srv.OSS(); len(got.Objects) != 0 || !reflect.DeepEqual(got.Buckets, []string{"empty-bucket"}) {
		t.Errorf("after the deletions the OSS holds %+v", got)
	}
}

func TestFakeOSSRefusesMalformedObjectsWholesale(t *testing.T) {
	srv := startServer(t, Options{})
	for _, bad := range []string{
		`{`,
		`{"Objects":[{"URI":"oss://photos/a.jpg"},{"URI":"photos/b.jpg"}]}`,
		`{"Objects":[{"URI":"oss://Photos/a.jpg"}]}`,
		`{"Objects":[{"URI":"oss://photos"}]}`,
		`{"Objects":[{"URI":"oss://photos/"}]}`,
		`{"Objects":[{"URI":"oss://ab/a.jpg"}]}`,
		`{"Objects":[{"URI":"oss://photos/a.jpg","Figures":[{"Person":"x","Age":-1}]}]}`,
		`{"Buckets":["-bad-"],"Objects":[]}`,
	} {
		if status, v := control(t, srv, "POST", "/_emulator/oss/objects", bad); status != 400 {
			t.Errorf("POST %s: %d %v, want 400", bad, status, v)
		}
	}
	if got := srv.OSS(); len(got.Objects) != 0 || len(got.Buckets) != 0 {
		t.Errorf("refused uploads left %+v", got)
	}
	if status, _ := control(t, srv, "DELETE", "/_emulator/oss/objects", `{"URI":"x"`); status != 400 {
		t.Errorf("DELETE with malformed JSON: %d", status)
	}
	if status, _ := control(t, srv, "PUT", "/_emulator/oss/objects", `{}`); status != 405 {
		t.Errorf("PUT oss/objects: %d, want 405", status)
	}
}

func TestOSSOptionSeedsTheFakeOSSAtStart(t *testing.T) {
	srv := startServer(t, Options{OSS: photos()})
	if n := len(srv.OSS().Objects); n != 3 {
		t.Errorf("%d objects at start, want 3", n)
	}
	if _, err := New(Options{OSS: OSSContents{Objects: []OSSObject{{URI: "s3://x/y"}}}}); err == nil {
		t.Error("New accepted an OSS object that is not an oss:// URI")
	}
}

func TestOverwritingAnObjectReplacesItsFaces(t *testing.T) {
	srv := startServer(t, Options{})
	if err := srv.AddOSSObjects(photos()); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddOSSObjects(OSSContents{Objects: []OSSObject{{URI: "oss://photos/2026/lake.jpg", Figures: []OSSFigure{{Person: "Ken"}}}}}); err != nil {
		t.Fatal(err)
	}
	for _, o := range srv.OSS().Objects {
		if o.URI == "oss://photos/2026/lake.jpg" && (len(o.Figures) != 1 || o.Figures[0].Person != "Ken") {
			t.Errorf("overwritten object: %+v", o)
		}
	}
}
