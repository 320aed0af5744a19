package credentials

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/credentials/credentialstest"
)

// Test support of the credential chain: a world of settings, environment and
// profile files per test, and stand-ins for the services credentials-go
// fetches from.

const testRoleARN = credentialstest.TestRoleARN

var (
	requireContains = credentialstest.RequireContains
	requireAbsent   = credentialstest.RequireAbsent
	writeTestFile   = credentialstest.WriteFile
	akProfile       = credentialstest.AKProfile
	mustJSON        = credentialstest.MustJSON
	stsExpiration   = credentialstest.STSExpiration
)

type issuedCredential = credentialstest.IssuedCredential

// credWorld is a unit test's credential world: settings, an environment, a
// HOME with the aliyun CLI's and credentials-go's files.
type credWorld struct {
	t           *testing.T
	home        string
	env         *credentialstest.Env
	s           Settings
	cliCurrent  string
	cliProfiles []map[string]any
	iniSections []string
	proxy       string
}

func newCredWorld(t *testing.T) *credWorld {
	home := t.TempDir()
	return &credWorld{t: t, home: home, env: credentialstest.NewEnv("HOME", home, "USERPROFILE", home)}
}

// addCLIProfile adds a profile to ~/.aliyun/config.json.
func (w *credWorld) addCLIProfile(p map[string]any) { w.cliProfiles = append(w.cliProfiles, p) }

// addINISection adds a section to ~/.alibabacloud/credentials.
func (w *credWorld) addINISection(name string, lines ...string) {
	w.iniSections = append(w.iniSections, "["+name+"]\n"+strings.Join(lines, "\n")+"\n")
}

// writeFiles writes the profile files the world holds.
func (w *credWorld) writeFiles() {
	w.t.Helper()
	if len(w.cliProfiles) > 0 {
		data, err := json.MarshalIndent(map[string]any{"current": w.cliCurrent, "profiles": w.cliProfiles}, "", "  ")
		if err != nil {
			w.t.Fatal(err)
		}
		writeTestFile(w.t, filepath.Join(w.home, ".aliyun", "config.json"), string(data))
	}
	if len(w.iniSections) > 0 {
		writeTestFile(w.t, filepath.Join(w.home, ".alibabacloud", "credentials"), strings.Join(w.iniSections, "\n"))
	}
}

func (w *credWorld) environment() Environment {
	return Environment{Getenv: w.env.Get, Proxy: w.proxy}
}

// resolve writes the files and resolves the world's credential.
func (w *credWorld) resolve() (*Resolved, error) {
	w.t.Helper()
	w.writeFiles()
	return Resolve(w.s, w.environment())
}

// chosenSource writes the files and returns the name of the source the chain
// would use, without asking it for a credential.
func (w *credWorld) chosenSource() string {
	w.t.Helper()
	w.writeFiles()
	_, name, err := chooseSource(w.s, w.environment())
	if err != nil {
		w.t.Fatalf("no source chosen: %v", err)
	}
	return name
}

// requireSourceError fails unless err is a source that is set but gave no
// credential (the provider's "Invalid IMM credentials"), and returns its text.
func requireSourceError(t *testing.T, err error) string {
	t.Helper()
	var misconfigured *MisconfiguredSourceError
	var failed *SourceFailedError
	if !errors.As(err, &misconfigured) && !errors.As(err, &failed) {
		t.Fatalf("error %T %v, want a *MisconfiguredSourceError or *SourceFailedError", err, err)
	}
	return err.Error()
}

// accessKeyIDOf asks a resolved credential for its AccessKey ID.
func accessKeyIDOf(t *testing.T, c *Resolved) string {
	t.Helper()
	m, err := c.Credential.GetCredential()
	if err != nil {
		t.Fatalf("GetCredential: %v", err)
	}
	return *m.AccessKeyId
}

// processCredentialVariables are the variables credentials-go reads from the
// process environment by itself, whatever this package passes it.
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

// fakeMetadataService stands in for the ECS instance metadata service.
// credentials-go fixes its address (http://100.100.100.200), so tests reach
// this server as an HTTP proxy through Environment.Proxy; it answers only
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

func fakeSTSCredential(id string) issuedCredential {
	return issuedCredential{AccessKeyId: id, AccessKeySecret: "secret-of-" + id, SecurityToken: "token-of-" + id}
}
