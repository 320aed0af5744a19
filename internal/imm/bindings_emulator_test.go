package imm

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// photos are three objects of the bucket "photos", two of them with faces.
var photos = emulator.OSSContents{Objects: []emulator.OSSObject{
	{URI: "oss://photos/mei.jpg", Figures: []emulator.OSSFigure{{Person: "Mei", Gender: "female", Age: 31}}},
	{URI: "oss://photos/ken.jpg", Figures: []emulator.OSSFigure{{Person: "Ken", Gender: "male", Age: 40}}},
	{URI: "oss://photos/lake.jpg"},
}}

// signatures are the two ways the client signs, for tests that run both.
var signatures = []struct {
	name string
	opts []clientOption
}{{"V3", nil}, {"V2", []clientOption{withV2Signature}}}

func TestEmulatorBindingLifecycleSendsSDKParamsAndDecodesAnswers(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{OSS: photos, ScanDuration: 10 * time.Second})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			seedProject(t, c, "p")
			seedDataset(t, c, "d")

			ref := CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos"}
			want := Binding{ProjectName: "p", DatasetName: "d", URI: "oss://photos", State: StateReady,
				CreateTime: serviceTime(emuStart), UpdateTime: serviceTime(emuStart)}
			created, err := c.CreateBinding(ctx, ref)
			if err != nil {
				t.Fatalf("CreateBinding: %v", err)
			}
			if !reflect.DeepEqual(*created, want) {
				t.Errorf("CreateBinding returned\n%+v\nwant\n%+v", *created, want)
			}
			checkParams(t, env.lastRequest("CreateBinding"), map[string]string{"ProjectName": "p", "DatasetName": "d", "URI": "oss://photos"})
			if w := env.lastWire(); !strings.Contains(w.query, "URI=oss") || w.body != "" {
				t.Errorf("CreateBinding went as query %q body %q; the SDK sends binding parameters in the query", w.query, w.body)
			}

			env.advance(time.Second)
			got, err := c.GetBinding(ctx, ref)
			want.State, want.Phase = StateRunning, PhaseFullScanning
			if err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("GetBinding during the scan: %+v, %v; want %+v", got, err, want)
			}
			checkParams(t, env.lastRequest("GetBinding"), map[string]string{"ProjectName": "p", "DatasetName": "d", "URI": "oss://photos"})
			env.advance(9 * time.Second)
			got, err = c.GetBinding(ctx, ref)
			want.Phase = PhaseIncrementalScanning
			if err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("GetBinding after the scan: %+v, %v; want %+v", got, err, want)
			}
			d, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "d"})
			if err != nil || d.BindCount != 1 || d.FileCount != 3 {
				t.Errorf("the dataset after the scan: %+v, %v; want BindCount 1, FileCount 3", d, err)
			}

			page, err := c.ListBindings(ctx, ListBindingsRequest{ProjectName: "p", DatasetName: "d", MaxResults: ptr(int64(5))})
			if err != nil || len(page.Bindings) != 1 || !reflect.DeepEqual(page.Bindings[0], want) || page.NextToken != "" || page.RequestId == "" {
				t.Errorf("ListBindings: %+v, %v", page, err)
			}
			checkParams(t, env.lastRequest("ListBindings"), map[string]string{"ProjectName": "p", "DatasetName": "d", "MaxResults": "5"})

			if err := c.DeleteBinding(ctx, ref); err != nil {
				t.Fatalf("DeleteBinding: %v", err)
			}
			checkParams(t, env.lastRequest("DeleteBinding"), map[string]string{"ProjectName": "p", "DatasetName": "d", "URI": "oss://photos"})
			if _, err := c.GetBinding(ctx, ref); !IsNotFound(err) {
				t.Errorf("GetBinding after DeleteBinding: %v, want ResourceNotFound", err)
			}
		})
	}
}

func TestEmulatorBindingErrorsCarryIMMCodesAndAreNotRetried(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	if _, err := c.CreateDataset(ctx, CreateDatasetRequest{ProjectName: "p", DatasetName: "d", DatasetMaxBindCount: ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		req  CreateBindingRequest
		code string
	}{
		{"a prefix", CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos/2026/"}, "InvalidURI"},
		{"no dataset name", CreateBindingRequest{ProjectName: "p", URI: "oss://photos"}, "MissingDatasetName"},
		{"a missing dataset", CreateBindingRequest{ProjectName: "p", DatasetName: "nope", URI: "oss://photos"}, CodeResourceNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.clear()
			_, err := c.CreateBinding(ctx, tc.req)
			if e := asError(t, err); e.Code != tc.code || e.StatusCode != 400 || IsRetryable(err) || e.RequestID != env.lastRequestID() {
				t.Errorf("CreateBinding with %s: %+v, want a non-retryable 400 %s with the emulator's RequestId", tc.name, *e, tc.code)
			}
			if n := len(env.requests("CreateBinding")); n != 1 {
				t.Errorf("sent %d times, want once", n)
			}
		})
	}
	ref := CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos"}
	if _, err := c.CreateBinding(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateBinding(ctx, ref); !IsAlreadyExists(err) {
		t.Errorf("CreateBinding twice: %v, want ResourceAlreadyExists", err)
	}
	_, err := c.CreateBinding(ctx, CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://other"})
	if e := asError(t, err); e.Code != "LimitExceededError" || !strings.Contains(e.Message, "DatasetMaxBindCount") {
		t.Errorf("a binding past DatasetMaxBindCount: %+v", *e)
	}
	err = c.DeleteDataset(ctx, "p", "d")
	if e := asError(t, err); e.Code != CodeInvalidArgument || !strings.Contains(e.Message, "binding") {
		t.Errorf("DeleteDataset with a binding: %+v, want InvalidArgument naming the binding", *e)
	}
	if err := c.DeleteBinding(ctx, CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://other"}); !IsNotFound(err) {
		t.Errorf("DeleteBinding of an unknown binding: %v", err)
	}
}

func TestEmulatorListAllBindingsFollowsEveryPage(t *testing.T) {
	env := startEmulator(t, emulator.Options{MaxPageSize: 2})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	var want []string
	for _, d := range []string{"d", "e"} {
		seedDataset(t, c, d)
		for i := 1; i <= 3; i++ {
			uri := fmt.Sprintf("oss://bucket-%d", i)
			if _, err := c.CreateBinding(ctx, CreateBindingRequest{ProjectName: "p", DatasetName: d, URI: uri}); err != nil {
				t.Fatal(err)
			}
			want = append(want, d+" "+uri)
		}
	}
	env.clear()
	all, err := c.ListAllBindings(ctx, ListBindingsRequest{ProjectName: "p"})
	if err != nil {
		t.Fatalf("ListAllBindings: %v", err)
	}
	var got []string
	for _, b := range all {
		got = append(got, b.DatasetName+" "+b.URI)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListAllBindings = %v, want %v", got, want)
	}
	reqs := env.requests("ListBindings")
	if len(reqs) != 3 || reqs[0].Params["NextToken"] != "" || reqs[1].Params["NextToken"] == "" || reqs[2].Params["ProjectName"] != "p" {
		t.Errorf("ListAllBindings sent %d requests: %+v", len(reqs), reqs)
	}
}

func TestEmulatorBindingReadsLagItsCreation(t *testing.T) {
	env := startEmulator(t, emulator.Options{PropagationDelay: time.Minute, ReadLag: emulator.ReadLagFixed,
		OSS: emulator.OSSContents{Buckets: []string{"photos"}}})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	env.advance(time.Minute)
	ref := CreateBindingRequest{ProjectName: "p", DatasetName: "d", URI: "oss://photos"}
	if _, err := c.CreateBinding(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetBinding(ctx, ref); !IsNotFound(err) {
		t.Errorf("GetBinding just after CreateBinding: %v, want ResourceNotFound (the read lags)", err)
	}
	env.advance(time.Minute + emulator.DefaultScanDuration)
	if b, err := c.GetBinding(ctx, ref); err != nil || b.Phase != PhaseIncrementalScanning {
		t.Errorf("GetBinding once the lag has passed: %+v, %v", b, err)
	}
}
