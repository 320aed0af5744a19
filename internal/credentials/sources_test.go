package credentials

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immlabs/terraform-provider-imm/internal/credentials/credentialstest"
)

// Tests of the choice of a source. Sources the emulator can serve are
// exercised against it (AssumeRole over TLS); the ECS metadata service, an
// OIDC token exchange and a credentials URI against httptest stand-ins.

func TestCredentialSources_eachWorksAlone(t *testing.T) {
	metadata := newFakeMetadataService(t, "imm-ecs-role", fakeSTSCredential("STS.fromECS"))
	oidcSTS := newFakeOIDCSTS(t, fakeSTSCredential("STS.fromOIDC"))
	uriServer := credentialstest.NewCredentialsURIServer(t, fakeSTSCredential("STS.fromURI"))

	cases := []struct {
		name       string
		setup      func(w *credWorld)
		wantSource string
		wantKeyID  string
		check      func(t *testing.T, w *credWorld)
	}{
		{
			name: "provider arguments, AccessKey",
			setup: func(w *credWorld) {
				w.s.AccessKey, w.s.SecretKey = "LTAIargs", "secret-args"
			},
			wantSource: "the provider arguments access_key, secret_key and security_token", wantKeyID: "LTAIargs",
		},
		{
			name: "provider arguments, STS token",
			setup: func(w *credWorld) {
				w.s.AccessKey, w.s.SecretKey, w.s.SecurityToken = "STS.args", "secret-args", "token-args"
			},
			wantSource: "the provider arguments access_key", wantKeyID: "STS.args",
		},
		{
			name: "profile argument, aliyun CLI AK mode",
			setup: func(w *credWorld) {
				w.s.Profile = "imm"
				w.addCLIProfile(akProfile("default", "LTAIdefault"))
				w.addCLIProfile(akProfile("imm", "LTAIprofile"))
			},
			wantSource: `the profile "imm" of `, wantKeyID: "LTAIprofile",
		},
		{
			name: "profile argument, aliyun CLI StsToken mode",
			setup: func(w *credWorld) {
				w.s.Profile = "sts"
				w.addCLIProfile(map[string]any{"name": "sts", "mode": "StsToken", "access_key_id": "STS.profile",
					"access_key_secret": "s", "sts_token": "t"})
			},
			wantSource: `the profile "sts" of `, wantKeyID: "STS.profile",
		},
		{
			name: "shared_credentials_file argument, its current profile",
			setup: func(w *credWorld) {
				file := filepath.Join(w.home, "elsewhere", "cli.json")
				writeTestFile(w.t, file, `{"current":"work","profiles":[`+mustJSON(akProfile("work", "LTAIshared"))+`]}`)
				w.s.SharedCredentialsFile = file
			},
			wantSource: `the profile "work" of `, wantKeyID: "LTAIshared",
		},
		{
			name: "profile argument, credentials.ini section",
			setup: func(w *credWorld) {
				w.s.Profile = "ini-profile"
				w.addINISection("ini-profile", "type = access_key", "access_key_id = LTAIini", "access_key_secret = s")
			},
			wantSource: filepath.Join(".alibabacloud", "credentials") + " (the provider argument profile", wantKeyID: "LTAIini",
		},
		{
			name: "ecs_role_name argument, through the metadata service",
			setup: func(w *credWorld) {
				w.t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "")
				w.s.ECSRoleName = "imm-ecs-role"
				w.proxy = metadata.URL
			},
			wantSource: `the ECS instance RAM role "imm-ecs-role"`, wantKeyID: "STS.fromECS",
			check: func(t *testing.T, w *credWorld) {
				requireContains(t, strings.Join(metadata.requested(), "\n"),
					"PUT /latest/api/token", "GET /latest/meta-data/ram/security-credentials/imm-ecs-role")
			},
		},
		{
			name: "assume_role_with_oidc block",
			setup: func(w *credWorld) {
				tokenFile := filepath.Join(w.home, "token")
				writeTestFile(w.t, tokenFile, "oidc-token-from-file")
				w.s.AssumeRoleWithOIDC = &AssumeRoleWithOIDC{RoleARN: testRoleARN,
					OIDCProviderARN: "acs:ram::1234567890123456:oidc-provider/ack", OIDCTokenFile: tokenFile,
					SessionExpiration: 1800, Policy: `{"Version":"1"}`,
					STSEndpoint: "https://" + oidcSTS.host()}
			},
			wantSource: "assumed with the OIDC token in", wantKeyID: "STS.fromOIDC",
			check: func(t *testing.T, w *credWorld) {
				form := oidcSTS.lastForm(t)
				want := map[string]string{"RoleArn": testRoleARN, "OIDCProviderArn": "acs:ram::1234567890123456:oidc-provider/ack",
					"OIDCToken": "oidc-token-from-file", "RoleSessionName": DefaultRoleSessionName, "DurationSeconds": "1800",
					"Policy": `{"Version":"1"}`}
				for k, v := range want {
					if form[k] != v {
						t.Errorf("AssumeRoleWithOIDC %s = %q, want %q", k, form[k], v)
					}
				}
			},
		},
		{
			name:       "credentials_uri argument",
			setup:      func(w *credWorld) { w.s.CredentialsURI = uriServer.URL + "/credentials" },
			wantSource: "the provider argument credentials_uri", wantKeyID: "STS.fromURI",
		},
		{
			name: "IMM_* variables (seed 004)",
			setup: func(w *credWorld) {
				w.env.Set("IMM_ACCESS_KEY_ID", "STS.imm", "IMM_ACCESS_KEY_SECRET", "s", "IMM_SESSION_TOKEN", "t")
			},
			wantSource: "the environment variables IMM_ACCESS_KEY_ID", wantKeyID: "STS.imm",
		},
		{
			name: "ALIBABA_CLOUD_* variables",
			setup: func(w *credWorld) {
				w.env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
			},
			wantSource: "the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID", wantKeyID: "LTAIalibaba",
		},
		{
			name: "ALICLOUD_* variables (the alicloud provider's)",
			setup: func(w *credWorld) {
				w.env.Set("ALICLOUD_ACCESS_KEY", "STS.alicloud", "ALICLOUD_SECRET_KEY", "s", "ALICLOUD_SECURITY_TOKEN", "t")
			},
			wantSource: "the environment variables ALICLOUD_ACCESS_KEY", wantKeyID: "STS.alicloud",
		},
		{
			name:       "ALIBABA_CLOUD_CREDENTIALS_URI variable",
			setup:      func(w *credWorld) { w.env.Set("ALIBABA_CLOUD_CREDENTIALS_URI", uriServer.URL) },
			wantSource: "the environment variable ALIBABA_CLOUD_CREDENTIALS_URI", wantKeyID: "STS.fromURI",
		},
		{
			name: "ALIBABA_CLOUD_PROFILE variable",
			setup: func(w *credWorld) {
				w.env.Set("ALIBABA_CLOUD_PROFILE", "from-env")
				w.addCLIProfile(akProfile("from-env", "LTAIenvprofile"))
			},
			wantSource: `the profile "from-env" of `, wantKeyID: "LTAIenvprofile",
		},
		{
			name: "default chain, the aliyun CLI's current profile in HOME",
			setup: func(w *credWorld) {
				w.cliCurrent = "current"
				w.addCLIProfile(akProfile("current", "LTAIcurrent"))
			},
			wantSource: "credentials-go's default chain", wantKeyID: "LTAIcurrent",
		},
		{
			name: "default chain, the default section of ~/.alibabacloud/credentials",
			setup: func(w *credWorld) {
				w.addINISection("default", "type = access_key", "access_key_id = LTAIinidefault", "access_key_secret = s")
			},
			wantSource: "credentials-go's default chain", wantKeyID: "LTAIinidefault",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			isolateProcessEnvironment(t, w.home)
			tc.setup(w)
			cred, err := w.resolve()
			if err != nil {
				t.Fatalf("no credential: %v", err)
			}
			requireContains(t, cred.Source, tc.wantSource)
			if got := accessKeyIDOf(t, cred); got != tc.wantKeyID {
				t.Errorf("AccessKey ID %q, want %q", got, tc.wantKeyID)
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

// TestCredentialSources_wiringOfModesThatNeedTheCloud covers the sources
// whose network end no test can stand in for, because credentials-go fixes
// the address (the aliyun CLI's RamRoleArn mode talks to
// sts.<sts_region>.aliyuncs.com, its EcsRamRole mode to 100.100.100.200) or
// because the provider passes no endpoint (the OIDC environment variables
// use credentials-go's default STS). Each test proves that the provider
// handed the right settings to credentials-go, by the way the attempt fails
// before it leaves the machine.
func TestCredentialSources_wiringOfModesThatNeedTheCloud(t *testing.T) {
	// A DNS label longer than 63 characters fails to resolve at once,
	// without a query, on any machine.
	unresolvable := strings.Repeat("x", 64)
	cases := []struct {
		name      string
		setup     func(w *credWorld)
		wantInErr []string
	}{
		{
			name: "aliyun CLI RamRoleArn mode assumes the profile's role at the profile's STS region",
			setup: func(w *credWorld) {
				w.s.Profile = "role"
				w.addCLIProfile(map[string]any{"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIbase",
					"access_key_secret": "base-secret-never-shown", "ram_role_arn": testRoleARN, "ram_session_name": "s1",
					"sts_region": unresolvable})
			},
			wantInErr: []string{`the profile "role" of`, "sts." + unresolvable + ".aliyuncs.com", "(query removed)"},
		},
		{
			name: "aliyun CLI EcsRamRole mode asks the ECS metadata service (turned off here)",
			setup: func(w *credWorld) {
				w.s.Profile = "ecs"
				w.addCLIProfile(map[string]any{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "imm-role"})
			},
			wantInErr: []string{`the profile "ecs" of`, "IMDS credentials is disabled"},
		},
		{
			name: "OIDC variables go to credentials-go's OIDC provider, which reads the token file they name",
			setup: func(w *credWorld) {
				w.env.Set("ALIBABA_CLOUD_ROLE_ARN", testRoleARN,
					"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1234567890123456:oidc-provider/ack",
					"ALIBABA_CLOUD_OIDC_TOKEN_FILE", filepath.Join(w.home, "no-such-token"))
			},
			wantInErr: []string{"the role " + testRoleARN + ", assumed with the OIDC token in",
				"the environment variables ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE",
				"no-such-token: no such file or directory"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			isolateProcessEnvironment(t, w.home)
			tc.setup(w)
			cred, err := w.resolve()
			if err == nil {
				t.Fatalf("got a credential from %s; want the attempt to fail", cred.Source)
			}
			errText := requireSourceError(t, err)
			requireContains(t, errText, tc.wantInErr...)
			requireAbsent(t, errText, "base-secret-never-shown")
		})
	}
}

func TestOIDCSettingsFromEnvironment(t *testing.T) {
	env := credentialstest.NewEnv("ALIBABA_CLOUD_ROLE_ARN", testRoleARN, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p",
		"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/secrets/token", "ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-a")
	got, err := oidcSettingsFromEnv(env.Get)
	if err != nil {
		t.Fatal(err)
	}
	want := oidcSettings{roleARN: testRoleARN, providerARN: "acs:ram::1:oidc-provider/p", tokenFile: "/var/run/secrets/token",
		sessionName: "pod-a", durationSeconds: DefaultSessionExpiration}
	if *got != want {
		t.Errorf("settings %+v, want %+v", *got, want)
	}
	if s, err := oidcSettingsFromEnv(credentialstest.NewEnv("ALIBABA_CLOUD_ROLE_ARN", testRoleARN).Get); s != nil || err != nil {
		t.Errorf("ALIBABA_CLOUD_ROLE_ARN alone: got %+v, %v; want the source left unconfigured", s, err)
	}
}

// precedenceSources are the credential sources in the documented order
// (DECISIONS.md), each able to set itself up in a world and to recognise
// itself in the chosen source's name.
var precedenceSources = []struct {
	name      string
	argument  bool // a provider argument; the schema lets only one be set
	setup     func(w *credWorld)
	recognise string
}{
	{"access_key", true, func(w *credWorld) { w.s.AccessKey, w.s.SecretKey = "LTAIargs", "s" },
		"the provider arguments access_key"},
	{"profile", true, func(w *credWorld) {
		w.s.Profile = "argprofile"
		w.addCLIProfile(akProfile("argprofile", "LTAIargprofile"))
	}, `"argprofile"`},
	{"ecs_role_name", true, func(w *credWorld) { w.s.ECSRoleName = "imm-role" }, "ecs_role_name"},
	{"assume_role_with_oidc", true, func(w *credWorld) {
		w.s.AssumeRoleWithOIDC = &AssumeRoleWithOIDC{RoleARN: testRoleARN,
			OIDCProviderARN: "acs:ram::1:oidc-provider/p", OIDCTokenFile: "/token"}
	}, "assume_role_with_oidc"},
	{"credentials_uri", true, func(w *credWorld) { w.s.CredentialsURI = "http://127.0.0.1:1/creds" },
		"the provider argument credentials_uri"},
	{"IMM_*", false, func(w *credWorld) { w.env.Set("IMM_ACCESS_KEY_ID", "LTAIimm", "IMM_ACCESS_KEY_SECRET", "s") },
		"IMM_ACCESS_KEY_ID"},
	{"ALIBABA_CLOUD_*", false, func(w *credWorld) {
		w.env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
	}, "ALIBABA_CLOUD_ACCESS_KEY_ID"},
	{"ALICLOUD_*", false, func(w *credWorld) { w.env.Set("ALICLOUD_ACCESS_KEY", "LTAIalicloud", "ALICLOUD_SECRET_KEY", "s") },
		"ALICLOUD_ACCESS_KEY"},
	{"OIDC variables", false, func(w *credWorld) {
		w.env.Set("ALIBABA_CLOUD_ROLE_ARN", testRoleARN, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p",
			"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/token")
	}, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
	{"ALIBABA_CLOUD_CREDENTIALS_URI", false, func(w *credWorld) {
		w.env.Set("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/creds")
	}, "ALIBABA_CLOUD_CREDENTIALS_URI"},
	{"ALIBABA_CLOUD_PROFILE", false, func(w *credWorld) {
		w.env.Set("ALIBABA_CLOUD_PROFILE", "envprofile")
		w.addCLIProfile(akProfile("envprofile", "LTAIenvprofile"))
	}, `"envprofile"`},
	{"default chain", false, func(w *credWorld) {
		w.cliCurrent = "chain"
		w.addCLIProfile(akProfile("chain", "LTAIchain"))
	}, "credentials-go's default chain"},
}

// TestCredentialPrecedence_everyPair sets up every pair of sources at once
// and checks that the one earlier in the documented order is chosen. Pairs
// of two provider arguments are left out: the schema refuses them at plan
// time (TestAccCredentials_conflictingArgumentsFailAtPlan).
func TestCredentialPrecedence_everyPair(t *testing.T) {
	// No source is asked for a credential here, but building the ECS one
	// fails when the machine turns the metadata service off.
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "")
	t.Setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "")
	for i, higher := range precedenceSources {
		for _, lower := range precedenceSources[i+1:] {
			if higher.argument && lower.argument {
				continue
			}
			t.Run(higher.name+" over "+lower.name, func(t *testing.T) {
				t.Parallel()
				w := newCredWorld(t)
				higher.setup(w)
				lower.setup(w)
				chosen := w.chosenSource()
				if !strings.Contains(chosen, higher.recognise) {
					t.Errorf("chose %q; want %s over %s", chosen, higher.name, lower.name)
				}
			})
		}
	}
}

// TestCredentialPrecedence_resolvesTheWinner checks a few pairs end to end:
// the credential signed with is the winner's.
func TestCredentialPrecedence_resolvesTheWinner(t *testing.T) {
	w := newCredWorld(t)
	isolateProcessEnvironment(t, w.home)
	w.env.Set("IMM_ACCESS_KEY_ID", "LTAIimm", "IMM_ACCESS_KEY_SECRET", "s",
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s",
		"ALICLOUD_ACCESS_KEY", "LTAIalicloud", "ALICLOUD_SECRET_KEY", "s",
		"ALIBABA_CLOUD_PROFILE", "envprofile")
	w.cliCurrent = "envprofile"
	w.addCLIProfile(akProfile("envprofile", "LTAIenvprofile"))
	for _, step := range []struct {
		remove []string
		want   string
	}{
		{nil, "LTAIimm"},
		{[]string{"IMM_ACCESS_KEY_ID", "IMM_ACCESS_KEY_SECRET"}, "LTAIalibaba"},
		{[]string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"}, "LTAIalicloud"},
		{[]string{"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY"}, "LTAIenvprofile"},
	} {
		for _, v := range step.remove {
			w.env.Set(v, "")
		}
		cred, err := w.resolve()
		if err != nil {
			t.Fatal(err)
		}
		if got := accessKeyIDOf(t, cred); got != step.want {
			t.Errorf("after removing %v: signed with %s, want %s", step.remove, got, step.want)
		}
	}
	w.s.AccessKey, w.s.SecretKey = "LTAIargs", "s"
	if cred, _ := w.resolve(); cred == nil || accessKeyIDOf(t, cred) != "LTAIargs" {
		t.Errorf("provider arguments do not win over the environment")
	}
}

func TestResolve_noSourceIsOneErrorListingEverySourceInOrder(t *testing.T) {
	w := newCredWorld(t)
	isolateProcessEnvironment(t, w.home)
	_, err := w.resolve()
	var none *NoSourceError
	if !errors.As(err, &none) {
		t.Fatalf("error %T %v, want a *NoSourceError", err, err)
	}
	// One line per source, as the provider lists them.
	var lines []string
	for _, a := range none.Tried[:len(none.Tried)-1] {
		if a.Err != nil {
			t.Errorf("%s: %v, want not set", a.Source, a.Err)
		}
		lines = append(lines, fmt.Sprintf("%s: not set (%s)", a.Source, a.Hint))
	}
	chain := none.Tried[len(none.Tried)-1]
	if chain.Err == nil {
		t.Errorf("the default chain's attempt has no error")
	}
	lines = append(lines, chain.Source+": "+chain.Hint)
	text := strings.Join(lines, "\n")
	requireContains(t, text,
		"the provider arguments access_key, secret_key and security_token: not set (set access_key and secret_key in the provider block)",
		"the provider argument profile: not set",
		"the provider argument ecs_role_name: not set",
		"the provider block assume_role_with_oidc: not set",
		"the provider argument credentials_uri: not set",
		"IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN: not set (export IMM_ACCESS_KEY_ID and IMM_ACCESS_KEY_SECRET",
		"ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN: not set",
		"ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY and ALICLOUD_SECURITY_TOKEN: not set",
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE: not set",
		"the environment variable ALIBABA_CLOUD_CREDENTIALS_URI: not set",
		"the environment variable ALIBABA_CLOUD_PROFILE: not set (export ALIBABA_CLOUD_PROFILE=NAME)",
		"credentials-go's default chain", "run `aliyun configure`")
	// The list follows the documented order.
	if strings.Index(text, "IMM_ACCESS_KEY_ID") > strings.Index(text, "ALICLOUD_ACCESS_KEY") ||
		strings.Index(text, "credentials_uri: not set") > strings.Index(text, "IMM_ACCESS_KEY_ID") ||
		strings.Index(text, "ALIBABA_CLOUD_PROFILE: not set") > strings.Index(text, "default chain") {
		t.Errorf("sources are not listed in precedence order:\n%s", text)
	}
}

func TestResolve_misconfiguredSourceSaysWhat(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Code":"Forbidden","Message":"sidecar says no"}`, http.StatusForbidden)
	}))
	t.Cleanup(failing.Close)
	cases := []struct {
		name   string
		setup  func(w *credWorld)
		want   []string
		absent []string
	}{
		{
			name:  "an AccessKey ID without its secret",
			setup: func(w *credWorld) { w.env.Set("IMM_ACCESS_KEY_ID", "LTAIx") },
			want: []string{"the credentials from the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN can't be used",
				"IMM_ACCESS_KEY_ID and IMM_ACCESS_KEY_SECRET must be set together (IMM_ACCESS_KEY_SECRET is empty)"},
		},
		{
			name:  "a security token without keys",
			setup: func(w *credWorld) { w.env.Set("ALICLOUD_SECURITY_TOKEN", "token-alone") },
			want:  []string{"ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY must be set together (ALICLOUD_ACCESS_KEY is empty)"},
		},
		{
			name: "OIDC variables without the role",
			setup: func(w *credWorld) {
				w.env.Set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t")
			},
			want: []string{"the OIDC variables must be set together; ALIBABA_CLOUD_ROLE_ARN is not set"},
		},
		{
			name: "a profile the named file does not have",
			setup: func(w *credWorld) {
				w.s.Profile = "missing"
				w.s.SharedCredentialsFile = filepath.Join(w.home, ".aliyun", "config.json")
				w.addCLIProfile(akProfile("one", "LTAIone"))
				w.addCLIProfile(akProfile("two", "LTAItwo"))
			},
			want: []string{`has no profile "missing" (it has "one", "two")`},
		},
		{
			name: "a profile in neither file",
			setup: func(w *credWorld) {
				w.s.Profile = "nowhere"
				w.addCLIProfile(akProfile("one", "LTAIone"))
			},
			want: []string{`the profile "nowhere" of `, filepath.Join(".alibabacloud", "credentials") + " (the provider argument profile",
				"config.json has no such profile", "Can not open file"},
		},
		{
			name: "a credentials URI that refuses, with a token in its query",
			setup: func(w *credWorld) {
				w.s.CredentialsURI = failing.URL + "/creds?token=uri-secret-token"
			},
			want:   []string{"the provider argument credentials_uri", "Code:       Forbidden", "sidecar says no"},
			absent: []string{"uri-secret-token"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			isolateProcessEnvironment(t, w.home)
			tc.setup(w)
			cred, err := w.resolve()
			if err == nil {
				t.Fatalf("got a credential from %s", cred.Source)
			}
			errText := requireSourceError(t, err)
			requireContains(t, errText, tc.want...)
			requireAbsent(t, errText, tc.absent...)
		})
	}
}
