package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// keepingServer does what the framework does with a call's context: it
// derives a cancelable context from it and keeps that (with its cancel
// function) after the call returns.
type keepingServer struct {
	frameworkServer // nil: only ReadResource is called
	during          func(ctx context.Context)
	kept            []context.Context
	cancels         []context.CancelFunc
}

func (s *keepingServer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	derived, cancel := context.WithCancel(ctx)
	s.kept, s.cancels = append(s.kept, derived), append(s.cancels, cancel)
	s.during(derived)
	return &tfprotov6.ReadResourceResponse{}, nil
}

type payloadKey struct{}

// payload is a value the call's context carries, large enough to see.
type payload [1 << 16]byte

func TestAFinishedCallLetsGoOfItsContextThoughTheFrameworkKeepsIt(t *testing.T) {
	inner := &keepingServer{}
	server := releasingServer{inner}
	p := new(payload)
	gone := weak.Make(p)
	// No deadline here: a stopped timer may stay in the runtime's timer heap
	// for a while, and keep its context reachable.
	callCtx, cancelCall := context.WithCancel(context.WithValue(context.Background(), payloadKey{}, p))
	inner.during = func(ctx context.Context) {
		if ctx.Value(payloadKey{}) != p {
			t.Error("during the call, the context does not carry the call's values")
		}
	}
	if _, err := server.ReadResource(callCtx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	kept := inner.kept[0]
	if kept.Value(payloadKey{}) != nil {
		t.Error("after the call, the kept context still carries the call's values")
	}
	if kept.Err() != nil {
		t.Errorf("after the call and before the call's context ends, Err is %v", kept.Err())
	}
	// gRPC ends the call's context once the call has returned, and lets go
	// of it.
	cancelCall()
	callCtx, cancelCall, p = nil, nil, nil //nolint:ineffassign,wastedassign // unreachable from here
	runtime.GC()
	if gone.Value() != nil {
		t.Error("the call's context is still reachable through what the framework kept")
	}
	select {
	case <-kept.Done():
	default:
		t.Error("the end of the call's context did not reach the context the framework kept")
	}
	if kept.Err() == nil {
		t.Error("Err is nil though Done is closed")
	}
}

func TestCancelingTheCallReachesTheFrameworksContextDuringTheCall(t *testing.T) {
	callCtx, cancelCall := context.WithTimeout(t.Context(), time.Hour)
	defer cancelCall()
	inner := &keepingServer{during: func(ctx context.Context) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("during the call, the context has no deadline")
		}
		cancelCall() // Terraform's StopProvider, or the gRPC call ending
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Second):
			t.Error("the framework's context was not canceled with the call's")
		}
	}}
	if _, err := (releasingServer{inner}).ReadResource(callCtx, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestTheProvidersServerReleasesContextsWithTheFrameworkItIsBuiltWith(t *testing.T) {
	if _, ok := NewServer(New("test"))().(releasingServer); !ok {
		t.Error("the framework's server no longer implements frameworkServer: NewServer serves it without releasing contexts")
	}
}

func TestAReleasedContextIsOverAndHoldsNothingOfTheCall(t *testing.T) {
	callCtx, cancelCall := context.WithTimeout(context.WithValue(t.Context(), payloadKey{}, "value"), time.Hour)
	defer cancelCall()
	rc := newReleasingContext(callCtx)
	if rc.Value(payloadKey{}) != "value" || rc.Err() != nil || rc.Done() != callCtx.Done() {
		t.Fatal("during the call, the context is not the call's")
	}
	rc.release()
	select {
	case <-rc.Done():
	default:
		t.Error("a released context is not done")
	}
	if !errors.Is(rc.Err(), context.Canceled) {
		t.Errorf("a released context's Err is %v, want context.Canceled", rc.Err())
	}
	if _, ok := rc.Deadline(); ok || rc.Value(payloadKey{}) != nil {
		t.Error("a released context still gives the call's deadline or values")
	}
	if callCtx.Err() != nil {
		t.Errorf("releasing ended the call's own context: %v", callCtx.Err())
	}
}
