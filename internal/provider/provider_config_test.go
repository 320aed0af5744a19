package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// Tests of the provider block's own rules: every documented form is checked
// at plan time (terraform validate), before any request, and an empty string
// means "not set" for every optional string argument.

// providerConfigValue is a provider configuration as Terraform sends it: cfg,
// then each of set applied over it.
func providerConfigValue(t *testing.T, cfg providerModel, set map[string]any) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var resp providerSchemaResponse
	resp.load(t)
	if cfg.AssumeRole == nil {
		cfg.AssumeRole = []assumeRoleModel{}
	}
	if cfg.AssumeRoleWithOIDC == nil {
		cfg.AssumeRoleWithOIDC = []assumeRoleWithOIDCModel{}
	}
	if cfg.DefaultTags == nil {
		cfg.DefaultTags = []defaultTagsModel{}
	}
	if cfg.IgnoreTags == nil {
		cfg.IgnoreTags = []ignoreTagsModel{}
	}
	plan := tfsdk.Plan{Schema: resp.schema, Raw: tftypes.NewValue(resp.schema.Type().TerraformType(ctx), nil)}
	if d := plan.Set(ctx, &cfg); d.HasError() {
		t.Fatal(d)
	}
	for name, v := range set {
		if d := plan.SetAttribute(ctx, settingPath(name), v); d.HasError() {
			t.Fatalf("setting %s: %v", name, d)
		}
	}
	return tfsdk.Config{Schema: resp.schema, Raw: plan.Raw}
}

// validateProviderConfig asks the provider to validate cfg, as terraform
// validate and plan do (the ValidateProviderConfig RPC).
func validateProviderConfig(t *testing.T, cfg tfsdk.Config) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server := providerserver.NewProtocol6(&immProvider{version: "test", clock: clock.Real{}, getenv: newEnvVars().Get})()
	value, err := tfprotov6.NewDynamicValue(cfg.Raw.Type(), cfg.Raw)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &value})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func protoDiagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%v: %s\n%s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// validRoleBlocks are blocks whose required attributes are well formed.
var (
	validAssumeRole = []assumeRoleModel{{RoleARN: types.StringValue(testRoleARN)}}
	validOIDC       = []assumeRoleWithOIDCModel{{RoleARN: types.StringValue(testRoleARN),
		OIDCProviderARN: types.StringValue("acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1234"),
		OIDCTokenFile:   types.StringValue("/var/run/secrets/token")}}
)

// withBlockOf is cfg with the block that holds the argument name, if any.
func withBlockOf(name string) providerModel {
	var cfg providerModel
	switch {
	case strings.HasPrefix(name, "assume_role."):
		cfg.AssumeRole = validAssumeRole
	case strings.HasPrefix(name, "assume_role_with_oidc."):
		cfg.AssumeRoleWithOIDC = validOIDC
	}
	return cfg
}

func TestProviderValidate_refusesMalformedValuesNamingTheAttribute(t *testing.T) {
	bigPolicy := `{"Version":"1","Statement":[],"Note":"` + strings.Repeat("图", 2020) + `"}` // 2060 characters, 6000 bytes
	cases := []struct {
		name        string
		value       any
		wantSummary string
		wantDetail  string
		notShown    bool // the value is not echoed (it may hold a token)
	}{
		{"assume_role.role_arn", "arn:aws:iam::123:role/x", "Invalid role ARN",
			"assume_role[0].role_arn must be a RAM role ARN, acs:ram::<account id>:role/<role name>", false},
		{"assume_role.role_arn", "acs:ram::12ab:role/x", "Invalid role ARN", "must be a RAM role ARN", false},
		{"assume_role.role_arn", "acs:ram::123:role/", "Invalid role ARN", "must be a RAM role ARN", false},
		{"assume_role.role_arn", "acs:ram::123:role/a b", "Invalid role ARN", "1-64 letters, digits, periods (.) or hyphens (-)", false},
		{"assume_role.role_arn", "acs:ram::123:role/" + strings.Repeat("r", 65), "Invalid role ARN", "must be a RAM role ARN", false},
		{"assume_role_with_oidc.role_arn", "acs:ram::123:oidc-provider/ack", "Invalid role ARN",
			"assume_role_with_oidc[0].role_arn must be a RAM role ARN", false},
		{"assume_role_with_oidc.oidc_provider_arn", testRoleARN, "Invalid OIDC provider ARN",
			"assume_role_with_oidc[0].oidc_provider_arn must be a RAM OIDC provider ARN, acs:ram::<account id>:oidc-provider/<name>", false},
		{"assume_role_with_oidc.oidc_provider_arn", "acs:ram::123:oidc-provider/-ack", "Invalid OIDC provider ARN",
			"starting and ending with a letter or a digit", false},
		{"assume_role.session_name", "a", "Invalid role session name",
			"assume_role[0].session_name must be 2-64 letters, digits, periods (.), at signs (@), hyphens (-) or underscores (_)", false},
		{"assume_role_with_oidc.session_name", "ci run", "Invalid role session name", "must be 2-64 letters", false},
		{"assume_role.external_id", "x", "Invalid external ID", "assume_role[0].external_id must be 2-1224 letters, digits", false},
		{"assume_role.external_id", "id with spaces", "Invalid external ID", "must be 2-1224", false},
		{"assume_role.external_id", strings.Repeat("e", 1225), "Invalid external ID", "must be 2-1224", false},
		{"assume_role.policy", "[]", "Invalid policy", "assume_role[0].policy must be a JSON object of at most 2048 characters", false},
		{"assume_role_with_oidc.policy", bigPolicy, "Invalid policy", "must be a JSON object of at most 2048 characters", false},
		{"assume_role.sts_endpoint", "http://sts.aliyuncs.com", "Invalid STS endpoint",
			"assume_role[0].sts_endpoint must be host[:port] or https://host[:port], with no path", false},
		{"assume_role_with_oidc.sts_endpoint", "sts.aliyuncs.com/v1", "Invalid STS endpoint", "with no path", false},
		{"assume_role.session_expiration", int64(899), "Invalid Attribute Value", "value must be between 900 and 43200, got: 899", false},
		{"assume_role_with_oidc.session_expiration", int64(43201), "Invalid Attribute Value", "must be between 900 and 43200", false},
		{"ecs_role_name", "role name", "Invalid role name",
			"ecs_role_name must be a RAM role name: 1-64 letters, digits, periods (.) or hyphens (-)", false},
		{"ecs_role_name", strings.Repeat("r", 65), "Invalid role name", "must be a RAM role name", false},
		{"credentials_uri", "ftp://sidecar/creds?token=s3cret", "Invalid URL", "credentials_uri must be an http:// or https:// URL", true},
		{"region", "CN-HANGZHOU", "Invalid Attribute Value Match", `region must be a region ID such as cn-hangzhou`, false},
		{"region", "cn_hangzhou", "Invalid Attribute Value Match", "must be a region ID", false},
		{"endpoint", "ftp://imm.cn-hangzhou.aliyuncs.com", "Invalid endpoint",
			"endpoint must be host[:port] or https://host[:port] (http:// only for a loopback address such as the local emulator)", false},
		{"endpoint", "http://imm.cn-hangzhou.aliyuncs.com", "Invalid endpoint", "plain http is allowed only for a loopback address", false},
		{"endpoint", "imm.cn-hangzhou.aliyuncs.com/v1", "Invalid endpoint", "with no path, query or user", false},
		{"consistency_window", "5 minutes", "Invalid duration", `consistency_window must be a positive duration such as "5m"`, false},
		{"max_retries", int64(101), "Invalid Attribute Value", "max_retries value must be between 0 and 100", false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s=%.40v", tc.name, tc.value), func(t *testing.T) {
			var v any
			switch x := tc.value.(type) {
			case string:
				v = types.StringValue(x)
			case int64:
				v = types.Int64Value(x)
			}
			diags := validateProviderConfig(t, providerConfigValue(t, withBlockOf(tc.name), map[string]any{tc.name: v}))
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
				t.Fatalf("want one error, got:\n%s", protoDiagText(diags))
			}
			d := diags[0]
			if d.Summary != tc.wantSummary || !strings.Contains(d.Detail, tc.wantDetail) {
				t.Errorf("got %q: %q\nwant %q: …%s…", d.Summary, d.Detail, tc.wantSummary, tc.wantDetail)
			}
			if want := settingPath(tc.name).String(); d.Attribute == nil || attributePathString(d.Attribute) != want {
				t.Errorf("diagnostic at %v, want %s", d.Attribute, want)
			}
			if s, ok := tc.value.(string); ok {
				shown := strings.Contains(d.Detail, s) || strings.Contains(d.Detail, fmt.Sprintf("%q", s))
				if shown == tc.notShown {
					t.Errorf("value shown = %v, want %v: %q", shown, !tc.notShown, d.Detail)
				}
			}
		})
	}
}

// attributePathString writes a protocol attribute path as path.Path does.
func attributePathString(p *tftypes.AttributePath) string {
	var b strings.Builder
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteString(".")
			}
			b.WriteString(string(s))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		}
	}
	return b.String()
}

// optionalStringArguments are the provider's optional string arguments, from
// its schema: "region", "assume_role.policy", ...
func optionalStringArguments(t *testing.T) []string {
	var resp providerSchemaResponse
	resp.load(t)
	var names []string
	add := func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			if s, ok := a.(schema.StringAttribute); ok && s.Optional {
				names = append(names, prefix+name)
			}
		}
	}
	add("", resp.schema.Attributes)
	for name, b := range resp.schema.Blocks {
		list, ok := b.(schema.ListNestedBlock)
		if !ok {
			t.Fatalf("block %s is a %T", name, b)
		}
		add(name+".", list.NestedObject.Attributes)
	}
	sort.Strings(names)
	return names
}

// TestProviderValidate_emptyStringIsValidForEveryOptionalStringArgument sets
// each optional string argument of the schema to "" in turn: none may be
// refused, whatever its rule, and none may conflict with another argument.
func TestProviderValidate_emptyStringIsValidForEveryOptionalStringArgument(t *testing.T) {
	names := optionalStringArguments(t)
	if len(names) < 15 {
		t.Fatalf("only %d optional string arguments found: %v", len(names), names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			cfg := withBlockOf(name)
			// Beside a credential source whose arguments conflict with the
			// others, "" must read as unset too, on both sides.
			switch {
			case strings.HasPrefix(name, "assume_role_with_oidc."):
			case name == "access_key" || name == "secret_key" || name == "security_token":
				cfg.CredentialsURI = types.StringValue("http://127.0.0.1:9/creds")
			default:
				cfg.AccessKey, cfg.SecretKey = types.StringValue("LTAIkey"), types.StringValue("secret")
			}
			if diags := validateProviderConfig(t, providerConfigValue(t, cfg, map[string]any{name: types.StringValue("")})); len(diags) > 0 {
				t.Errorf("%s = \"\" is refused:\n%s", name, protoDiagText(diags))
			}
		})
	}
}

// configure runs the provider's Configure on cfg with the environment env.
func configure(t *testing.T, cfg tfsdk.Config, env ...string) (*providerData, string) {
	t.Helper()
	p := &immProvider{version: "test", clock: clock.Real{}, getenv: newEnvVars(env...).Get}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: cfg}, &resp)
	if resp.Diagnostics.HasError() {
		return nil, diagText(resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("ResourceData is a %T", resp.ResourceData)
	}
	return data, ""
}

// TestProviderConfigure_emptyStringFallsBackAsUnsetDoes shows that an
// argument set to "" takes the value it would take if it were left out: the
// environment's, else the default.
func TestProviderConfigure_emptyStringFallsBackAsUnsetDoes(t *testing.T) {
	keys := map[string]any{"access_key": types.StringValue(emulator.DefaultAccessKeyID),
		"secret_key": types.StringValue(emulator.DefaultAccessKeySecret)}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range keys {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	empty := types.StringValue("")
	cases := []struct {
		name    string
		set     map[string]any
		env     []string
		wantErr string
		check   func(t *testing.T, d *providerData)
	}{
		{name: "region falls back to ALIBABA_CLOUD_REGION", set: with(map[string]any{"region": empty}),
			env: []string{"ALIBABA_CLOUD_REGION", "cn-shanghai"}},
		{name: "region falls back to ALICLOUD_REGION", set: with(map[string]any{"region": empty}),
			env: []string{"ALICLOUD_REGION", "cn-beijing"}},
		{name: "region without an environment is missing, not malformed", set: with(map[string]any{"region": empty}),
			wantErr: "No region configured"},
		{name: "endpoint falls back to IMM_ENDPOINT", set: with(map[string]any{"region": types.StringValue("cn-hangzhou"), "endpoint": empty}),
			env: []string{"IMM_ENDPOINT", "ftp://from-the-environment"}, wantErr: `scheme "ftp" is not supported`},
		{name: "consistency_window is the default", set: with(map[string]any{"region": types.StringValue("cn-hangzhou"), "consistency_window": empty}),
			check: func(t *testing.T, d *providerData) {
				if d.consistencyWindow != defaultConsistencyWindow {
					t.Errorf("consistency window %s, want %s", d.consistencyWindow, defaultConsistencyWindow)
				}
			}},
		{name: "keys fall back to the environment", set: map[string]any{"region": types.StringValue("cn-hangzhou"),
			"access_key": empty, "secret_key": empty, "security_token": empty},
			env: []string{"IMM_ACCESS_KEY_ID", "LTAIfromEnv", "IMM_ACCESS_KEY_SECRET", "s"}},
		{name: "a key set beside an empty secret is still half a pair", set: map[string]any{"region": types.StringValue("cn-hangzhou"),
			"access_key": types.StringValue("LTAIx"), "secret_key": empty},
			wantErr: `Attribute "secret_key" must be specified when "access_key" is specified`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Terraform validates first, then configures.
			cfg := providerConfigValue(t, providerModel{}, tc.set)
			var data *providerData
			errText := protoDiagText(validateProviderConfig(t, cfg))
			if errText == "" {
				data, errText = configure(t, cfg, tc.env...)
			}
			switch {
			case tc.wantErr != "" && !strings.Contains(errText, tc.wantErr):
				t.Fatalf("error %q, want %q", errText, tc.wantErr)
			case tc.wantErr == "" && errText != "":
				t.Fatalf("error: %s", errText)
			case tc.check != nil:
				tc.check(t, data)
			}
		})
	}
}

// providerBlock is a provider block with the given lines.
func providerBlock(lines ...string) string {
	return "provider \"imm\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// checkNoRequests fails when the emulator has been sent anything.
func checkNoRequests(t *testing.T, e *emulator.Emulator, after string) {
	t.Helper()
	if reqs := e.Requests(); len(reqs) > 0 {
		var actions []string
		for _, r := range reqs {
			actions = append(actions, r.Action)
		}
		t.Errorf("after %s the emulator got %v; want no request", after, actions)
		e.ClearRequests()
	}
}

// TestAccProvider_malformedValuesAreRefusedAtPlanWithNoRequest plans
// configurations whose only fault is the form of one value, with a working
// base credential and the emulator's STS as sts_endpoint: each is refused at
// plan time and the emulator's request log stays empty.
func TestAccProvider_malformedValuesAreRefusedAtPlanWithNoRequest(t *testing.T) {
	e := newSTSEmulator(t, emulator.Options{})
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeTestFile(t, tokenFile, "oidc-token")
	keys := fmt.Sprintf("access_key = %q\n  secret_key = %q", emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret)
	role := func(lines ...string) string {
		return keys + "\n  " + assumeRoleBlock(append(lines, fmt.Sprintf("sts_endpoint = %q", e.Host()))...)
	}
	oidc := func(lines ...string) string {
		return "assume_role_with_oidc {\n    " + strings.Join(append(lines, fmt.Sprintf("oidc_token_file = %q", tokenFile),
			fmt.Sprintf("sts_endpoint = %q", e.Host())), "\n    ") + "\n  }"
	}
	cases := []struct {
		name  string
		lines string
		want  *regexp.Regexp
	}{
		{"an AWS role ARN", role(`role_arn = "arn:aws:iam::123:role/x"`),
			errorText("Invalid role ARN", "assume_role[0].role_arn must be a RAM role ARN, acs:ram::<account id>:role/<role name>")},
		{"a role ARN without an account ID", role(`role_arn = "acs:ram:::role/x"`), errorText("Invalid role ARN")},
		{"an external ID with spaces", role(`role_arn = "`+testRoleARN+`"`, `external_id = "prod deployer"`),
			errorText("Invalid external ID", "assume_role[0].external_id must be 2-1224")},
		{"a policy over 2048 characters", role(`role_arn = "`+testRoleARN+`"`,
			`policy = jsonencode({ Version = "1", Statement = [], Note = "`+strings.Repeat("x", 2048)+`" })`),
			errorText("Invalid policy", "at most 2048 characters")},
		{"a one-character session name", role(`role_arn = "`+testRoleARN+`"`, `session_name = "x"`),
			errorText("assume_role[0].session_name must be 2-64 letters")},
		{"an OIDC provider ARN that is a role ARN", oidc(`role_arn = "`+testRoleARN+`"`, `oidc_provider_arn = "`+testRoleARN+`"`),
			errorText("Invalid OIDC provider ARN", "assume_role_with_oidc[0].oidc_provider_arn must be a RAM OIDC provider ARN")},
		{"an OIDC role ARN that is an OIDC provider ARN", oidc(`role_arn = "acs:ram::123:oidc-provider/ack"`,
			`oidc_provider_arn = "acs:ram::123:oidc-provider/ack"`), errorText("Invalid role ARN", "assume_role_with_oidc[0].role_arn")},
		{"an endpoint with a path", keys + fmt.Sprintf("\n  assume_role {\n    role_arn = %q\n    sts_endpoint = %q\n  }",
			testRoleARN, e.Host()+"/sts"), errorText("Invalid STS endpoint")},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		previous := "the start"
		if i > 0 {
			previous = cases[i-1].name
		}
		steps[i] = resource.TestStep{
			PreConfig: func() { checkNoRequests(t, e.Emulator, previous) },
			Config: providerBlock(`region = "cn-hangzhou"`, fmt.Sprintf("endpoint = %q", e.URL()), tc.lines) +
				`resource "imm_project" "test" { project_name = "never_created" }`,
			PlanOnly:    true,
			ExpectError: tc.want,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, newEnvVars()),
		Steps:                    steps,
	})
	checkNoRequests(t, e.Emulator, cases[len(cases)-1].name)
}

// TestTerraformValidate_refusesMalformedProviderValues runs the real
// terraform validate, which configures no provider and sends nothing, on a
// provider block whose values all have the wrong form.
func TestTerraformValidate_refusesMalformedProviderValues(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("needs terraform and a provider build: set TF_ACC=1")
	}
	tf := newTerraformCLI(t)
	tf.write("main.tf", providerBlock(`region = "CN-HANGZHOU"`, `endpoint = "ftp://imm.example.com"`, `ecs_role_name = "my role"`,
		assumeRoleBlock(`role_arn = "arn:aws:iam::123:role/x"`, `external_id = "x"`, `session_name = "s"`))+
		// Terraform validates the configuration of providers that something uses.
		`resource "imm_project" "p" { project_name = "validated" }`)
	out, code := tf.run("validate")
	if code == 0 {
		t.Fatalf("terraform validate accepted the configuration:\n%s", out)
	}
	for _, want := range []*regexp.Regexp{errorText("region must be a region ID"), errorText("Invalid endpoint"), errorText("Invalid role name"),
		errorText("Invalid role ARN"), errorText("Invalid external ID"), errorText("Invalid role session name")} {
		if !want.MatchString(out) {
			t.Errorf("terraform validate says nothing matching %s:\n%s", want, out)
		}
	}
}

// TestAccProvider_emptyStringArgumentMeansUnset applies, step by step, a
// provider block where some arguments are "", with the environment each step
// sets: the request the data source makes shows which credential, endpoint
// and region the provider took.
func TestAccProvider_emptyStringArgumentMeansUnset(t *testing.T) {
	e := newSTSEmulator(t, emulator.Options{})
	token := e.MintSTSToken(t, testRoleARN, 3600)
	home := t.TempDir()
	writeTestFile(t, filepath.Join(home, ".aliyun", "config.json"), mustJSON(map[string]any{"current": "", "profiles": []any{
		map[string]any{"name": "from-env", "mode": "StsToken", "access_key_id": token.AccessKeyId,
			"access_key_secret": token.AccessKeySecret, "sts_token": token.SecurityToken}}}))
	e.ClearRequests()
	vars := newEnvVars()
	keys := []string{fmt.Sprintf("access_key = %q", emulator.DefaultAccessKeyID), fmt.Sprintf("secret_key = %q", emulator.DefaultAccessKeySecret)}
	endpoint := fmt.Sprintf("endpoint = %q", e.URL())
	region := `region = "cn-hangzhou"`
	signedBy := func(keyID string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			reqs := e.RequestsFor("ListProjects")
			if len(reqs) == 0 {
				return fmt.Errorf("no ListProjects request reached the emulator")
			}
			if last := reqs[len(reqs)-1]; last.AccessKeyId != keyID || last.Status != 200 {
				return fmt.Errorf("ListProjects signed by %q answered %d %s, want %q", last.AccessKeyId, last.Status, last.Code, keyID)
			}
			return nil
		}
	}
	cases := []struct {
		name  string
		env   []string
		lines []string
		check resource.TestCheckFunc
		want  *regexp.Regexp
	}{
		{name: `region = "" takes ALIBABA_CLOUD_REGION`, env: []string{"ALIBABA_CLOUD_REGION", "cn-hangzhou"},
			lines: append([]string{`region = ""`, endpoint}, keys...), check: signedBy(emulator.DefaultAccessKeyID)},
		{name: `region = "" without a region in the environment`,
			lines: append([]string{`region = ""`, endpoint}, keys...), want: errorText("No region configured")},
		{name: `endpoint = "" takes IMM_ENDPOINT`, env: []string{"IMM_ENDPOINT", e.URL()},
			lines: append([]string{region, `endpoint = ""`}, keys...), check: signedBy(emulator.DefaultAccessKeyID)},
		{name: `empty keys take IMM_* keys`, env: []string{"IMM_ACCESS_KEY_ID", token.AccessKeyId,
			"IMM_ACCESS_KEY_SECRET", token.AccessKeySecret, "IMM_SESSION_TOKEN", token.SecurityToken},
			lines: []string{region, endpoint, `access_key = ""`, `secret_key = ""`, `security_token = ""`}, check: signedBy(token.AccessKeyId)},
		{name: `profile = "" takes ALIBABA_CLOUD_PROFILE`, env: []string{"HOME", home, "ALIBABA_CLOUD_PROFILE", "from-env"},
			lines: []string{region, endpoint, `profile = ""`, `shared_credentials_file = ""`}, check: signedBy(token.AccessKeyId)},
		{name: `empty sources beside keys conflict with nothing`,
			lines: append([]string{region, endpoint, `profile = ""`, `shared_credentials_file = ""`, `ecs_role_name = ""`,
				`credentials_uri = ""`, `consistency_window = ""`}, keys...), check: signedBy(emulator.DefaultAccessKeyID)},
		{name: `empty assume_role settings take their defaults`,
			lines: append([]string{region, endpoint, assumeRoleBlock(`role_arn = "`+testRoleARN+`"`, fmt.Sprintf("sts_endpoint = %q", e.Host()),
				`session_name = ""`, `policy = ""`, `external_id = ""`)}, keys...),
			check: func(*terraform.State) error {
				calls := e.RequestsFor("AssumeRole")
				if len(calls) == 0 {
					return fmt.Errorf("no AssumeRole request")
				}
				p := calls[len(calls)-1].Params
				if p["RoleSessionName"] != "terraform-provider-imm" || p["Policy"] != "" || p["ExternalId"] != "" {
					return fmt.Errorf("AssumeRole sent %v, want the default session name and no policy or external ID", p)
				}
				return nil
			}},
	}
	everyVariable := []string{"ALIBABA_CLOUD_REGION", "IMM_ENDPOINT", "IMM_ACCESS_KEY_ID", "IMM_ACCESS_KEY_SECRET", "IMM_SESSION_TOKEN",
		"HOME", "ALIBABA_CLOUD_PROFILE"}
	steps := make([]resource.TestStep, len(cases))
	for i, tc := range cases {
		steps[i] = resource.TestStep{
			PreConfig: func() {
				for _, v := range everyVariable {
					vars.Set(v, "")
				}
				vars.Set(tc.env...)
			},
			Config:      providerBlock(tc.lines...) + `data "imm_projects" "all" {}`,
			Check:       tc.check,
			ExpectError: tc.want,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providerFactoriesWithEnv(e.Clock, vars),
		Steps:                    steps,
	})
}

// TestAccProvider_emptyConsistencyWindowIsTheDefault: with
// consistency_window = "", a plan right after a create, while IMM's reads
// still lag, is empty, as with the default window.
func TestAccProvider_emptyConsistencyWindowIsTheDefault(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PropagationDelay: time.Minute})
	config := env.providerConfig(`consistency_window = ""`) + `resource "imm_project" "p" { project_name = "empty_window" }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: config},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
