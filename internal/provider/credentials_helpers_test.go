package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// The credential tests that speak TLS (AssumeRole through the emulator, a
// fake OIDC STS) trust one certificate: the one built into net/http/httptest,
// which every httptest TLS server presents.
//
// Why this way: credentials-go offers no way to pass a certificate pool (it
// clones http.DefaultTransport for every request), so the certificate must be
// in Go's system pool. Go builds that pool once per process, on the first TLS
// verification, reading SSL_CERT_FILE then; a later os.Setenv changes
// nothing. So the variable is set here, in init, before any test runs. The
// emulator's own TLS mode (emulator.Start(addr, opts, true)) makes a fresh
// certificate per server, which would have to exist before that first
// handshake; with one emulator per test (each on its own clock) that cannot
// be, so the tests serve the emulator's Handler through httptest.NewTLSServer,
// whose certificate is fixed. The in-process provider of the terraform-driven
// tests shares this process, so it trusts the certificate too; the terraform
// binary itself never talks to these servers. SSL_CERT_FILE only replaces the
// default bundle file: the directories of system CAs are still read, so other
// tests lose nothing.
func init() {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	srv.Close()
	sum := sha256.Sum256(certPEM)
	// The certificate is a constant, so one file per content serves every run.
	file := filepath.Join(os.TempDir(), fmt.Sprintf("terraform-provider-imm-httptest-cert-%x.pem", sum[:6]))
	if existing, err := os.ReadFile(file); err != nil || !bytes.Equal(existing, certPEM) {
		tmp := fmt.Sprintf("%s.%d", file, os.Getpid())
		if err := os.WriteFile(tmp, certPEM, 0o644); err != nil {
			panic(err)
		}
		if err := os.Rename(tmp, file); err != nil {
			panic(err)
		}
	}
	if err := os.Setenv("SSL_CERT_FILE", file); err != nil {
		panic(err)
	}
}

// issuedCredential is a temporary credential the emulator's STS handed out.
type issuedCredential struct {
	AccessKeyId     string
	AccessKeySecret string
	SecurityToken   string
	Expiration      string
}

// stsEmulator is an emulator served over HTTPS, so that credentials-go's
// AssumeRole (HTTPS only) can reach its STS. It records every credential its
// STS issues, so tests can look for the secrets in logs.
type stsEmulator struct {
	*emulator.Emulator
	srv   *httptest.Server
	clock *clock.Fake

	mu     sync.Mutex
	issued []issuedCredential
}

// newSTSEmulator starts one on a fake clock that reads the wall time now
// unless opts has a clock: credentials-go judges expiry by the wall clock.
func newSTSEmulator(t *testing.T, opts emulator.Options) *stsEmulator {
	t.Helper()
	e := &stsEmulator{}
	if opts.Clock == nil {
		e.clock = clock.NewFake(time.Now())
		opts.Clock = e.clock
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e.Emulator = emu
	e.srv = httptest.NewTLSServer(e.recordIssued(emu.Handler()))
	t.Cleanup(func() {
		e.srv.Close()
		_ = emu.Close()
	})
	return e
}

// host is the host:port that sts_endpoint takes.
func (e *stsEmulator) host() string { return strings.TrimPrefix(e.srv.URL, "https://") }

// url is the https:// URL that the provider's endpoint takes.
func (e *stsEmulator) url() string { return e.srv.URL }

// recordIssued keeps the credentials in every successful AssumeRole answer.
func (e *stsEmulator) recordIssued(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var answer struct{ Credentials *issuedCredential }
		if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &answer) == nil && answer.Credentials != nil {
			e.mu.Lock()
			e.issued = append(e.issued, *answer.Credentials)
			e.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func (e *stsEmulator) issuedCredentials() []issuedCredential {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]issuedCredential(nil), e.issued...)
}

// requests returns the logged requests whose action is one of actions.
func (e *stsEmulator) requests(actions ...string) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.Requests() {
		if slices.Contains(actions, r.Action) {
			out = append(out, r)
		}
	}
	return out
}

// mintSTSToken assumes a role with the emulator's long-term key, as a user
// would with the aliyun CLI, and returns the temporary credential.
func (e *stsEmulator) mintSTSToken(t *testing.T, roleARN string, seconds int) issuedCredential {
	t.Helper()
	base, err := providers.NewStaticAKCredentialsProviderBuilder().
		WithAccessKeyId(emulator.DefaultAccessKeyID).WithAccessKeySecret(emulator.DefaultAccessKeySecret).Build()
	if err != nil {
		t.Fatal(err)
	}
	role, err := providers.NewRAMRoleARNCredentialsProviderBuilder().WithCredentialsProvider(base).
		WithRoleArn(roleARN).WithRoleSessionName("test-setup").WithDurationSeconds(seconds).
		WithStsEndpoint(e.host()).Build()
	if err != nil {
		t.Fatal(err)
	}
	c, err := role.GetCredentials()
	if err != nil {
		t.Fatalf("minting an STS token: %v", err)
	}
	return issuedCredential{AccessKeyId: c.AccessKeyId, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}
}

// testRoleARN is a well-formed role ARN the emulator's STS accepts.
const testRoleARN = "acs:ram::1234567890123456:role/imm-terraform"

// envVars is an environment the provider under test reads instead of the
// process's, so that tests which set credential variables can run in
// parallel. Steps may change it in PreConfig.
type envVars struct {
	mu   sync.Mutex
	vars map[string]string
}

func newEnvVars(kv ...string) *envVars {
	e := &envVars{vars: map[string]string{}}
	e.set(kv...)
	return e
}

func (e *envVars) set(kv ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := 0; i+1 < len(kv); i += 2 {
		e.vars[kv[i]] = kv[i+1]
	}
}

func (e *envVars) get(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.vars[name]
}

// providerFactoriesWithEnv serves the provider in the test process, reading
// env instead of the process environment.
func providerFactoriesWithEnv(c clock.Clock, env *envVars) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"imm": providerserver.NewProtocol6WithError(&immProvider{version: "test", clock: c, getenv: env.get}),
	}
}

// credWorld is a unit test's credential world: a provider configuration, an
// environment, a HOME with the aliyun CLI's and credentials-go's files.
type credWorld struct {
	t           *testing.T
	home        string
	env         *envVars
	cfg         providerModel
	cliCurrent  string
	cliProfiles []map[string]any
	iniSections []string
	http        *providers.HttpOptions
}

func newCredWorld(t *testing.T) *credWorld {
	home := t.TempDir()
	return &credWorld{t: t, home: home, env: newEnvVars("HOME", home, "USERPROFILE", home)}
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

func (w *credWorld) credentialEnv() credentialEnv {
	return credentialEnv{getenv: w.env.get, http: w.http}
}

// resolve writes the files and resolves the world's credential.
func (w *credWorld) resolve() (*resolvedCredential, string) {
	w.t.Helper()
	w.writeFiles()
	cred, diags := resolveCredential(w.cfg, w.credentialEnv())
	if diags.HasError() {
		return nil, diagText(diags)
	}
	return cred, ""
}

// chosenSource writes the files and returns the name of the source the
// provider would use, without asking it for a credential.
func (w *credWorld) chosenSource() string {
	w.t.Helper()
	w.writeFiles()
	var diags diag.Diagnostics
	_, name, ok := chooseCredentialSource(w.cfg, w.credentialEnv(), &diags)
	if !ok {
		w.t.Fatalf("no source chosen: %s", diagText(diags))
	}
	return name
}

func writeTestFile(t *testing.T, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func str(s string) types.String { return types.StringValue(s) }

// accessKeyIDOf asks a resolved credential for its AccessKey ID.
func accessKeyIDOf(t *testing.T, c *resolvedCredential) string {
	t.Helper()
	m, err := c.credential.GetCredential()
	if err != nil {
		t.Fatalf("GetCredential: %v", err)
	}
	return *m.AccessKeyId
}

// requireContains fails unless text contains every part.
func requireContains(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("missing %q in:\n%s", p, text)
		}
	}
}

// requireAbsent fails if text contains any of the secrets.
func requireAbsent(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("a secret (%.6s…) appears in:\n%s", s, text)
		}
	}
}

// diagText is every diagnostic's summary and detail, one after the other.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s\n%s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}

// providerSchemaResponse is the provider's schema, for parity checks.
type providerSchemaResponse struct{ schema schema.Schema }

func (r *providerSchemaResponse) load(t *testing.T) {
	t.Helper()
	var resp provider.SchemaResponse
	(&immProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if d := resp.Schema.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	r.schema = resp.Schema
}

// names are the top-level attributes and blocks.
func (r *providerSchemaResponse) names() []string {
	var names []string
	for n := range r.schema.Attributes {
		names = append(names, n)
	}
	for n := range r.schema.Blocks {
		names = append(names, n)
	}
	return names
}

func (r *providerSchemaResponse) blockAttributeNames(block string) []string {
	var names []string
	for n := range r.schema.Blocks[block].(schema.ListNestedBlock).NestedObject.Attributes {
		names = append(names, n)
	}
	return names
}
