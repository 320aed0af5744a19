package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The measuring wrapper must be invisible to Terraform (same arguments,
// streams and exit code) and record the provider process it ran.
func TestTheMeasuringWrapperRunsTheRealBinaryAndRecordsItsUsage(t *testing.T) {
	dir := t.TempDir()
	wrapper := filepath.Join(dir, providerBinary)
	if out, err := exec.Command("go", "build", "-o", wrapper, module+"/internal/bench/measure").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o700); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho \"args: $*\"\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "real", providerBinary), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	usageFile := filepath.Join(dir, "usage.jsonl")
	cmd := exec.Command(wrapper, "-debug", "x")
	cmd.Env = append(os.Environ(), usageFileEnv+"="+usageFile)
	out, err := cmd.Output()
	if cmd.ProcessState.ExitCode() != 3 {
		t.Errorf("exit code %d (%v), want the real binary's 3", cmd.ProcessState.ExitCode(), err)
	}
	if string(out) != "args: -debug x\n" {
		t.Errorf("output %q, want the real binary's, with the arguments passed on", out)
	}
	usage, err := readUsage(usageFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(usage) != 1 || usage[0].PeakRSSKB <= 0 {
		t.Errorf("usage lines %+v, want one with the process's peak RSS", usage)
	}
}
