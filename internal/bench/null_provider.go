package bench

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	immprovider "github.com/immlabs/terraform-provider-imm/internal/provider"
)

// NewNullProvider is the benchmark's reference provider (cmd nullprovider
// serves it): a provider named imm whose provider block takes the IMM
// provider's arguments and whose one resource, imm_project, has the IMM
// provider's very schema, but whose create, read, update and delete make no
// API call. Create and update store the plan, with what the plan left
// unknown set to null; read keeps the state; delete forgets it.
func NewNullProvider() provider.Provider {
	return &nullProvider{imm: immprovider.New("bench")()}
}

// nullProvider borrows the IMM provider's name and schema.
type nullProvider struct{ imm provider.Provider }

func (p *nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "imm"
	resp.Version = "bench"
}

func (p *nullProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.imm.Schema(ctx, req, resp)
}

// Configure takes the configuration and builds nothing.
func (p *nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource {
		return &nullProjectResource{imm: immprovider.NewProjectResource()}
	}}
}

func (p *nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// nullProjectResource is imm_project's schema without its API calls.
type nullProjectResource struct{ imm resource.Resource }

func (r *nullProjectResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.imm.Metadata(ctx, req, resp)
}

func (r *nullProjectResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.imm.Schema(ctx, req, resp)
}

func (r *nullProjectResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = knownOrNull(req.Plan.Raw)
}

// Read keeps the state as it is (the framework starts the response with it).
func (r *nullProjectResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *nullProjectResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = knownOrNull(req.Plan.Raw)
}

// Delete forgets the resource (the framework removes it from state).
func (r *nullProjectResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// knownOrNull is v with every unknown value replaced by null: what a
// service would have filled in, the reference leaves empty.
func knownOrNull(v tftypes.Value) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		panic(err) // the transform above cannot fail
	}
	return out
}
