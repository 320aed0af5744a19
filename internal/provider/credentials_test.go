package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Unit tests of credential resolution. Sources the emulator can serve are
// exercised against it (AssumeRole over TLS); the ECS metadata service, an
// OIDC token exchange and a credentials URI against httptest stand-ins.

// processCredentialVariables are the variables credentials-go reads from the
// process environment by itself, whatever the provider passes it.
var processCredentialVariables = []string{
	"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
	"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE",
	"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "ALIBABA_CLOUD_OIDC_TOKEN",
	"ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALIBABA_CLOUD_STS_REGION", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
	"ALIBABA_CLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "ALIBABA_CLOUD_ECS_METADATA",
	"ALIBABA_CLOUD_IMDSV1_DISABLED",
}

// isolateProcessEnvironment points the process's HOME at home, clears the
// variables credentials-go reads on its own, and turns credentials-go's ECS
// metadata client off, so that no test ever reaches a real metadata service
// (one answers at 100.100.100.200 on some build machines). Tests that call
// it cannot run in parallel.
func isolateProcessEnvironment(t *testing.T, home string) {
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	for _, v := range processCredentialVariables {
		t.Setenv(v, "")
	}
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
}

// stsExpiration formats a time as STS and the metadata service do.
func stsExpiration(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// fakeMetadataService stands in for the ECS instance metadata service.
// credentials-go fixes its address (http://100.100.100.200), so tests reach
// this server as an HTTP proxy through credentialEnv.http; it answers only
// requests addressed to the metadata service.
type fakeMetadataService struct {
	*httptest.Server
	mu    sync.Mutex
	paths []string
}

func newFakeMetadataService(t *testing.T, role string, cred issuedCredential) *fakeMetadataService {
	f := &fakeMetadataService{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.paths = append(f.paths, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		if r.Host != "100.100.100.200" {
			http.Error(w, "only the metadata service is served here", http.StatusBadGateway)
			return
		}
		if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
			_, _ = w.Write([]byte("imdsv2-token"))
			return
		}
		if r.Header.Get("X-Aliyun-Ecs-Metadata-Token") != "imdsv2-token" {
			http.Error(w, "IMDSv2 token missing", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/latest/meta-data/ram/security-credentials/":
			_, _ = w.Write([]byte(role))
		case "/latest/meta-data/ram/security-credentials/" + role:
			_ = json.NewEncoder(w).Encode(map[string]string{"Code": "Success", "AccessKeyId": cred.AccessKeyId,
				"AccessKeySecret": cred.AccessKeySecret, "SecurityToken": cred.SecurityToken,
				"Expiration": stsExpiration(time.Now().Add(6 * time.Hour)), "LastUpdated": stsExpiration(time.Now())})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeMetadataService) requested() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

// fakeOIDCSTS stands in for STS's AssumeRoleWithOIDC, over TLS.
type fakeOIDCSTS struct {
	*httptest.Server
	mu    sync.Mutex
	forms []map[string]string
}

func newFakeOIDCSTS(t *testing.T, cred issuedCredential) *fakeOIDCSTS {
	f := &fakeOIDCSTS{}
	f.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.URL.Query().Get("Action") != "AssumeRoleWithOIDC" {
			http.Error(w, `{"Code":"InvalidAction","Message":"only AssumeRoleWithOIDC"}`, http.StatusBadRequest)
			return
		}
		form := map[string]string{}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		f.mu.Lock()
		f.forms = append(f.forms, form)
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"RequestId": "OIDC-REQUEST", "Credentials": map[string]string{
			"AccessKeyId": cred.AccessKeyId, "AccessKeySecret": cred.AccessKeySecret, "SecurityToken": cred.SecurityToken,
			"Expiration": stsExpiration(time.Now().Add(time.Hour))}})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeOIDCSTS) host() string { return strings.TrimPrefix(f.URL, "https://") }

func (f *fakeOIDCSTS) lastForm(t *testing.T) map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		t.Fatal("the fake STS got no AssumeRoleWithOIDC request")
	}
	return f.forms[len(f.forms)-1]
}

// newCredentialsURIServer serves a credential as a credentials URI does.
func newCredentialsURIServer(t *testing.T, cred issuedCredential) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": cred.AccessKeyId,
			"AccessKeySecret": cred.AccessKeySecret, "SecurityToken": cred.SecurityToken,
			"Expiration": stsExpiration(time.Now().Add(time.Hour))})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func fakeSTSCredential(id string) issuedCredential {
	return issuedCredential{AccessKeyId: id, AccessKeySecret: "secret-of-" + id, SecurityToken: "token-of-" + id}
}

// akProfile is an aliyun CLI profile in AK mode.
func akProfile(name, id string) map[string]any {
	return map[string]any{"name": name, "mode": "AK", "access_key_id": id, "access_key_secret": "secret-of-" + id,
		"region_id": "cn-hangzhou"}
}

func TestCredentialSources_eachWorksAlone(t *testing.T) {
	metadata := newFakeMetadataService(t, "imm-ecs-role", fakeSTSCredential("STS.fromECS"))
	oidcSTS := newFakeOIDCSTS(t, fakeSTSCredential("STS.fromOIDC"))
	uriServer := newCredentialsURIServer(t, fakeSTSCredential("STS.fromURI"))

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
				w.cfg.AccessKey, w.cfg.SecretKey = str("LTAIargs"), str("secret-args")
			},
			wantSource: "the provider arguments access_key, secret_key and security_token", wantKeyID: "LTAIargs",
		},
		{
			name: "provider arguments, STS token",
			setup: func(w *credWorld) {
				w.cfg.AccessKey, w.cfg.SecretKey, w.cfg.SecurityToken = str("STS.args"), str("secret-args"), str("token-args")
			},
			wantSource: "the provider arguments access_key", wantKeyID: "STS.args",
		},
		{
			name: "profile argument, aliyun CLI AK mode",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("imm")
				w.addCLIProfile(akProfile("default", "LTAIdefault"))
				w.addCLIProfile(akProfile("imm", "LTAIprofile"))
			},
			wantSource: `the profile "imm" of `, wantKeyID: "LTAIprofile",
		},
		{
			name: "profile argument, aliyun CLI StsToken mode",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("sts")
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
				w.cfg.SharedCredentialsFile = str(file)
			},
			wantSource: `the profile "work" of `, wantKeyID: "LTAIshared",
		},
		{
			name: "profile argument, credentials.ini section",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("ini-profile")
				w.addINISection("ini-profile", "type = access_key", "access_key_id = LTAIini", "access_key_secret = s")
			},
			wantSource: filepath.Join(".alibabacloud", "credentials") + " (the provider argument profile", wantKeyID: "LTAIini",
		},
		{
			name: "ecs_role_name argument, through the metadata service",
			setup: func(w *credWorld) {
				w.t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "")
				w.cfg.ECSRoleName = str("imm-ecs-role")
				w.http = &providers.HttpOptions{Proxy: metadata.URL}
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
				w.cfg.AssumeRoleWithOIDC = []assumeRoleWithOIDCModel{{RoleARN: str(testRoleARN),
					OIDCProviderARN: str("acs:ram::1234567890123456:oidc-provider/ack"), OIDCTokenFile: str(tokenFile),
					SessionExpiration: types.Int64Value(1800), Policy: str(`{"Version":"1"}`),
					STSEndpoint: str("https://" + oidcSTS.host())}}
			},
			wantSource: "assumed with the OIDC token in", wantKeyID: "STS.fromOIDC",
			check: func(t *testing.T, w *credWorld) {
				form := oidcSTS.lastForm(t)
				want := map[string]string{"RoleArn": testRoleARN, "OIDCProviderArn": "acs:ram::1234567890123456:oidc-provider/ack",
					"OIDCToken": "oidc-token-from-file", "RoleSessionName": defaultRoleSessionName, "DurationSeconds": "1800",
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
			setup:      func(w *credWorld) { w.cfg.CredentialsURI = str(uriServer.URL + "/credentials") },
			wantSource: "the provider argument credentials_uri", wantKeyID: "STS.fromURI",
		},
		{
			name: "IMM_* variables (seed 004)",
			setup: func(w *credWorld) {
				w.env.set("IMM_ACCESS_KEY_ID", "STS.imm", "IMM_ACCESS_KEY_SECRET", "s", "IMM_SESSION_TOKEN", "t")
			},
			wantSource: "the environment variables IMM_ACCESS_KEY_ID", wantKeyID: "STS.imm",
		},
		{
			name: "ALIBABA_CLOUD_* variables",
			setup: func(w *credWorld) {
				w.env.set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
			},
			wantSource: "the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID", wantKeyID: "LTAIalibaba",
		},
		{
			name: "ALICLOUD_* variables (the alicloud provider's)",
			setup: func(w *credWorld) {
				w.env.set("ALICLOUD_ACCESS_KEY", "STS.alicloud", "ALICLOUD_SECRET_KEY", "s", "ALICLOUD_SECURITY_TOKEN", "t")
			},
			wantSource: "the environment variables ALICLOUD_ACCESS_KEY", wantKeyID: "STS.alicloud",
		},
		{
			name:       "ALIBABA_CLOUD_CREDENTIALS_URI variable",
			setup:      func(w *credWorld) { w.env.set("ALIBABA_CLOUD_CREDENTIALS_URI", uriServer.URL) },
			wantSource: "the environment variable ALIBABA_CLOUD_CREDENTIALS_URI", wantKeyID: "STS.fromURI",
		},
		{
			name: "ALIBABA_CLOUD_PROFILE variable",
			setup: func(w *credWorld) {
				w.env.set("ALIBABA_CLOUD_PROFILE", "from-env")
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
			cred, errText := w.resolve()
			if cred == nil {
				t.Fatalf("no credential: %s", errText)
			}
			requireContains(t, cred.source, tc.wantSource)
			if got := accessKeyIDOf(t, cred); got != tc.wantKeyID {
				t.Errorf("AccessKey ID %q, want %q", got, tc.wantKeyID)
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
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
				w.cfg.Profile = str("role")
				w.addCLIProfile(map[string]any{"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIbase",
					"access_key_secret": "base-secret-never-shown", "ram_role_arn": testRoleARN, "ram_session_name": "s1",
					"sts_region": unresolvable})
			},
			wantInErr: []string{`the profile "role" of`, "sts." + unresolvable + ".aliyuncs.com", "(query removed)"},
		},
		{
			name: "aliyun CLI EcsRamRole mode asks the ECS metadata service (turned off here)",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("ecs")
				w.addCLIProfile(map[string]any{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "imm-role"})
			},
			wantInErr: []string{`the profile "ecs" of`, "IMDS credentials is disabled"},
		},
		{
			name: "OIDC variables go to credentials-go's OIDC provider, which reads the token file they name",
			setup: func(w *credWorld) {
				w.env.set("ALIBABA_CLOUD_ROLE_ARN", testRoleARN,
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
			cred, errText := w.resolve()
			if cred != nil {
				t.Fatalf("got a credential from %s; want the attempt to fail", cred.source)
			}
			requireContains(t, errText, append([]string{"Invalid IMM credentials"}, tc.wantInErr...)...)
			requireAbsent(t, errText, "base-secret-never-shown")
		})
	}
}

func TestOIDCSettingsFromEnvironment(t *testing.T) {
	env := newEnvVars("ALIBABA_CLOUD_ROLE_ARN", testRoleARN, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p",
		"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/secrets/token", "ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-a")
	got, err := oidcSettingsFromEnv(env.get)
	if err != nil {
		t.Fatal(err)
	}
	want := oidcSettings{roleARN: testRoleARN, providerARN: "acs:ram::1:oidc-provider/p", tokenFile: "/var/run/secrets/token",
		sessionName: "pod-a", durationSeconds: defaultSessionExpiration}
	if *got != want {
		t.Errorf("settings %+v, want %+v", *got, want)
	}
	if s, err := oidcSettingsFromEnv(newEnvVars("ALIBABA_CLOUD_ROLE_ARN", testRoleARN).get); s != nil || err != nil {
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
	{"access_key", true, func(w *credWorld) { w.cfg.AccessKey, w.cfg.SecretKey = str("LTAIargs"), str("s") },
		"the provider arguments access_key"},
	{"profile", true, func(w *credWorld) {
		w.cfg.Profile = str("argprofile")
		w.addCLIProfile(akProfile("argprofile", "LTAIargprofile"))
	}, `"argprofile"`},
	{"ecs_role_name", true, func(w *credWorld) { w.cfg.ECSRoleName = str("imm-role") }, "ecs_role_name"},
	{"assume_role_with_oidc", true, func(w *credWorld) {
		w.cfg.AssumeRoleWithOIDC = []assumeRoleWithOIDCModel{{RoleARN: str(testRoleARN),
			OIDCProviderARN: str("acs:ram::1:oidc-provider/p"), OIDCTokenFile: str("/token")}}
	}, "assume_role_with_oidc"},
	{"credentials_uri", true, func(w *credWorld) { w.cfg.CredentialsURI = str("http://127.0.0.1:1/creds") },
		"the provider argument credentials_uri"},
	{"IMM_*", false, func(w *credWorld) { w.env.set("IMM_ACCESS_KEY_ID", "LTAIimm", "IMM_ACCESS_KEY_SECRET", "s") },
		"IMM_ACCESS_KEY_ID"},
	{"ALIBABA_CLOUD_*", false, func(w *credWorld) {
		w.env.set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibaba", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
	}, "ALIBABA_CLOUD_ACCESS_KEY_ID"},
	{"ALICLOUD_*", false, func(w *credWorld) { w.env.set("ALICLOUD_ACCESS_KEY", "LTAIalicloud", "ALICLOUD_SECRET_KEY", "s") },
		"ALICLOUD_ACCESS_KEY"},
	{"OIDC variables", false, func(w *credWorld) {
		w.env.set("ALIBABA_CLOUD_ROLE_ARN", testRoleARN, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p",
			"ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/token")
	}, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
	{"ALIBABA_CLOUD_CREDENTIALS_URI", false, func(w *credWorld) {
		w.env.set("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:1/creds")
	}, "ALIBABA_CLOUD_CREDENTIALS_URI"},
	{"ALIBABA_CLOUD_PROFILE", false, func(w *credWorld) {
		w.env.set("ALIBABA_CLOUD_PROFILE", "envprofile")
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
	w.env.set("IMM_ACCESS_KEY_ID", "LTAIimm", "IMM_ACCESS_KEY_SECRET", "s",
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
			w.env.set(v, "")
		}
		cred, errText := w.resolve()
		if cred == nil {
			t.Fatal(errText)
		}
		if got := accessKeyIDOf(t, cred); got != step.want {
			t.Errorf("after removing %v: signed with %s, want %s", step.remove, got, step.want)
		}
	}
	w.cfg.AccessKey, w.cfg.SecretKey = str("LTAIargs"), str("s")
	if cred, _ := w.resolve(); cred == nil || accessKeyIDOf(t, cred) != "LTAIargs" {
		t.Errorf("provider arguments do not win over the environment")
	}
}

func TestResolveCredential_noSourceIsOneDiagnosticListingEverySource(t *testing.T) {
	w := newCredWorld(t)
	isolateProcessEnvironment(t, w.home)
	w.writeFiles()
	_, diags := resolveCredential(w.cfg, w.credentialEnv())
	if len(diags) != 1 || !diags.HasError() {
		t.Fatalf("want exactly one error, got %d:\n%s", len(diags), diagText(diags))
	}
	text := diagText(diags)
	requireContains(t, text, "No IMM credentials found",
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
		"credentials-go's default chain", "run `aliyun configure`",
		"The provider documentation shows an example of each.")
	// The list follows the documented order.
	if strings.Index(text, "IMM_ACCESS_KEY_ID") > strings.Index(text, "ALICLOUD_ACCESS_KEY") ||
		strings.Index(text, "credentials_uri: not set") > strings.Index(text, "IMM_ACCESS_KEY_ID") ||
		strings.Index(text, "ALIBABA_CLOUD_PROFILE: not set") > strings.Index(text, "default chain") {
		t.Errorf("sources are not listed in precedence order:\n%s", text)
	}
}

func TestResolveCredential_misconfiguredSourceSaysWhat(t *testing.T) {
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
			setup: func(w *credWorld) { w.env.set("IMM_ACCESS_KEY_ID", "LTAIx") },
			want: []string{"The credentials from the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN can't be used",
				"IMM_ACCESS_KEY_ID and IMM_ACCESS_KEY_SECRET must be set together (IMM_ACCESS_KEY_SECRET is empty)"},
		},
		{
			name:  "a security token without keys",
			setup: func(w *credWorld) { w.env.set("ALICLOUD_SECURITY_TOKEN", "token-alone") },
			want:  []string{"ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY must be set together (ALICLOUD_ACCESS_KEY is empty)"},
		},
		{
			name: "OIDC variables without the role",
			setup: func(w *credWorld) {
				w.env.set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/t")
			},
			want: []string{"the OIDC variables must be set together; ALIBABA_CLOUD_ROLE_ARN is not set"},
		},
		{
			name: "a profile the named file does not have",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("missing")
				w.cfg.SharedCredentialsFile = str(filepath.Join(w.home, ".aliyun", "config.json"))
				w.addCLIProfile(akProfile("one", "LTAIone"))
				w.addCLIProfile(akProfile("two", "LTAItwo"))
			},
			want: []string{`has no profile "missing" (it has "one", "two")`},
		},
		{
			name: "a profile in neither file",
			setup: func(w *credWorld) {
				w.cfg.Profile = str("nowhere")
				w.addCLIProfile(akProfile("one", "LTAIone"))
			},
			want: []string{`the profile "nowhere" of `, filepath.Join(".alibabacloud", "credentials") + " (the provider argument profile",
				"config.json has no such profile", "Can not open file"},
		},
		{
			name: "a credentials URI that refuses, with a token in its query",
			setup: func(w *credWorld) {
				w.cfg.CredentialsURI = str(failing.URL + "/creds?token=uri-secret-token")
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
			cred, errText := w.resolve()
			if cred != nil {
				t.Fatalf("got a credential from %s", cred.source)
			}
			requireContains(t, errText, append([]string{"Invalid IMM credentials"}, tc.want...)...)
			requireAbsent(t, errText, tc.absent...)
		})
	}
}

// assumeRoleConfig is an assume_role block through the emulator's STS.
func assumeRoleConfig(e *stsEmulator, roleARN string) []assumeRoleModel {
	return []assumeRoleModel{{RoleARN: str(roleARN), STSEndpoint: str(e.host())}}
}

func TestAssumeRole_throughTheEmulatorsSTS(t *testing.T) {
	t.Parallel()
	e := newSTSEmulator(t, emulator.Options{})
	w := newCredWorld(t)
	w.cfg.AccessKey, w.cfg.SecretKey = str(emulator.DefaultAccessKeyID), str(emulator.DefaultAccessKeySecret)
	w.cfg.AssumeRole = []assumeRoleModel{{RoleARN: str(testRoleARN), SessionName: str("ci-run-42"),
		SessionExpiration: types.Int64Value(900), Policy: str(`{"Version":"1","Statement":[]}`),
		ExternalID: str("ext-7"), STSEndpoint: str("https://" + e.host())}}
	cred, errText := w.resolve()
	if cred == nil {
		t.Fatal(errText)
	}
	requireContains(t, cred.source, "the role "+testRoleARN+", assumed with the credentials from the provider arguments access_key")
	issued := e.issuedCredentials()
	if len(issued) != 1 || accessKeyIDOf(t, cred) != issued[0].AccessKeyId {
		t.Fatalf("signing key %q; the emulator issued %+v", accessKeyIDOf(t, cred), issued)
	}
	calls := e.requests("AssumeRole")
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
	e := newSTSEmulator(t, emulator.Options{})
	base := e.mintSTSToken(t, testRoleARN, 3600)
	w := newCredWorld(t)
	w.env.set("ALIBABA_CLOUD_ACCESS_KEY_ID", base.AccessKeyId, "ALIBABA_CLOUD_ACCESS_KEY_SECRET", base.AccessKeySecret,
		"ALIBABA_CLOUD_SECURITY_TOKEN", base.SecurityToken)
	w.cfg.AssumeRole = assumeRoleConfig(e, "acs:ram::1234567890123456:role/second")
	cred, errText := w.resolve()
	if cred == nil {
		t.Fatal(errText)
	}
	calls := e.requests("AssumeRole")
	if last := calls[len(calls)-1]; last.AccessKeyId != base.AccessKeyId || last.Status != http.StatusOK {
		t.Errorf("the chained AssumeRole was signed by %q (status %d), want the STS token %q", last.AccessKeyId, last.Status, base.AccessKeyId)
	}
	requireContains(t, cred.source, "assumed with the credentials from the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID")
}

func TestAssumeRole_refusalNamesTheRoleAndTheCode(t *testing.T) {
	t.Parallel()
	e := newSTSEmulator(t, emulator.Options{Roles: []string{testRoleARN}})
	base := e.mintSTSToken(t, testRoleARN, 3600)
	cases := []struct {
		name      string
		id, key   string
		token     string
		roleARN   string
		duration  int64
		want      []string
		wantNotIn []string
	}{
		{name: "a role that does not exist", id: emulator.DefaultAccessKeyID, key: emulator.DefaultAccessKeySecret,
			roleARN: "acs:ram::1234567890123456:role/missing",
			want: []string{"could not assume the role acs:ram::1234567890123456:role/missing", "Code:       EntityNotExist.Role",
				"The role does not exist. Check role_arn"}},
		{name: "an ARN that is not a role ARN", id: emulator.DefaultAccessKeyID, key: emulator.DefaultAccessKeySecret,
			roleARN: "arn:aws:iam::1:role/x",
			want:    []string{"Code:       InvalidParameter.RoleArn", "role_arn is not a RAM role ARN"}},
		{name: "an unknown base AccessKey", id: "LTAIunknownKey", key: "some-secret", roleARN: testRoleARN,
			want: []string{"Code:       InvalidAccessKeyId.NotFound", "The AccessKey ID is unknown",
				"The credentials came from the provider arguments access_key"}},
		{name: "a wrong base secret", id: emulator.DefaultAccessKeyID, key: "wrong-secret-value", roleARN: testRoleARN,
			want:      []string{"Code:       SignatureDoesNotMatch", "The AccessKey secret does not match"},
			wantNotIn: []string{"wrong-secret-value"}},
		{name: "a chained session longer than an hour", id: base.AccessKeyId, key: base.AccessKeySecret, token: base.SecurityToken,
			roleARN: testRoleARN, duration: 7200,
			want:      []string{"Code:       InvalidParameter.DurationSeconds"},
			wantNotIn: []string{base.AccessKeySecret, base.SecurityToken}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newCredWorld(t)
			w.cfg.AccessKey, w.cfg.SecretKey = str(tc.id), str(tc.key)
			if tc.token != "" {
				w.cfg.SecurityToken = str(tc.token)
			}
			w.cfg.AssumeRole = assumeRoleConfig(e, tc.roleARN)
			if tc.duration != 0 {
				w.cfg.AssumeRole[0].SessionExpiration = types.Int64Value(tc.duration)
			}
			cred, errText := w.resolve()
			if cred != nil {
				t.Fatal("the role was assumed")
			}
			requireContains(t, errText, append([]string{"Could not assume the RAM role", "Request ID: "}, tc.want...)...)
			requireAbsent(t, errText, append(tc.wantNotIn, emulator.DefaultAccessKeySecret)...)
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
			e := newSTSEmulator(t, emulator.Options{})
			e.clock.Set(time.Now().Add(-tc.clockBehind))
			w := newCredWorld(t)
			w.cfg.AccessKey, w.cfg.SecretKey = str(emulator.DefaultAccessKeyID), str(emulator.DefaultAccessKeySecret)
			w.cfg.AssumeRole = assumeRoleConfig(e, testRoleARN)
			w.cfg.AssumeRole[0].SessionExpiration = types.Int64Value(900)
			cred, errText := w.resolve() // configure time: the first session
			if cred == nil {
				t.Fatal(errText)
			}
			client := newClientWithCredential(t, e.url(), cred)
			ctx := context.Background()
			if _, err := client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "renewal"}); err != nil {
				t.Fatal(err)
			}
			if _, err := client.GetProject(ctx, imm.GetProjectRequest{ProjectName: "renewal"}); err != nil {
				t.Fatal(err)
			}
			if err := client.DeleteProject(ctx, "renewal"); err != nil {
				t.Fatal(err)
			}
			if n := len(e.requests("AssumeRole")); n != tc.wantSessions {
				t.Errorf("%d AssumeRole calls, want %d", n, tc.wantSessions)
			}
			keys := map[string]bool{}
			for _, r := range e.requests("CreateProject", "GetProject", "DeleteProject") {
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

func newClientWithCredential(t *testing.T, url string, cred *resolvedCredential) *imm.Client {
	t.Helper()
	ep, err := imm.ParseEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imm.New(imm.Config{Endpoint: ep, Region: "cn-hangzhou", Credential: cred.credential, MaxRetries: 1,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 10 * time.Millisecond, CredentialSource: cred.source})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAPIErrorDetail_refusedCredentialNamesItsSource follows a refused
// credential from the IMM client to the diagnostic every resource builds.
func TestAPIErrorDetail_refusedCredentialNamesItsSource(t *testing.T) {
	t.Parallel()
	e := newSTSEmulator(t, emulator.Options{})
	token := e.mintSTSToken(t, testRoleARN, 900)
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
			w := newCredWorld(t)
			w.env.set(tc.env...)
			cred, errText := w.resolve()
			if cred == nil {
				t.Fatal(errText)
			}
			e.clock.Advance(tc.advance)
			_, err := newClientWithCredential(t, e.url(), cred).GetProject(context.Background(), imm.GetProjectRequest{ProjectName: "p"})
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

// TestCredentialRenewalFailure_namesTheSource covers a failure after configure
// time: the credentials URI stops answering during the run.
func TestCredentialRenewalFailure_namesTheSource(t *testing.T) {
	t.Parallel()
	refusing := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-refusing:
			http.Error(w, `{"Code":"Unavailable","Message":"sidecar restarting"}`, http.StatusServiceUnavailable)
		default:
			// A session in the renewal margin, so the next call asks again.
			_ = json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": "STS.uri", "AccessKeySecret": "uri-secret",
				"SecurityToken": "uri-token", "Expiration": stsExpiration(time.Now().Add(time.Minute))})
		}
	}))
	t.Cleanup(srv.Close)
	w := newCredWorld(t)
	w.env.set("ALIBABA_CLOUD_CREDENTIALS_URI", srv.URL)
	cred, errText := w.resolve()
	if cred == nil {
		t.Fatal(errText)
	}
	close(refusing)
	_, err := cred.credential.GetCredential()
	var fetchErr *credentialFetchError
	if !errors.As(err, &fetchErr) {
		t.Fatalf("error %v, want a credentialFetchError", err)
	}
	detail := apiErrorDetail(fmt.Errorf("imm: GetProject: %w", err), "")
	requireContains(t, detail, "could not get credentials from the environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
		"Code:       Unavailable", "sidecar restarting")
	requireAbsent(t, detail, "uri-secret", "uri-token")
}

func TestRedactSecrets(t *testing.T) {
	for in, want := range map[string]string{
		`Post "https://sts.aliyuncs.com/?AccessKeyId=LTAI&SecurityToken=CAIS&Signature=x": dial tcp: timeout`: `Post "https://sts.aliyuncs.com/?(query removed)": dial tcp: timeout`,
		`refresh credentials failed: {"AccessKeySecret":"abc"}`:                                               `refresh credentials failed: {"AccessKeySecret…(redacted)`,
		"plain failure": "plain failure",
	} {
		if got := redactSecrets(in); got != want {
			t.Errorf("redactSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProviderModelMatchesSchema(t *testing.T) {
	var resp providerSchemaResponse
	resp.load(t)
	checkModelMatchesSchema(t, resp.names(), providerModel{})
	checkModelMatchesSchema(t, resp.blockAttributeNames("assume_role"), assumeRoleModel{})
	checkModelMatchesSchema(t, resp.blockAttributeNames("assume_role_with_oidc"), assumeRoleWithOIDCModel{})
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
