package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The framework (v1.19, internal/proto6server) keeps the cancel function of
// every call's context until Terraform stops the provider, so that
// StopProvider can cancel the calls in flight. Each one holds its call's
// context, and with it everything the SDK hung on that context (its loggers'
// fields, the request ID, the gRPC stream): a plan of N resources kept about
// 65 KB per resource alive until the process ended, and the garbage
// collector scanned it all again and again. The server below gives every
// per-resource call a context that lets go of the call's context when the
// call returns; what the framework keeps is then a few hundred bytes per
// call.

// frameworkServer is what the framework's server implements: the protocol
// and its optional parts. terraform-plugin-go deprecates the optional
// interfaces because it will fold them into ProviderServer; until then a
// server that wraps another must name them to pass their calls on.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // see above
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // see above
}

// NewServer is providerserver.NewProtocol6 for the provider newProvider
// returns, with the contexts of finished calls released.
func NewServer(newProvider func() provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		server := providerserver.NewProtocol6(newProvider())()
		if full, ok := server.(frameworkServer); ok {
			return releasingServer{full}
		}
		return server // a framework that has changed: serve it as it is
	}
}

// releasingServer is the framework's server, with a releasingContext for
// each call Terraform makes once or more per resource instance. Streaming
// calls (ListResource, InvokeAction) keep their context, which their stream
// uses after they return.
type releasingServer struct{ frameworkServer }

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.MoveResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadDataSource)
}

// released calls call with a releasingContext of ctx, released when call
// returns.
func released[Req, Resp any](ctx context.Context, req Req, call func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasingContext(ctx)
	defer rc.release()
	return call(rc, req)
}

// releasingContext is a call's context until release; then it holds
// nothing of it, and is over: Done is closed and Err is context.Canceled, as
// gRPC cancels a call's context once the call has returned. While it holds
// the call's context, contexts derived from it attach to the call's own
// cancellation (Done is the call's channel, Value reaches the call's
// values), so they end when the call's context ends, whether or not the
// call has returned. After release it keeps not even the call's Done
// channel: about 100 bytes less for every call the framework remembers.
type releasingContext struct {
	call atomic.Pointer[heldContext]
}

type heldContext struct{ ctx context.Context }

// closedDone is the Done channel of every released context.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

func newReleasingContext(ctx context.Context) *releasingContext {
	rc := &releasingContext{}
	rc.call.Store(&heldContext{ctx})
	return rc
}

// release lets go of the call's context.
func (c *releasingContext) release() { c.call.Store(nil) }

func (c *releasingContext) Deadline() (time.Time, bool) {
	if h := c.call.Load(); h != nil {
		return h.ctx.Deadline()
	}
	return time.Time{}, false
}

func (c *releasingContext) Done() <-chan struct{} {
	if h := c.call.Load(); h != nil {
		return h.ctx.Done()
	}
	return closedDone
}

func (c *releasingContext) Err() error {
	if h := c.call.Load(); h != nil {
		return h.ctx.Err()
	}
	return context.Canceled
}

func (c *releasingContext) Value(key any) any {
	if h := c.call.Load(); h != nil {
		return h.ctx.Value(key)
	}
	return nil
}
