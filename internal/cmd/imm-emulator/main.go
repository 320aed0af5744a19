// Command imm-emulator serves the local IMM emulator (package
// internal/emulator) until SIGINT or SIGTERM. It prints exactly one line to
// stdout, "imm-emulator listening on URL", once it accepts connections.
// With -version it prints "imm-emulator VERSION" and exits.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// version is set at build time with -ldflags "-X main.version=...", as the
// provider's is (GNUmakefile, .goreleaser.yml).
var version = "dev"

func main() {
	s, err := parseFlags(os.Args[1:], os.Getenv, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "imm-emulator:", err)
		os.Exit(2)
	}
	if s.version {
		fmt.Println("imm-emulator", version)
		return
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	if err := run(s, os.Stdout, stop); err != nil {
		fmt.Fprintln(os.Stderr, "imm-emulator:", err)
		os.Exit(1)
	}
}

// run serves until stop delivers, then shuts down gracefully, flushing the
// data file and the request log.
func run(s settings, stdout io.Writer, stop <-chan os.Signal) error {
	srv, err := emulator.Start(s.listen, s.opts, s.tls)
	if err != nil {
		return err
	}
	if s.certOut != "" {
		if err := os.WriteFile(s.certOut, srv.CertPEM(), 0o644); err != nil {
			srv.Close()
			return fmt.Errorf("-tls-cert-out: %w", err)
		}
	}
	fmt.Fprintf(stdout, "imm-emulator listening on %s\n", srv.URL())
	<-stop
	return srv.Close()
}
