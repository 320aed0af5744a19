package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/credentials/credentialstest"
)

// Test support of the credential tests. The chain's own tests, and the
// emulator whose STS answers over TLS, live in internal/credentials; the
// import of credentialstest also makes this test process trust that
// emulator's certificate (see its init).

const testRoleARN = credentialstest.TestRoleARN

var (
	newEnvVars      = credentialstest.NewEnv
	newSTSEmulator  = credentialstest.NewSTSEmulator
	requireContains = credentialstest.RequireContains
	requireAbsent   = credentialstest.RequireAbsent
	writeTestFile   = credentialstest.WriteFile
	akProfile       = credentialstest.AKProfile
	mustJSON        = credentialstest.MustJSON
)

// providerFactoriesWithEnv serves the provider in the test process, reading
// env instead of the process environment.
func providerFactoriesWithEnv(c clock.Clock, env *credentialstest.Env) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"imm": providerserver.NewProtocol6WithError(&immProvider{version: "test", clock: c, getenv: env.Get}),
	}
}

// diagText is every diagnostic's summary and detail, one after the other.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s\n%s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}

// providerSchemaResponse is the provider's schema, for parity checks.
type providerSchemaResponse struct{ schema schema.Schema }

func (r *providerSchemaResponse) load(t *testing.T) {
	t.Helper()
	var resp provider.SchemaResponse
	(&immProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if d := resp.Schema.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	r.schema = resp.Schema
}

// names are the top-level attributes and blocks.
func (r *providerSchemaResponse) names() []string {
	var names []string
	for n := range r.schema.Attributes {
		names = append(names, n)
	}
	for n := range r.schema.Blocks {
		names = append(names, n)
	}
	return names
}

func (r *providerSchemaResponse) blockAttributeNames(t *testing.T, block string) []string {
	t.Helper()
	b, ok := r.schema.Blocks[block].(schema.ListNestedBlock)
	if !ok {
		t.Fatalf("block %s is a %T, want a list", block, r.schema.Blocks[block])
	}
	var names []string
	for n := range b.NestedObject.Attributes {
		names = append(names, n)
	}
	return names
}
