// Command terraform-provider-imm serves the IMM provider to Terraform.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

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
	// providerserver.Serve, with a server that lets go of finished calls'
	// contexts (provider.NewServer).
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/immlabs/imm", provider.NewServer(provider.New(version)), opts...); err != nil {
		log.Fatal(err)
	}
}
