package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
)

// Features of newer Terraform versions (provider functions 1.8, resource
// identity 1.12, list resources and actions 1.14) are tested only with a
// terraform that has them. The terraform a test runs is the one
// terraform-plugin-testing picks, and the one terraformCLI runs.

// howToGetNewerTerraform ends every skip message: where a newer terraform
// comes from, and how to point the tests at it.
const howToGetNewerTerraform = "install a newer Terraform (https://developer.hashicorp.com/terraform/install; " +
	"in this repository's CI: ../shared/tools/install-terraform-1.15.sh bin/terraform-1.15) and run the tests " +
	"with TF_ACC_TERRAFORM_PATH set to it, e.g. TF_ACC_TERRAFORM_PATH=$PWD/bin/terraform-1.15 make testacc"

// terraformBinary is the terraform the acceptance tests run, chosen as
// terraform-plugin-testing chooses it: TF_ACC_TERRAFORM_PATH when set, else
// the first terraform on PATH.
func terraformBinary() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH=%s is not an executable terraform: %w", p, err)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("terraform is not on PATH: install Terraform 1.5 or later to run the acceptance tests " +
			"(https://developer.hashicorp.com/terraform/install), or set TF_ACC_TERRAFORM_PATH to one")
	}
	return p, nil
}

// testTerraform is the terraform of this test process and its version, asked
// once.
var testTerraform struct {
	once    sync.Once
	path    string
	version string
	err     error
}

// terraformUnderTest returns the path and version of the terraform the
// acceptance tests run, running `terraform version -json` once per process.
func terraformUnderTest() (path, ver string, err error) {
	testTerraform.once.Do(func() {
		testTerraform.path, testTerraform.err = terraformBinary()
		if testTerraform.err != nil {
			return
		}
		testTerraform.version, testTerraform.err = askTerraformVersion(testTerraform.path)
	})
	return testTerraform.path, testTerraform.version, testTerraform.err
}

// askTerraformVersion runs `terraform version -json` (Terraform 0.13 and
// later) and returns its terraform_version, such as "1.15.9".
func askTerraformVersion(path string) (string, error) {
	cmd := exec.Command(path, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s version -json: %w", path, err)
	}
	var v struct {
		TerraformVersion string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.TerraformVersion == "" {
		return "", fmt.Errorf("%s version -json printed no terraform_version: %q", path, out)
	}
	return v.TerraformVersion, nil
}

// terraformAtLeast reports whether the terraform version found is minimum or
// later. A prerelease counts as its release (1.14.0-rc1 runs a test that needs
// 1.14.0), as terraform-plugin-testing's tfversion.SkipBelow does.
func terraformAtLeast(found, minimum string) (bool, error) {
	f, err := version.NewVersion(found)
	if err != nil {
		return false, fmt.Errorf("terraform version %q: %w", found, err)
	}
	m, err := version.NewVersion(minimum)
	if err != nil {
		return false, fmt.Errorf("minimum version %q: %w", minimum, err)
	}
	return !f.Core().LessThan(m), nil
}

// requireTerraform skips the test unless it is an acceptance run (TF_ACC is
// set) with a terraform of version minimum (such as "1.14.0") or later. The
// skip message names both versions and how to get a newer terraform. It fails
// the test when there is no terraform at all, as `make testacc` does.
func requireTerraform(t testing.TB, minimum string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	path, found, err := terraformUnderTest()
	if err != nil {
		t.Fatal(err)
	}
	reason, err := terraformTooOld(path, found, minimum)
	if err != nil {
		t.Fatal(err)
	}
	if reason != "" {
		t.Skip(reason)
	}
}

// terraformTooOld returns why a test that needs Terraform minimum cannot run
// with the terraform at path, of version found; "" when it can.
func terraformTooOld(path, found, minimum string) (string, error) {
	ok, err := terraformAtLeast(found, minimum)
	if err != nil || ok {
		return "", err
	}
	return fmt.Sprintf("needs Terraform %s or later, found Terraform %s (%s): %s", minimum, found, path, howToGetNewerTerraform), nil
}

func TestTerraformAtLeastComparesReleasesAndCountsPrereleasesAsTheirRelease(t *testing.T) {
	tests := []struct {
		found, minimum string
		want           bool
	}{
		{"1.15.9", "1.14.0", true},
		{"1.14.0", "1.14.0", true},
		{"1.11.4", "1.12.0", false},
		{"1.11.4", "1.8.0", true},
		{"1.9.0", "1.10.0", false}, // numeric, not lexical: 9 < 10
		{"1.10.0", "1.9.0", true},
		{"1.14.0-rc1", "1.14.0", true},    // a release candidate of the version needed runs the test
		{"1.14.0-beta2", "1.14.1", false}, // but not one of an older release
		{"v1.12.1", "1.12.0", true},       // a leading v, as `terraform version` prints
		{"2.0.0", "1.14.0", true},
	}
	for _, tt := range tests {
		got, err := terraformAtLeast(tt.found, tt.minimum)
		if err != nil || got != tt.want {
			t.Errorf("terraformAtLeast(%q, %q) = %v, %v; want %v", tt.found, tt.minimum, got, err, tt.want)
		}
	}
	for _, bad := range [][2]string{{"", "1.8.0"}, {"one.two", "1.8.0"}, {"1.11.4", "latest"}} {
		if _, err := terraformAtLeast(bad[0], bad[1]); err == nil {
			t.Errorf("terraformAtLeast(%q, %q) accepted a version that is not one", bad[0], bad[1])
		}
	}
}

func TestTerraformBinaryIsTheOneTerraformPluginTestingRuns(t *testing.T) {
	dir := t.TempDir()
	fake := dir + "/terraform-fake"
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho '{\"terraform_version\":\"1.13.2\"}'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", fake)
	got, err := terraformBinary()
	if err != nil || got != fake {
		t.Fatalf("terraformBinary() = %q, %v; want TF_ACC_TERRAFORM_PATH %q", got, err, fake)
	}
	if v, err := askTerraformVersion(got); err != nil || v != "1.13.2" {
		t.Errorf("askTerraformVersion = %q, %v; want 1.13.2", v, err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", dir+"/missing")
	if _, err := terraformBinary(); err == nil || !strings.Contains(err.Error(), "TF_ACC_TERRAFORM_PATH") {
		t.Errorf("terraformBinary() with a missing TF_ACC_TERRAFORM_PATH = %v, want an error naming it", err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", "")
	t.Setenv("PATH", dir)
	if _, err := terraformBinary(); err == nil || !strings.Contains(err.Error(), "not on PATH") {
		t.Errorf("terraformBinary() with no terraform = %v, want an error saying it is not on PATH", err)
	}
}

func TestTerraformTooOldNamesBothVersionsAndHowToGetANewerOne(t *testing.T) {
	reason, err := terraformTooOld("/usr/bin/terraform", "1.11.4", "1.14.0")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"needs Terraform 1.14.0 or later", "found Terraform 1.11.4 (/usr/bin/terraform)", "TF_ACC_TERRAFORM_PATH=", "install-terraform-1.15.sh"} {
		if !strings.Contains(reason, want) {
			t.Errorf("reason %q does not say %q", reason, want)
		}
	}
	if reason, err := terraformTooOld("/bin/terraform-1.15", "1.15.9", "1.14.0"); reason != "" || err != nil {
		t.Errorf("terraformTooOld(1.15.9, 1.14.0) = %q, %v; want it to run", reason, err)
	}
}
