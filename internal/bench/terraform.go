package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// usageFileEnv is where the measuring wrapper appends its lines (cmd
// measure reads the same variable).
const usageFileEnv = "IMM_BENCH_USAGE_FILE"

// workspace is a Terraform working folder with a CLI configuration of its
// own: dev_overrides to one provider folder, or none (terraform_data).
type workspace struct {
	dir       string
	env       []string
	usageFile string
}

func newWorkspace(root, name, providerDir string) (*workspace, error) {
	base := filepath.Join(root, name)
	work := filepath.Join(base, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		return nil, err
	}
	rc := ""
	if providerDir != "" {
		rc = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"immlabs/imm\" = %q\n  }\n  direct {}\n}\n", providerDir)
	}
	rcFile := filepath.Join(base, "terraformrc")
	if err := os.WriteFile(rcFile, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	w := &workspace{dir: work, usageFile: filepath.Join(base, "usage.jsonl")}
	// As a user runs Terraform: no TF_LOG* variable (they change what the
	// provider does), no prompts, no update check.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_LOG") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			w.env = append(w.env, kv)
		}
	}
	w.env = append(w.env, "TF_CLI_CONFIG_FILE="+rcFile, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_INPUT=0",
		usageFileEnv+"="+w.usageFile)
	return w, nil
}

func (w *workspace) write(config string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600)
}

// run is one terraform command's outcome.
type run struct {
	wall   time.Duration
	exit   int
	output string
	usage  []Usage
	// cpu is the terraform process's user and system time, with that of
	// the processes it waited for (the provider processes).
	cpu time.Duration
}

// terraform runs terraform with args and measures it. An exit code other
// than 0 is not an error here: plan -detailed-exitcode answers 2 for a diff.
func (w *workspace) terraform(ctx context.Context, args ...string) (run, error) {
	if err := os.Remove(w.usageFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return run{}, err
	}
	cmd := exec.CommandContext(ctx, "terraform", append(args, "-no-color", "-input=false")...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := run{wall: time.Since(start), output: out.String()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.exit = exit.ExitCode()
	case err != nil:
		return r, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	r.usage, err = readUsage(w.usageFile)
	return r, err
}

// mustSucceed runs terraform and fails unless it exits with one of ok
// (default: 0).
func (w *workspace) mustSucceed(ctx context.Context, ok []int, args ...string) (run, error) {
	r, err := w.terraform(ctx, args...)
	if err != nil {
		return r, err
	}
	if len(ok) == 0 {
		ok = []int{0}
	}
	for _, code := range ok {
		if r.exit == code {
			return r, nil
		}
	}
	return r, fmt.Errorf("terraform %s exited %d:\n%s", strings.Join(args, " "), r.exit, tail(r.output, 40))
}

// Usage is one provider process as cmd measure recorded it.
type Usage struct {
	CPUSeconds  float64 `json:"cpu_s"`
	PeakRSSKB   int64   `json:"peak_rss_kb"`
	WallSeconds float64 `json:"wall_s"`
}

func readUsage(path string) ([]Usage, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Usage
	s := bufio.NewScanner(f)
	for s.Scan() {
		var u Usage
		if err := json.Unmarshal(s.Bytes(), &u); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, u)
	}
	return out, s.Err()
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
