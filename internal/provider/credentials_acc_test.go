package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/credentials/credentialstest"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// Terraform-driven credential tests: the provider in the test process, real
// terraform, the emulator (over TLS where STS is involved). Each provider
// reads an envVars instead of the process environment, so these tests run in
// parallel; only the TRACE-log test sets process variables.

// credentialConfig is a provider block pointing at endpoint with the given
// credential lines (no keys of its own) and one imm_project.
func credentialConfig(endpoint, project string, providerLines ...string) string {
	return fmt.Sprintf(`
provider "imm" {
  region   = "cn-hangzhou"
  endpoint = %q
  %s
}

resource "imm_project" "test" {
  project_name = %q
}
`, endpoint, strings.Join(providerLines, "\n  "), project)
}

// assumeRoleBlock is an assume_role block with the given lines.
func assumeRoleBlock(lines ...string) string {
	return "assume_role {\n    " + strings.Join(lines, "\n    ") + "\n  }"
}

// errorText matches the parts in order, however Terraform wraps the lines of
// a diagnostic (it breaks between words and starts each line with "│").
func errorText(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j := range words {
			words[j] = regexp.QuoteMeta(words[j])
		}
		quoted[i] = strings.Join(words, `[\s│]+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, `.*`))
}

// checkIMMRequestsSignedBy checks that every IMM request so far was signed
// with a key that want accepts and none was refused for its credential (a
// read may still miss a project just created: the emulator's reads lag).
func checkIMMRequestsSignedBy(e *emulator.Emulator, what string, want func(keyID string) bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		n := 0
		for _, r := range e.Requests() {
			if r.Action == "AssumeRole" {
				continue
			}
			n++
			if isCredentialCode(r.Code) || !want(r.AccessKeyId) {
				return fmt.Errorf("%s signed by %q answered %d %s; want %s", r.Action, r.AccessKeyId, r.Status, r.Code, what)
			}
		}
		if n == 0 {
			return fmt.Errorf("no IMM request was made")
		}
		return nil
	}
}

func TestAccCredentials_conflictingArgumentsFailAtPlan(t *testing.T) {
	env := newEnvVars()
	step := func(re *regexp.Regexp, lines ...string) resource.TestStep {
		return resource.TestStep{
			Config:      credentialConfig("http://127.0.0.1:1", "never_created", lines...),
			PlanOnly:    true,
			ExpectError: re,
		}
	}
	oidc := func(lines ...string) string {
		return "assume_role_with_oidc {\n    " + strings.Join(lines, "\n    ") + "\n  }"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(clock.Real{}, env),
		Steps: []resource.TestStep{
			step(errorText(`Attribute "secret_key" must be specified when "access_key" is specified`),
				`access_key = "LTAIx"`),
			step(errorText(`Attribute "access_key" must be specified when "security_token" is specified`),
				`security_token = "t"`),
			step(errorText(`Attribute "profile" cannot be specified when "access_key" is specified`),
				`access_key = "LTAIx"`, `secret_key = "s"`, `profile = "work"`),
			step(errorText(`Attribute "assume_role_with_oidc[0].role_arn" cannot be specified when "access_key" is specified`),
				`access_key = "LTAIx"`, `secret_key = "s"`,
				oidc(`role_arn = "`+testRoleARN+`"`, `oidc_provider_arn = "acs:ram::1234567890123456:oidc-provider/ack"`, `oidc_token_file = "/t"`)),
			step(errorText(`Attribute "credentials_uri" cannot be specified when "ecs_role_name" is specified`),
				`ecs_role_name = "r"`, `credentials_uri = "http://127.0.0.1:9/creds"`),
			step(errorText(`assume_role {`, `The argument "role_arn" is required, but no definition was found.`),
				assumeRoleBlock(`session_name = "s1"`)),
			step(errorText(`assume_role_with_oidc {`, `The argument "oidc_token_file" is required`),
				oidc(`role_arn = "`+testRoleARN+`"`, `oidc_provider_arn = "acs:ram::1234567890123456:oidc-provider/ack"`)),
			step(errorText(`Attribute assume_role list must contain at most 1 elements, got: 2`),
				assumeRoleBlock(`role_arn = "`+testRoleARN+`"`), assumeRoleBlock(`role_arn = "`+testRoleARN+`"`)),
			step(errorText(`Invalid policy`, `assume_role[0].policy must be a JSON object`),
				assumeRoleBlock(`role_arn = "`+testRoleARN+`"`, `policy = "Statement: allow"`)),
			step(errorText(`Attribute assume_role[0].session_expiration value must be between 900 and 43200, got: 600`),
				assumeRoleBlock(`role_arn = "`+testRoleARN+`"`, `session_expiration = 600`)),
			step(errorText(`Invalid STS endpoint`, `must be host[:port] or https://host[:port]`),
				assumeRoleBlock(`role_arn = "`+testRoleARN+`"`, `sts_endpoint = "http://sts.aliyuncs.com"`)),
		},
	})
}

func TestAccCredentials_stsTokenFromIMMVariables_expiredTokenNamesCodeAndSource(t *testing.T) {
	e := newSTSEmulator(t, emulator.Options{})
	token := e.MintSTSToken(t, testRoleARN, 3600)
	vars := newEnvVars("IMM_ACCESS_KEY_ID", token.AccessKeyId, "IMM_ACCESS_KEY_SECRET", token.AccessKeySecret,
		"IMM_SESSION_TOKEN", token.SecurityToken)
	config := credentialConfig(e.URL(), "acc_sts_env")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, vars),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: checkIMMRequestsSignedBy(e.Emulator, "the token from IMM_*",
					func(id string) bool { return id == token.AccessKeyId }),
			},
			{
				// Two hours on, the token IMM_SESSION_TOKEN holds has expired.
				PreConfig: func() { e.Clock.Advance(2 * time.Hour) },
				Config:    config,
				ExpectError: errorText("Code: InvalidSecurityToken.Expired", "The STS security token has expired",
					"The credentials came from the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN."),
			},
			{
				// A fresh token in the same variables: everything works again
				// (and the destroy at the end can run).
				PreConfig: func() {
					fresh := e.MintSTSToken(t, testRoleARN, 3600)
					vars.Set("IMM_ACCESS_KEY_ID", fresh.AccessKeyId, "IMM_ACCESS_KEY_SECRET", fresh.AccessKeySecret,
						"IMM_SESSION_TOKEN", fresh.SecurityToken)
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccCredentials_rejectedAccessKeyNamesCodeAndSource(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	keys := func(id, secret string) string {
		return fmt.Sprintf("access_key = %q\n  secret_key = %q", id, secret)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: credentialConfig(env.emu.URL(), "acc_wrong_secret", keys(emulator.DefaultAccessKeyID, "not-the-secret")),
				ExpectError: errorText("Code: SignatureDoesNotMatch", "The AccessKey secret does not match the AccessKey ID",
					"The credentials came from the provider arguments access_key, secret_key and security_token."),
			},
			{
				Config: credentialConfig(env.emu.URL(), "acc_unknown_key", keys("LTAIkeyNobodyIssued", "whatever")),
				ExpectError: errorText("Code: InvalidAccessKeyId.NotFound", "The AccessKey ID is unknown",
					"The credentials came from the provider arguments access_key"),
			},
		},
	})
}

func TestAccCredentials_profileFromTemporaryHome(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	home := t.TempDir()
	writeTestFile(t, filepath.Join(home, ".aliyun", "config.json"), mustJSON(map[string]any{
		"current": "default",
		"profiles": []any{
			akProfile("default", "LTAIwrongDefault"),
			map[string]any{"name": "imm-ci", "mode": "AK", "access_key_id": emulator.DefaultAccessKeyID,
				"access_key_secret": emulator.DefaultAccessKeySecret},
		},
	}))
	vars := newEnvVars("HOME", home, "USERPROFILE", home)
	signedByProfile := checkIMMRequestsSignedBy(env.emu.Emulator, "the imm-ci profile's key",
		func(id string) bool { return id == emulator.DefaultAccessKeyID })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(env.clock, vars),
		Steps: []resource.TestStep{
			{
				Config: credentialConfig(env.emu.URL(), "acc_profile", `profile = "imm-ci"`),
				Check:  signedByProfile,
			},
			{
				// The same profile named by ALIBABA_CLOUD_PROFILE instead.
				PreConfig:        func() { vars.Set("ALIBABA_CLOUD_PROFILE", "imm-ci") },
				Config:           credentialConfig(env.emu.URL(), "acc_profile"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            signedByProfile,
			},
		},
	})
}

func TestAccCredentials_credentialsURIServedByATestServer(t *testing.T) {
	e := newSTSEmulator(t, emulator.Options{})
	token := e.MintSTSToken(t, testRoleARN, 3600)
	uri := credentialstest.NewCredentialsURIServer(t, token)
	vars := newEnvVars("ALIBABA_CLOUD_CREDENTIALS_URI", uri.URL)
	signedByURI := checkIMMRequestsSignedBy(e.Emulator, "the key the credentials URI serves",
		func(id string) bool { return id == token.AccessKeyId })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, vars),
		Steps: []resource.TestStep{
			{
				Config: credentialConfig(e.URL(), "acc_uri"),
				Check:  signedByURI,
			},
			{
				// The same URI as the credentials_uri argument.
				PreConfig:        func() { vars.Set("ALIBABA_CLOUD_CREDENTIALS_URI", "") },
				Config:           credentialConfig(e.URL(), "acc_uri", fmt.Sprintf("credentials_uri = %q", uri.URL)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            signedByURI,
			},
		},
	})
}

func TestAccCredentials_assumeRoleRefusalAtConfigureNamesRoleAndCode(t *testing.T) {
	e := newSTSEmulator(t, emulator.Options{Roles: []string{testRoleARN}})
	missing := "acs:ram::1234567890123456:role/not-there"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, newEnvVars()),
		Steps: []resource.TestStep{{
			Config: credentialConfig(e.URL(), "never_created",
				fmt.Sprintf("access_key = %q\n  secret_key = %q", emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret),
				assumeRoleBlock(fmt.Sprintf("role_arn = %q", missing), fmt.Sprintf("sts_endpoint = %q", e.Host()))),
			ExpectError: errorText("Could not assume the RAM role", "could not assume the role "+missing,
				"Code: EntityNotExist.Role", "The role does not exist."),
		}},
	})
}

// TestAccCredentials_assumeRoleTraceLogHoldsNoSecret applies with TF_LOG=TRACE
// and searches the whole log, Terraform's and the provider's, for every
// secret in play: the base STS token given as provider arguments, and every
// credential the emulator's STS issued for the role.
//
// How the logs are captured: terraform-plugin-testing passes TF_ACC_LOG_PATH
// to terraform (as TF_LOG_PATH, at the TF_ACC_LOG level) and the provider
// under test, which runs in this process, logs through terraform-plugin-log's
// test sink, which appends to the same TF_ACC_LOG_PATH at TRACE. Setting
// process variables keeps this test out of parallel.
func TestAccCredentials_assumeRoleTraceLogHoldsNoSecret(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", "")
	t.Setenv("TF_LOG_CORE", "")

	e := newSTSEmulator(t, emulator.Options{})
	base := e.MintSTSToken(t, testRoleARN, 3600)
	role := "acs:ram::1234567890123456:role/imm-deployer"
	// The base token reaches the provider through input variables, as it
	// would from a pipeline's TF_VAR_*: terraform-plugin-testing logs the
	// configuration text it writes at TRACE, so literals in it would show up
	// in the log whatever Terraform and the provider do. The variables are not
	// marked sensitive: the provider schema's Sensitive flags are under test.
	hcl := `
variable "access_key" { type = string }
variable "secret_key" { type = string }
variable "security_token" { type = string }
` + credentialConfig(e.URL(), "acc_trace",
		"access_key = var.access_key\n  secret_key = var.secret_key\n  security_token = var.security_token",
		assumeRoleBlock(fmt.Sprintf("role_arn = %q", role), "session_expiration = 3600",
			`policy = jsonencode({ Version = "1", Statement = [{ Effect = "Allow", Action = ["imm:*"], Resource = ["*"] }] })`,
			fmt.Sprintf("sts_endpoint = %q", "https://"+e.Host())))
	variables := config.Variables{
		"access_key":     config.StringVariable(base.AccessKeyId),
		"secret_key":     config.StringVariable(base.AccessKeySecret),
		"security_token": config.StringVariable(base.SecurityToken),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, newEnvVars()),
		Steps: []resource.TestStep{{
			Config:          hcl,
			ConfigVariables: variables,
			Check: checkIMMRequestsSignedBy(e.Emulator, "a key issued for the role", func(id string) bool {
				for _, c := range e.IssuedCredentials() {
					if c.AccessKeyId == id && id != base.AccessKeyId {
						return true
					}
				}
				return false
			}),
		}},
	})

	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	// Both logs are there, at TRACE: otherwise the search below proves nothing.
	requireContains(t, log, "Terraform version:", "[TRACE]", "IMM credentials chosen", "IMM request succeeded",
		"the role "+role+", assumed with the credentials from the provider arguments")
	issued := e.IssuedCredentials()
	if len(issued) < 3 { // the base token, then one role session per terraform command at least
		t.Fatalf("the emulator issued %d credentials; want the base token and role sessions", len(issued))
	}
	secrets := []string{base.AccessKeySecret, base.SecurityToken, emulator.DefaultAccessKeySecret}
	for _, c := range issued {
		secrets = append(secrets, c.AccessKeySecret, c.SecurityToken)
	}
	requireAbsentFromLog(t, log, secrets...)
}

// requireAbsentFromLog fails if the log holds any of the secrets, showing
// where without printing the log (or the secret) whole.
func requireAbsentFromLog(t *testing.T, log string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		for i, line := range strings.Split(log, "\n") {
			if j := strings.Index(line, secret); j >= 0 {
				start := max(0, j-120)
				t.Errorf("log line %d holds a secret (%.4s…): …%s<SECRET>…", i+1, secret, line[start:j])
				break
			}
		}
	}
}
