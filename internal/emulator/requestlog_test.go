package emulator

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

func TestRequestLogRecordsBusinessParametersExactly(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "requests.jsonl")
	srv, fake := startFake(t, Options{RequestLogFile: logFile})
	tag := `[{"Key":"k 1*~+","Value":"v/é&="}]`
	params := map[string]string{"ProjectName": "p", "Tag": tag, "Description": "é"}
	withUserAgent := func(c *openapi.Config) { c.UserAgent = dara.String("terraform-provider-imm/1.2.3") }
	newClient(t, srv, withUserAgent).must("CreateProject", params)
	fake.Advance(time.Second)
	newClient(t, srv, withV2).must("GetProject", map[string]string{"ProjectName": "p", "WithStatistics": "true"})
	newClient(t, srv, withKey(DefaultAccessKeyID, "bad")).fails("DeleteProject", map[string]string{"ProjectName": "p"}, 400, "SignatureDoesNotMatch")
	newClient(t, srv, withKey("LTAIunknown", "x"), withV2).fails("ListProjects", nil, 404, "InvalidAccessKeyId.NotFound")

	want := []Request{
		{Time: testStart, Action: "CreateProject", AccessKeyId: DefaultAccessKeyID, Params: params, Status: 200},
		{Time: testStart.Add(time.Second), Action: "GetProject", AccessKeyId: DefaultAccessKeyID, Params: map[string]string{"ProjectName": "p", "WithStatistics": "true"}, Status: 200},
		{Time: testStart.Add(time.Second), Action: "DeleteProject", AccessKeyId: DefaultAccessKeyID, Params: map[string]string{"ProjectName": "p"}, Status: 400, Code: "SignatureDoesNotMatch"},
		{Time: testStart.Add(time.Second), Action: "ListProjects", AccessKeyId: "LTAIunknown", Params: map[string]string{}, Status: 404, Code: "InvalidAccessKeyId.NotFound"},
	}
	got := srv.Requests()
	// darabonba prefixes its own user agent (SDK, Go and OS versions) to the
	// one configured.
	for i, r := range got {
		if !strings.HasPrefix(r.UserAgent, "AlibabaCloud (") || (i == 0) != strings.HasSuffix(r.UserAgent, " terraform-provider-imm/1.2.3") {
			t.Errorf("entry %d: User-Agent %q", i, r.UserAgent)
		}
		got[i].UserAgent = ""
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("log:\n got %+v\nwant %+v", got, want)
	}

	// The file holds the same entries, one JSON object per line, with
	// exactly the documented field names.
	f, err := os.Open(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fromFile []Request
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &fields); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"Time", "Action", "AccessKeyId", "Params", "UserAgent", "Status", "Code"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("line %s lacks %s", sc.Text(), k)
			}
		}
		var r Request
		_ = json.Unmarshal(sc.Bytes(), &r)
		fromFile = append(fromFile, r)
	}
	if len(fromFile) != len(want) || fromFile[0].Params["Tag"] != tag || !fromFile[1].Time.Equal(want[1].Time) {
		t.Errorf("log file entries %+v", fromFile)
	}

	srv.ClearRequests()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d entries after ClearRequests", n)
	}
}

func TestRequestLogReturnsCopies(t *testing.T) {
	srv := startServer(t, Options{})
	newClient(t, srv).must("ListProjects", map[string]string{"Prefix": "a"})
	srv.Requests()[0].Params["Prefix"] = "changed"
	if srv.Requests()[0].Params["Prefix"] != "a" {
		t.Error("the log's Params can be changed through Requests()")
	}
}

func TestInMemoryLogIsBounded(t *testing.T) {
	l := &requestLog{}
	for i := 0; i < MaxLoggedRequests+1; i++ {
		l.add(Request{Status: i})
	}
	got := l.list()
	if len(got) > MaxLoggedRequests || got[len(got)-1].Status != MaxLoggedRequests || got[0].Status != MaxLoggedRequests/10 {
		t.Errorf("%d entries, first %d, last %d", len(got), got[0].Status, got[len(got)-1].Status)
	}
}

func TestServerCloseTwice(t *testing.T) {
	srv, err := Start("127.0.0.1:0", Options{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
