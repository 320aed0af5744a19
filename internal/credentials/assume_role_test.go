package credentials

import (
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/credentials/credentialstest"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Tests of AssumeRole through the emulator's STS, over TLS.

// assumeRoleConfig is an assume_role block through the emulator's STS.
func assumeRoleConfig(e *credentialstest.STSEmulator, roleARN string) *AssumeRole {
	return &AssumeRole{RoleARN: roleARN, STSEndpoint: e.Host()}
}

func TestAssumeRole_throughTheEmulatorsSTS(t *testing.T) {
	t.Parallel()
	e := credentialstest.NewSTSEmulator(t, emulator.Options{})
	w := newCredWorld(t)
	w.s.AccessKey, w.s.SecretKey = emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret
	w.s.AssumeRole = &AssumeRole{RoleARN: testRoleARN, SessionName: "ci-run-42",
		SessionExpiration: 900, Policy: `{"Version":"1","Statement":[]}`,
		ExternalID: "ext-7", STSEndpoint: "https://" + e.Host()}
	cred, err := w.resolve()
	if err != nil {
		t.Fatal(err)
	}
	requireContains(t, cred.Source, "the role "+testRoleARN+", assumed with the credentials from the provider arguments access_key")
	issued := e.IssuedCredentials()
	if len(issued) != 1 || accessKeyIDOf(t, cred) != issued[0].AccessKeyId {
		t.Fatalf("signing key %q; the emulator issued %+v", accessKeyIDOf(t, cred), issued)
	}
	calls := e.RequestsFor("AssumeRole")
	if len(calls) != 1 {
		t.Fatalf("%d AssumeRole calls, want 1", len(calls))
	}
	want := map[string]string{"RoleArn": testRoleARN, "RoleSessionName": "ci-run-42", "DurationSeconds": "900",
		"Policy": `{"Version":"1","Statement":[]}`, "ExternalId": "ext-7"}
	for k, v := range want {
		if calls[0].Params[k] != v {
			t.Errorf("AssumeRole %s = %q, want %q", k, calls[0].Params[k], v)
		}
	}
	if calls[0].AccessKeyId != emulator.DefaultAccessKeyID {
		t.Errorf("AssumeRole signed by %q, want the base key", calls[0].AccessKeyId)
	}
}

func TestAssumeRole_chainsFromAnSTSToken(t *testing.T) {
	t.Parallel()
	e := credentialstest.NewSTSEmulator(t, emulator.Options{})
	base := e.MintSTSToken(t, testRoleARN, 3600)
	w := newCredWorld(t)
	w.env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", base.AccessKeyId, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", base.AccessKeySecret,
		"ALIBABA_CLOUD_SECURITY_TOKEN", base.SecurityToken)
	w.s.AssumeRole = assumeRoleConfig(e, "acs:ram::1234567890123456:role/second")
	cred, err := w.resolve()
	if err != nil {
		t.Fatal(err)
	}
	calls := e.RequestsFor("AssumeRole")
	if last := calls[len(calls)-1]; last.AccessKeyId != base.AccessKeyId || last.Status != http.StatusOK {
		t.Errorf("the chained AssumeRole was signed by %q (status %d), want the STS token %q", last.AccessKeyId, last.Status, base.AccessKeyId)
	}
	requireContains(t, cred.Source, "assumed with the credentials from the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID")
}

func TestAssumeRole_refusalNamesTheRoleAndTheCode(t *testing.T) {
	t.Parallel()
	e := credentialstest.NewSTSEmulator(t, emulator.Options{Roles: []string{testRoleARN}})
	base := e.MintSTSToken(t, testRoleARN, 3600)
	cases := []struct {
		name      string
		id, key   string
		token     string
		roleARN   string
		duration  int
		wantCode  string
		want      []string
		wantNotIn []string
	}{
		{name: "a role that does not exist", id: emulator.DefaultAccessKeyID, key: emulator.DefaultAccessKeySecret,
			roleARN: "acs:ram::1234567890123456:role/missing", wantCode: "EntityNotExist.Role",
			want: []string{"could not assume the role acs:ram::1234567890123456:role/missing"}},
		{name: "an unknown base AccessKey", id: "LTAIunknownKey", key: "some-secret", roleARN: testRoleARN,
			wantCode: "InvalidAccessKeyId.NotFound", want: []string{"with the credentials from the provider arguments access_key"}},
		{name: "a wrong base secret", id: emulator.DefaultAccessKeyID, key: "wrong-secret-value", roleARN: testRoleARN,
			wantCode: "SignatureDoesNotMatch", wantNotIn: []string{"wrong-secret-value"}},
		{name: "a chained session longer than an hour", id: base.AccessKeyId, key: base.AccessKeySecret, token: base.SecurityToken,
			roleARN: testRoleARN, duration: 7200, wantCode: "InvalidParameter.DurationSeconds",
			wantNotIn: []string{base.AccessKeySecret, base.SecurityToken}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			w.s.AccessKey, w.s.SecretKey, w.s.SecurityToken = tc.id, tc.key, tc.token
			w.s.AssumeRole = assumeRoleConfig(e, tc.roleARN)
			w.s.AssumeRole.SessionExpiration = tc.duration
			_, err := w.resolve()
			var roleErr *AssumeRoleError
			if !errors.As(err, &roleErr) || !roleErr.Sent {
				t.Fatalf("error %T %v, want an *AssumeRoleError from STS", err, err)
			}
			if r, ok := ParseRefusal(roleErr.Err); !ok || r.Code != tc.wantCode || r.RequestID == "" {
				t.Errorf("refusal %+v (found %v), want code %s with a request ID", r, ok, tc.wantCode)
			}
			text := err.Error()
			requireContains(t, text, append([]string{"Code:       " + tc.wantCode, "Request ID: "}, tc.want...)...)
			requireAbsent(t, text, append(tc.wantNotIn, emulator.DefaultAccessKeySecret)...)
		})
	}
}

// TestAssumeRole_renewedOnlyWithinThreeMinutesOfExpiry shows when the role's
// credentials are renewed during a run. credentials-go renews a session when
// its Expiration is 180 s or less ahead of the wall clock (it asks
// time.Now(), so no fake clock reaches it). The emulator's STS dates the
// Expiration by its own clock, so an emulator clock set back makes a
// 15-minute session that is already within the renewal margin: each IMM call
// then goes out with a freshly assumed role, and IMM accepts every one. With
// the emulator on time, the whole run uses one session.
func TestAssumeRole_renewedOnlyWithinThreeMinutesOfExpiry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		clockBehind   time.Duration
		wantSessions  int
		wantDistinct  int
		expiresWithin time.Duration
	}{
		{name: "a session expiring in 60 s is renewed before every call", clockBehind: (900 - 60) * time.Second,
			wantSessions: 4, wantDistinct: 3},
		{name: "a session expiring in 15 min is kept", clockBehind: 0, wantSessions: 1, wantDistinct: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := credentialstest.NewSTSEmulator(t, emulator.Options{})
			e.Clock.Set(time.Now().Add(-tc.clockBehind))
			w := newCredWorld(t)
			w.s.AccessKey, w.s.SecretKey = emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret
			w.s.AssumeRole = assumeRoleConfig(e, testRoleARN)
			w.s.AssumeRole.SessionExpiration = 900
			cred, err := w.resolve() // configure time: the first session
			if err != nil {
				t.Fatal(err)
			}
			client := newClientWithCredential(t, e.URL(), cred)
			ctx := t.Context()
			if _, err := client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "renewal"}); err != nil {
				t.Fatal(err)
			}
			if _, err := client.GetProject(ctx, imm.GetProjectRequest{ProjectName: "renewal"}); err != nil {
				t.Fatal(err)
			}
			if err := client.DeleteProject(ctx, "renewal"); err != nil {
				t.Fatal(err)
			}
			if n := len(e.RequestsFor("AssumeRole")); n != tc.wantSessions {
				t.Errorf("%d AssumeRole calls, want %d", n, tc.wantSessions)
			}
			keys := map[string]bool{}
			for _, r := range e.RequestsFor("CreateProject", "GetProject", "DeleteProject") {
				if r.Status != http.StatusOK {
					t.Errorf("%s refused: %s", r.Action, r.Code)
				}
				keys[r.AccessKeyId] = true
			}
			if len(keys) != tc.wantDistinct {
				t.Errorf("IMM calls signed with %d distinct keys, want %d", len(keys), tc.wantDistinct)
			}
		})
	}
}

func newClientWithCredential(t *testing.T, url string, cred *Resolved) *imm.Client {
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

// TestResolve_malformedSettingsAreRefusedBeforeAnyRequest gives Resolve a
// working key and the emulator's STS, and one setting of the wrong form: the
// error names the setting and its rule, and the emulator sees nothing.
func TestResolve_malformedSettingsAreRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	e := credentialstest.NewSTSEmulator(t, emulator.Options{})
	tokenFile := filepath.Join(t.TempDir(), "token")
	writeTestFile(t, tokenFile, "oidc-token")
	role := func(r AssumeRole) Settings {
		if r.RoleARN == "" {
			r.RoleARN = testRoleARN
		}
		r.STSEndpoint = e.Host()
		return Settings{AccessKey: emulator.DefaultAccessKeyID, SecretKey: emulator.DefaultAccessKeySecret, AssumeRole: &r}
	}
	oidc := func(o AssumeRoleWithOIDC) Settings {
		o.RoleARN = firstNonEmpty(o.RoleARN, testRoleARN)
		o.OIDCProviderARN = firstNonEmpty(o.OIDCProviderARN, "acs:ram::1234567890123456:oidc-provider/ack")
		o.OIDCTokenFile, o.STSEndpoint = tokenFile, e.Host()
		return Settings{AssumeRoleWithOIDC: &o}
	}
	cases := []struct {
		name        string
		settings    Settings
		wantSetting string
		wantText    string
	}{
		{"an AWS role ARN", role(AssumeRole{RoleARN: "arn:aws:iam::1:role/x"}), "assume_role.role_arn",
			`assume_role.role_arn must be a RAM role ARN, acs:ram::<account id>:role/<role name>, the role name 1-64 letters, ` +
				`digits, periods (.) or hyphens (-), got "arn:aws:iam::1:role/x"`},
		{"a role name with an underscore", role(AssumeRole{RoleARN: "acs:ram::1:role/imm_role"}), "assume_role.role_arn", "must be a RAM role ARN"},
		{"a one-character session name", role(AssumeRole{SessionName: "s"}), "assume_role.session_name", "must be 2-64 letters"},
		{"a session of ten minutes", role(AssumeRole{SessionExpiration: 600}), "assume_role.session_expiration",
			"must be between 900 and 43200 seconds"},
		{"an external ID with a space", role(AssumeRole{ExternalID: "a b"}), "assume_role.external_id", "must be 2-1224"},
		{"a policy that is a list", role(AssumeRole{Policy: "[]"}), "assume_role.policy", "must be a JSON object of at most 2048 characters"},
		{"a plain-HTTP STS endpoint", Settings{AccessKey: "LTAIx", SecretKey: "s",
			AssumeRole: &AssumeRole{RoleARN: testRoleARN, STSEndpoint: "http://" + e.Host()}}, "assume_role.sts_endpoint", "must be host[:port]"},
		{"an OIDC provider ARN that is a role ARN", oidc(AssumeRoleWithOIDC{OIDCProviderARN: testRoleARN}),
			"assume_role_with_oidc.oidc_provider_arn", "must be a RAM OIDC provider ARN"},
		{"an OIDC role ARN that is empty", Settings{AssumeRoleWithOIDC: &AssumeRoleWithOIDC{OIDCProviderARN: "acs:ram::1:oidc-provider/p",
			OIDCTokenFile: tokenFile, STSEndpoint: e.Host()}}, "assume_role_with_oidc.role_arn", `must be a RAM role ARN`},
		{"an ECS role name with a space", Settings{ECSRoleName: "my role"}, "ecs_role_name", "must be a RAM role name"},
		{"a credentials URI that is not HTTP", Settings{CredentialsURI: "ftp://sidecar/creds?token=s3cret"}, "credentials_uri",
			"credentials_uri must be an http:// or https:// URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Resolve(tc.settings, Environment{Getenv: credentialstest.NewEnv().Get})
			var settingErr *SettingError
			if !errors.As(err, &settingErr) || settingErr.Setting != tc.wantSetting {
				t.Fatalf("error %T %v, want a *SettingError for %s", err, err, tc.wantSetting)
			}
			requireContains(t, err.Error(), tc.wantText)
			requireAbsent(t, err.Error(), "s3cret")
		})
	}
	if reqs := e.Requests(); len(reqs) > 0 {
		t.Errorf("the emulator got %d requests, want none: %+v", len(reqs), reqs)
	}
}

// TestResolve_malformedOIDCVariablesAreRefusedBeforeAnyRequest: the values
// ACK's RRSA variables carry are checked as the block's are.
func TestResolve_malformedOIDCVariablesAreRefusedBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"a role ARN from another cloud", []string{"ALIBABA_CLOUD_ROLE_ARN", "arn:aws:iam::1:role/x"},
			`ALIBABA_CLOUD_ROLE_ARN must be a RAM role ARN, acs:ram::<account id>:role/<role name>`},
		{"a provider ARN that is a role ARN", []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", testRoleARN},
			"ALIBABA_CLOUD_OIDC_PROVIDER_ARN must be a RAM OIDC provider ARN"},
		{"a session name with a space", []string{"ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod a"},
			"ALIBABA_CLOUD_ROLE_SESSION_NAME must be 2-64 letters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := credentialstest.NewEnv("ALIBABA_CLOUD_ROLE_ARN", testRoleARN,
				"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/no/such/token")
			env.Set(tc.env...)
			_, err := Resolve(Settings{}, Environment{Getenv: env.Get})
			var misconfigured *MisconfiguredSourceError
			if !errors.As(err, &misconfigured) {
				t.Fatalf("error %T %v, want a *MisconfiguredSourceError", err, err)
			}
			requireContains(t, err.Error(), "the environment variables ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, "+
				"ALIBABA_CLOUD_OIDC_TOKEN_FILE can't be used", tc.want)
		})
	}
}
