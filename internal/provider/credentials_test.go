package provider

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/immlabs/terraform-provider-imm/internal/credentials"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Unit tests of the provider's side of its credentials: the diagnostics the
// chain's errors become, and the advice a refused credential gets. The chain
// itself is tested in internal/credentials.

// credentialDiagnostic maps err and requires exactly one error diagnostic.
func credentialDiagnostic(t *testing.T, err error) (summary, detail string, at path.Path) {
	t.Helper()
	diags := credentialDiagnostics(err)
	if len(diags) != 1 || !diags.HasError() {
		t.Fatalf("want exactly one error, got %d:\n%s", len(diags), diagText(diags))
	}
	if d, ok := diags[0].(interface{ Path() path.Path }); ok {
		at = d.Path()
	}
	return diags[0].Summary(), diags[0].Detail(), at
}

func TestCredentialDiagnostics_sourceErrorsNameTheSource(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Code":"InvalidAccessKeyId.NotFound","Message":"unknown key","RequestId":"URI-REQUEST"}`, http.StatusForbidden)
	}))
	t.Cleanup(refusing.Close)
	cases := []struct {
		name        string
		settings    credentials.Settings
		env         []string
		wantSummary string
		want        []string
	}{
		{name: "a key without its secret", env: []string{"IMM_ACCESS_KEY_ID", "LTAIx"}, wantSummary: "Invalid IMM credentials",
			want: []string{"The credentials from the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN can't be used: " +
				"IMM_ACCESS_KEY_ID and IMM_ACCESS_KEY_SECRET must be set together (IMM_ACCESS_KEY_SECRET is empty)"}},
		{name: "a credentials URI that refuses", settings: credentials.Settings{CredentialsURI: refusing.URL + "/creds?token=uri-secret"},
			wantSummary: "Invalid IMM credentials",
			want: []string{"The credentials from the provider argument credentials_uri could not be obtained: the service answered",
				"Code:       InvalidAccessKeyId.NotFound", "Request ID: URI-REQUEST", "The AccessKey ID is unknown",
				"The credentials came from the provider argument credentials_uri."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := credentials.Resolve(tc.settings, credentials.Environment{Getenv: newEnvVars(tc.env...).Get})
			summary, detail, _ := credentialDiagnostic(t, err)
			if summary != tc.wantSummary {
				t.Errorf("summary %q, want %q", summary, tc.wantSummary)
			}
			requireContains(t, detail, tc.want...)
			requireAbsent(t, detail, "uri-secret")
		})
	}
}

func TestCredentialDiagnostics_noSourceIsOneDiagnosticListingEverySource(t *testing.T) {
	err := &credentials.NoSourceError{Tried: []credentials.Attempt{
		{Source: "the provider arguments access_key, secret_key and security_token", Hint: "set access_key and secret_key in the provider block"},
		{Source: "credentials-go's default chain", Hint: "run `aliyun configure`",
			Err: errors.New(`Get "http://100.100.100.200/latest?token=s3cret": refused`)},
	}}
	summary, detail, _ := credentialDiagnostic(t, err)
	if summary != "No IMM credentials found" {
		t.Errorf("summary %q", summary)
	}
	requireContains(t, detail, "The IMM provider found no credentials. It looked, in this order, at:\n"+
		"- the provider arguments access_key, secret_key and security_token: not set (set access_key and secret_key in the provider block)\n"+
		"- credentials-go's default chain: Get \"http://100.100.100.200/latest?(query removed)\": refused (run `aliyun configure`)",
		"\n\nSet one of them. The provider documentation shows an example of each.")
	requireAbsent(t, detail, "s3cret")
}

// TestCredentialDiagnostics_assumeRoleRefusalNamesRoleCodeAndAdvice assumes
// roles through the emulator's STS and checks the diagnostic each refusal
// becomes.
func TestCredentialDiagnostics_assumeRoleRefusalNamesRoleCodeAndAdvice(t *testing.T) {
	t.Parallel()
	e := newSTSEmulator(t, emulator.Options{Roles: []string{testRoleARN}})
	cases := []struct {
		name    string
		id, key string
		roleARN string
		want    []string
	}{
		{name: "a role that does not exist", id: emulator.DefaultAccessKeyID, key: emulator.DefaultAccessKeySecret,
			roleARN: "acs:ram::1234567890123456:role/missing",
			want: []string{"The provider could not assume the role acs:ram::1234567890123456:role/missing (session \"terraform-provider-imm\") through " +
				e.Host() + " with the credentials from the provider arguments access_key", "Code:       EntityNotExist.Role",
				"The role does not exist. Check role_arn"}},
		{name: "an unknown base AccessKey", id: "LTAIunknownKey", key: "some-secret", roleARN: testRoleARN,
			want: []string{"Code:       InvalidAccessKeyId.NotFound", "The AccessKey ID is unknown",
				"The credentials came from the provider arguments access_key"}},
		{name: "a wrong base secret", id: emulator.DefaultAccessKeyID, key: "wrong-secret-value", roleARN: testRoleARN,
			want: []string{"Code:       SignatureDoesNotMatch", "The AccessKey secret does not match"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := credentials.Resolve(credentials.Settings{AccessKey: tc.id, SecretKey: tc.key,
				AssumeRole: &credentials.AssumeRole{RoleARN: tc.roleARN, STSEndpoint: e.Host()}}, credentials.Environment{Getenv: newEnvVars().Get})
			summary, detail, at := credentialDiagnostic(t, err)
			if summary != "Could not assume the RAM role" || !at.Equal(path.Root("assume_role")) {
				t.Errorf("summary %q at %s, want \"Could not assume the RAM role\" at assume_role", summary, at)
			}
			requireContains(t, detail, append([]string{"Request ID: "}, tc.want...)...)
			requireAbsent(t, detail, "wrong-secret-value", emulator.DefaultAccessKeySecret)
		})
	}
}

// TestCredentialDiagnostics_malformedSettingNamesTheAttribute: the chain
// applies the schema's rules again; its error points at the attribute.
func TestCredentialDiagnostics_malformedSettingNamesTheAttribute(t *testing.T) {
	_, err := credentials.Resolve(credentials.Settings{AccessKey: "LTAIx", SecretKey: "s",
		AssumeRole: &credentials.AssumeRole{RoleARN: "arn:aws:iam::1:role/x"}}, credentials.Environment{})
	summary, detail, at := credentialDiagnostic(t, err)
	if summary != "Invalid role ARN" || !at.Equal(path.Root("assume_role").AtListIndex(0).AtName("role_arn")) {
		t.Errorf("got %q at %s", summary, at)
	}
	requireContains(t, detail, `assume_role[0].role_arn must be a RAM role ARN, acs:ram::<account id>:role/<role name>`,
		`got "arn:aws:iam::1:role/x".`)

	_, err = credentials.Resolve(credentials.Settings{CredentialsURI: "ftp://host/creds?token=s3cret"}, credentials.Environment{})
	_, detail, at = credentialDiagnostic(t, err)
	if detail != "credentials_uri must be an http:// or https:// URL." || !at.Equal(path.Root("credentials_uri")) {
		t.Errorf("got %q at %s", detail, at)
	}
}

func TestCredentialDiagnostics_unreachableSTSAndRefusedSettings(t *testing.T) {
	unreachable := &credentials.AssumeRoleError{RoleARN: testRoleARN, SessionName: "s", BaseSource: "the profile \"ops\"", Sent: true,
		Err: errors.New(`Post "https://sts.example.com/?SecurityToken=secret-token": dial tcp: lookup sts.example.com: no such host`)}
	_, detail, _ := credentialDiagnostic(t, unreachable)
	requireContains(t, detail, "through the default STS endpoint with the credentials from the profile \"ops\"",
		"(query removed)", "Check sts_endpoint and that Terraform can reach it over HTTPS.")
	requireAbsent(t, detail, "secret-token")

	// STS's own refusal of a role ARN (the provider refuses malformed ones
	// before sending them, so this comes from STS rules stricter than RAM's
	// documents).
	refused := &credentials.AssumeRoleError{RoleARN: "acs:ram::1:role/x", SessionName: "s", BaseSource: "the profile \"ops\"", Sent: true,
		Err: errors.New(`refresh session token failed: {"Code":"InvalidParameter.RoleArn","Message":"bad","RequestId":"R-1"}`)}
	_, detail, _ = credentialDiagnostic(t, refused)
	requireContains(t, detail, "Code:       InvalidParameter.RoleArn", "Request ID: R-1", "role_arn is not a RAM role ARN")

	invalid := &credentials.AssumeRoleError{RoleARN: "", Err: errors.New("the RoleArn is empty")}
	summary, detail, at := credentialDiagnostic(t, invalid)
	if summary != "Invalid assume_role" || detail != "the RoleArn is empty" || !at.Equal(path.Root("assume_role")) {
		t.Errorf("got %q: %q at %s", summary, detail, at)
	}
}

// TestAPIErrorDetail_refusedCredentialNamesItsSource follows a refused
// credential from the IMM client to the diagnostic every resource builds.
func TestAPIErrorDetail_refusedCredentialNamesItsSource(t *testing.T) {
	t.Parallel()
	e := newSTSEmulator(t, emulator.Options{})
	token := e.MintSTSToken(t, testRoleARN, 900)
	cases := []struct {
		name     string
		env      []string
		advance  time.Duration
		wantCode string
		want     []string
	}{
		{name: "unknown AccessKey ID", env: []string{"IMM_ACCESS_KEY_ID", "LTAInobodyHasThis", "IMM_ACCESS_KEY_SECRET", "x"},
			wantCode: "InvalidAccessKeyId.NotFound",
			want: []string{"The AccessKey ID is unknown",
				"The credentials came from the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN."}},
		{name: "wrong secret", env: []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.DefaultAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong"},
			wantCode: "SignatureDoesNotMatch",
			want: []string{"The AccessKey secret does not match the AccessKey ID",
				"The credentials came from the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID"}},
		{name: "expired STS token", env: []string{"ALICLOUD_ACCESS_KEY", token.AccessKeyId, "ALICLOUD_SECRET_KEY", token.AccessKeySecret,
			"ALICLOUD_SECURITY_TOKEN", token.SecurityToken}, advance: time.Hour,
			wantCode: "InvalidSecurityToken.Expired",
			want: []string{"The STS security token has expired", "assume_role",
				"The credentials came from the environment variables ALICLOUD_ACCESS_KEY"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cred, err := credentials.Resolve(credentials.Settings{}, credentials.Environment{Getenv: newEnvVars(tc.env...).Get})
			if err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(tc.advance)
			_, err = newClientWithCredential(t, e.URL(), cred).GetProject(t.Context(), imm.GetProjectRequest{ProjectName: "p"})
			var apiErr *imm.Error
			if !errors.As(err, &apiErr) || apiErr.Code != tc.wantCode {
				t.Fatalf("error %v, want IMM code %s", err, tc.wantCode)
			}
			detail := apiErrorDetail(err, "")
			requireContains(t, detail, append([]string{"Code:       " + tc.wantCode, "Request ID: " + apiErr.RequestID}, tc.want...)...)
			requireAbsent(t, detail, token.AccessKeySecret, token.SecurityToken, emulator.DefaultAccessKeySecret)
		})
	}
}

func TestAPIErrorDetail_withoutANoteStillAdvises(t *testing.T) {
	detail := apiErrorDetail(&imm.Error{Action: "GetProject", Code: "SignatureDoesNotMatch", RequestID: "never-noted"}, "")
	requireContains(t, detail, "The AccessKey secret does not match", "The provider's log (TF_LOG=INFO) names the source")
	plain := apiErrorDetail(&imm.Error{Action: "GetProject", Code: "ResourceNotFound", RequestID: "x"}, "")
	if strings.Contains(plain, "credentials came from") || strings.Contains(plain, "TF_LOG") {
		t.Errorf("a non-credential error got credential advice:\n%s", plain)
	}
}

func newClientWithCredential(t *testing.T, url string, cred *credentials.Resolved) *imm.Client {
	t.Helper()
	ep, err := imm.ParseEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imm.New(imm.Config{Endpoint: ep, Region: "cn-hangzhou", Credential: cred.Credential, MaxRetries: 1,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 10 * time.Millisecond, CredentialSource: cred.Source})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAPIErrorDetail_failedRenewalNamesTheSource: a credential that cannot
// be renewed during an apply fails the IMM call with the source's name.
func TestAPIErrorDetail_failedRenewalNamesTheSource(t *testing.T) {
	err := fmt.Errorf("imm: GetProject: %w", &credentials.FetchError{Source: "the environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
		Err: errors.New(`refresh failed: {"Code":"Unavailable","Message":"sidecar restarting"}`)})
	requireContains(t, apiErrorDetail(err, ""), "could not get credentials from the environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
		"Code:       Unavailable", "sidecar restarting")
}

func TestProviderModelMatchesSchema(t *testing.T) {
	var resp providerSchemaResponse
	resp.load(t)
	checkModelMatchesSchema(t, resp.names(), providerModel{})
	checkModelMatchesSchema(t, resp.blockAttributeNames(t, "assume_role"), assumeRoleModel{})
	checkModelMatchesSchema(t, resp.blockAttributeNames(t, "assume_role_with_oidc"), assumeRoleWithOIDCModel{})
	for _, name := range []string{"secret_key", "security_token"} {
		if !resp.schema.Attributes[name].IsSensitive() {
			t.Errorf("%s is not sensitive", name)
		}
	}
	for name, a := range resp.schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no MarkdownDescription", name)
		}
	}
}
