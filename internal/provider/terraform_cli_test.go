package provider

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Some flows can't run under terraform-plugin-testing, whose state checks do
// not support for_each: naming every cluster a data source finds, the demo,
// the examples. Those tests build the provider binary once and drive the real
// terraform CLI with a dev_overrides configuration of their own (never the
// user's ~/.terraformrc).

var providerBuild struct {
	once sync.Once
	// dir is made by TestMain and removed when the run ends: the binary
	// is shared by every CLI test of the run, so it must outlive each
	// test's t.TempDir.
	dir string
	err error
}

// TestMain gives builtProvider a folder for the whole run and removes it
// afterwards, binary included.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imm-provider-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	providerBuild.dir = dir
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// builtProvider builds terraform-provider-imm once per test run and returns
// the folder that holds it.
func builtProvider(t testing.TB) string {
	t.Helper()
	providerBuild.once.Do(func() {
		cmd := exec.Command("go", "build", "-o", filepath.Join(providerBuild.dir, "terraform-provider-imm"), "github.com/immlabs/terraform-provider-imm")
		if out, err := cmd.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// requiredProviders names the provider's source address, as every
// configuration of ours does.
const requiredProviders = `terraform {
  required_providers {
    imm = {
      source = "immlabs/imm"
    }
  }
}
`

// terraformCLI runs terraform (the one terraformBinary picks, as
// terraform-plugin-testing does) in a folder of its own against the built
// provider.
type terraformCLI struct {
	t   testing.TB
	bin string
	dir string
	env []string
}

func newTerraformCLI(t testing.TB) *terraformCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (it runs terraform)")
	}
	tfBin, err := terraformBinary()
	if err != nil {
		t.Fatal(err)
	}
	bin := builtProvider(t)
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"immlabs/imm\" = %q\n  }\n  direct {}\n}\n", bin)
	if err := os.WriteFile(rc, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "versions.tf"), []byte(requiredProviders), 0o600); err != nil {
		t.Fatal(err)
	}
	return &terraformCLI{t: t, bin: tfBin, dir: work, env: append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0")}
}

// write puts a file in the working folder.
func (c *terraformCLI) write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs terraform with args and returns its output and exit code.
func (c *terraformCLI) run(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	default:
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		return "", -1
	}
}

// mustRun runs terraform and fails the test unless it exits 0.
func (c *terraformCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// runningCommand is a terraform command started in the background.
type runningCommand struct {
	t   testing.TB
	cmd *exec.Cmd
	out *syncBuffer
}

// syncBuffer is an output buffer that the test may read while terraform
// writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start runs terraform with args in the background.
func (c *terraformCLI) start(args ...string) *runningCommand {
	c.t.Helper()
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return &runningCommand{t: c.t, cmd: cmd, out: out}
}

// interrupt sends SIGINT once, as Ctrl-C does.
func (r *runningCommand) interrupt() {
	r.t.Helper()
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		r.t.Fatal(err)
	}
}

func (r *runningCommand) output() string { return r.out.String() }

// wait waits for the command and returns its output and exit code.
func (r *runningCommand) wait() (string, int) {
	err := r.cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return r.output(), 0
	case errors.As(err, &exit):
		return r.output(), exit.ExitCode()
	default:
		r.t.Fatalf("terraform: %v", err)
		return "", -1
	}
}

// stateList is `terraform state list`: the addresses in state.
func (c *terraformCLI) stateList() []string {
	c.t.Helper()
	out, code := c.run("state", "list")
	if code != 0 {
		if strings.Contains(out, "No state file") {
			return nil
		}
		c.t.Fatalf("terraform state list exited %d:\n%s", code, out)
	}
	return strings.Fields(out)
}

// read returns a file of the working folder.
func (c *terraformCLI) read(name string) string {
	c.t.Helper()
	data, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(data)
}
