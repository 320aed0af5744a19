package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

const module = "github.com/immlabs/terraform-provider-imm"

// providerBinary is the name Terraform looks for in a dev_overrides folder.
const providerBinary = "terraform-provider-imm"

// binaries are the folders dev_overrides point at: each holds the measuring
// wrapper under the provider's name and the provider itself in real/.
type binaries struct {
	imm, null string
}

// build compiles the IMM provider, the reference provider and the measuring
// wrapper into dir.
func build(ctx context.Context, dir string) (binaries, error) {
	b := binaries{imm: filepath.Join(dir, "imm"), null: filepath.Join(dir, "null")}
	wrapper := filepath.Join(dir, "measure")
	steps := []struct{ out, pkg string }{
		{wrapper, module + "/internal/bench/measure"},
		{filepath.Join(b.imm, "real", providerBinary), module},
		{filepath.Join(b.null, "real", providerBinary), module + "/internal/bench/nullprovider"},
	}
	for _, s := range steps {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", s.out, s.pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("go build %s: %w\n%s", s.pkg, err, out)
		}
	}
	raw, err := os.ReadFile(wrapper)
	if err != nil {
		return b, err
	}
	for _, d := range []string{b.imm, b.null} {
		if err := os.WriteFile(filepath.Join(d, providerBinary), raw, 0o755); err != nil {
			return b, err
		}
	}
	return b, nil
}
