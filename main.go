// Command terraform-provider-imm serves the IMM provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/immlabs/terraform-provider-imm/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	// Nobody reads the SDK's TRACE lines unless a TF_LOG* variable asks for
	// them; formatting them costs more than the provider's own work.
	for name, value := range provider.LogLevelsUnlessAsked(os.Environ()) {
		if err := os.Setenv(name, value); err != nil {
			log.Fatal(err)
		}
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/immlabs/imm",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
