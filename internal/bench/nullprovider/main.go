// Command nullprovider is the benchmark's reference provider, never shipped:
// a provider named imm whose provider block takes the IMM provider's
// arguments and whose one resource, imm_project, has the IMM provider's very
// schema (validators, plan modifiers and defaults included), but whose
// create, read, update and delete make no API call. Create and update store
// the plan, with what the plan left unknown set to null; read keeps the
// state; delete forgets it. Terraform and the framework do for it all they
// do for the real imm_project, so the difference between the two is the
// cost of the provider's own code and of talking to IMM.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/immlabs/terraform-provider-imm/internal/bench"
)

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), bench.NewNullProvider, providerserver.ServeOpts{Address: "registry.terraform.io/immlabs/imm", Debug: debug})
	if err != nil {
		log.Fatal(err)
	}
}
