package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// functionFactories serves the provider for acceptance tests of its
// functions, which need no emulator and no provider configuration.
func functionFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"imm": providerserver.NewProtocol6WithError(New("test")()),
	}
}

// callFunction calls a provider function as Terraform does, through the
// framework's protocol server (its parameter validators included), without
// Terraform. Arguments of a dynamic parameter go as dynamic values; the
// result is decoded as resultType.
func callFunction(t *testing.T, name string, resultType tftypes.Type, args ...tftypes.Value) (tftypes.Value, *tfprotov6.FunctionError) {
	t.Helper()
	ctx := context.Background()
	server := providerserver.NewProtocol6(New("test")())()
	defs, err := server.GetFunctions(ctx, &tfprotov6.GetFunctionsRequest{})
	if err != nil || len(defs.Diagnostics) > 0 {
		t.Fatalf("GetFunctions: %v %v", err, defs.Diagnostics)
	}
	def, ok := defs.Functions[name]
	if !ok {
		t.Fatalf("the provider has no function %q", name)
	}
	dvs := make([]*tfprotov6.DynamicValue, len(args))
	for i, a := range args {
		typ := a.Type()
		if i < len(def.Parameters) && def.Parameters[i].Type.Is(tftypes.DynamicPseudoType) {
			typ = tftypes.DynamicPseudoType
		}
		dv, err := tfprotov6.NewDynamicValue(typ, a)
		if err != nil {
			t.Fatal(err)
		}
		dvs[i] = &dv
	}
	resp, err := server.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: name, Arguments: dvs})
	if err != nil {
		t.Fatalf("CallFunction: %v", err)
	}
	if resp.Error != nil {
		return tftypes.Value{}, resp.Error
	}
	v, err := resp.Result.Unmarshal(resultType)
	if err != nil {
		t.Fatalf("decoding the result: %v", err)
	}
	return v, nil
}

// tfString is a known string argument.
func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// checkStringResult compares a function's string result, or its error: the
// argument it names and a part of its text.
func checkStringResult(t *testing.T, got tftypes.Value, funcErr *tfprotov6.FunctionError, want string, wantArg int64, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if funcErr == nil {
			t.Fatalf("got %v, want an error saying %q", got, wantErr)
		}
		if !strings.Contains(funcErr.Text, wantErr) || funcErr.FunctionArgument == nil || *funcErr.FunctionArgument != wantArg {
			t.Fatalf("error = %q (argument %v), want %q about argument %d", funcErr.Text, argumentOf(funcErr), wantErr, wantArg)
		}
		return
	}
	if funcErr != nil {
		t.Fatalf("error %q", funcErr.Text)
	}
	var s string
	if err := got.As(&s); err != nil || s != want {
		t.Fatalf("got %v, want %q", got, want)
	}
}

// argumentOf is the argument position an error names, or -1.
func argumentOf(e *tfprotov6.FunctionError) int64 {
	if e == nil || e.FunctionArgument == nil {
		return -1
	}
	return *e.FunctionArgument
}
