package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// TestAccProviderVersionIsInTheUserAgentAndTheConfigureLog serves the
// provider with the version main.go passes on (what the release sets with
// -ldflags "-X main.version=..."), applies a project, and finds that version
// in the User-Agent of every request the emulator logged, and in the
// provider's INFO line at configure time. The log is captured as in
// TestAccCredentials_assumeRoleTraceLogHoldsNoSecret (TF_ACC_LOG_PATH), so
// this test does not run in parallel.
func TestAccProviderVersionIsInTheUserAgentAndTheConfigureLog(t *testing.T) {
	const version = "1.2.3-rc.1"
	// darabonba puts its own user agent first and appends the provider's.
	const userAgent = " terraform-provider-imm/" + version
	logFile := filepath.Join(t.TempDir(), "provider.log")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "INFO")
	t.Setenv("TF_LOG_PATH_MASK", "")

	env := newTestEnv(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"imm": providerserver.NewProtocol6WithError(NewWithClock(version, env.clock)()),
		},
		CheckDestroy: env.checkProjectGone("acc_versioned"),
		Steps: []resource.TestStep{{
			Config: env.projectConfig("acc_versioned"),
			// Every request so far is the provider's.
			Check: func(*terraform.State) error { return userAgentsEndWith(env.requests(), userAgent) },
		}},
	})

	// CheckDestroy's own reads come after the step's check; the destroy is
	// the provider's.
	deletes := env.requests("DeleteProject")
	if len(deletes) != 1 {
		t.Errorf("the destroy sent %d DeleteProject requests, want 1", len(deletes))
	}
	if err := userAgentsEndWith(deletes, userAgent); err != nil {
		t.Error(err)
	}

	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var configureLines int
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "Configuring the IMM provider") {
			configureLines++
			if !strings.Contains(line, "[INFO]") || !strings.Contains(line, "version="+version) {
				t.Errorf("configure log line without the version at INFO: %s", line)
			}
		}
	}
	if configureLines == 0 {
		t.Errorf("no %q line in the provider's log (%d bytes)", "Configuring the IMM provider", len(data))
	}
}

// userAgentsEndWith checks that there are requests and that each one's
// User-Agent ends with suffix.
func userAgentsEndWith(requests []emulator.Request, suffix string) error {
	if len(requests) == 0 {
		return fmt.Errorf("no requests to check")
	}
	for _, r := range requests {
		if !strings.HasSuffix(r.UserAgent, suffix) {
			return fmt.Errorf("%s sent User-Agent %q, want it to end with %q", r.Action, r.UserAgent, suffix)
		}
	}
	return nil
}
