package credentials

import (
	"errors"
	"net/http"
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
		{name: "an ARN that is not a role ARN", id: emulator.DefaultAccessKeyID, key: emulator.DefaultAccessKeySecret,
			roleARN: "arn:aws:iam::1:role/x", wantCode: "InvalidParameter.RoleArn"},
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
