// Package credentialstest is test support for credentials: an emulator whose
// STS answers over TLS, trusted by every credentials-go client in the test
// process, and an environment tests can change without touching the
// process's. Tests of internal/credentials and internal/provider import it;
// production code never does.
package credentialstest

import (
	"bytes"
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

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// TestRoleARN is a well-formed role ARN the emulator's STS accepts.
const TestRoleARN = "acs:ram::1234567890123456:role/imm-terraform"

// The credential tests that speak TLS (AssumeRole through the emulator, a
// fake OIDC STS) trust one certificate: the one built into net/http/httptest,
// which every httptest TLS server presents.
//
// Why this way: credentials-go offers no way to pass a certificate pool (it
// clones http.DefaultTransport for every request), so the certificate must be
// in Go's system pool. Go builds that pool once per process, on the first TLS
// verification, reading SSL_CERT_FILE then; a later os.Setenv changes
// nothing. So the variable is set here, in init, before any test of a package
// that imports this one runs. The emulator's own TLS mode
// (emulator.Start(addr, opts, true)) makes a fresh certificate per server,
// which would have to exist before that first handshake; with one emulator
// per test (each on its own clock) that cannot be, so the tests serve the
// emulator's Handler through httptest.NewTLSServer, whose certificate is
// fixed. The in-process provider of the terraform-driven tests shares the
// test process, so it trusts the certificate too; the terraform binary itself
// never talks to these servers. SSL_CERT_FILE only replaces the default
// bundle file: the directories of system CAs are still read, so other tests
// lose nothing.
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

// IssuedCredential is a temporary credential an STS handed out.
type IssuedCredential struct {
	AccessKeyId     string
	AccessKeySecret string
	SecurityToken   string
	Expiration      string
}

// STSEmulator is an emulator served over HTTPS, so that credentials-go's
// AssumeRole (HTTPS only) can reach its STS. It records every credential its
// STS issues, so tests can look for the secrets in logs.
type STSEmulator struct {
	*emulator.Emulator
	// Clock is the emulator's clock when the test gave none.
	Clock *clock.Fake
	srv   *httptest.Server

	mu     sync.Mutex
	issued []IssuedCredential
}

// NewSTSEmulator starts one on a fake clock that reads the wall time now
// unless opts has a clock: credentials-go judges expiry by the wall clock.
func NewSTSEmulator(t testing.TB, opts emulator.Options) *STSEmulator {
	t.Helper()
	e := &STSEmulator{}
	if opts.Clock == nil {
		e.Clock = clock.NewFake(time.Now())
		opts.Clock = e.Clock
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

// Host is the host:port that an STS endpoint setting takes.
func (e *STSEmulator) Host() string { return strings.TrimPrefix(e.srv.URL, "https://") }

// URL is the https:// URL that an IMM endpoint takes.
func (e *STSEmulator) URL() string { return e.srv.URL }

// recordIssued keeps the credentials in every successful AssumeRole answer.
func (e *STSEmulator) recordIssued(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var answer struct{ Credentials *IssuedCredential }
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

// IssuedCredentials are the credentials the STS issued so far.
func (e *STSEmulator) IssuedCredentials() []IssuedCredential {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]IssuedCredential(nil), e.issued...)
}

// RequestsFor returns the logged requests whose action is one of actions.
func (e *STSEmulator) RequestsFor(actions ...string) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.Requests() {
		if slices.Contains(actions, r.Action) {
			out = append(out, r)
		}
	}
	return out
}

// MintSTSToken assumes a role with the emulator's long-term key, as a user
// would with the aliyun CLI, and returns the temporary credential.
func (e *STSEmulator) MintSTSToken(t testing.TB, roleARN string, seconds int) IssuedCredential {
	t.Helper()
	base, err := providers.NewStaticAKCredentialsProviderBuilder().
		WithAccessKeyId(emulator.DefaultAccessKeyID).WithAccessKeySecret(emulator.DefaultAccessKeySecret).Build()
	if err != nil {
		t.Fatal(err)
	}
	role, err := providers.NewRAMRoleARNCredentialsProviderBuilder().WithCredentialsProvider(base).
		WithRoleArn(roleARN).WithRoleSessionName("test-setup").WithDurationSeconds(seconds).
		WithStsEndpoint(e.Host()).Build()
	if err != nil {
		t.Fatal(err)
	}
	c, err := role.GetCredentials()
	if err != nil {
		t.Fatalf("minting an STS token: %v", err)
	}
	return IssuedCredential{AccessKeyId: c.AccessKeyId, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}
}

// Env is an environment that code under test reads instead of the process's,
// so that tests which set credential variables can run in parallel. Tests may
// change it between steps.
type Env struct {
	mu   sync.Mutex
	vars map[string]string
}

// NewEnv returns an environment holding the name, value pairs kv.
func NewEnv(kv ...string) *Env {
	e := &Env{vars: map[string]string{}}
	e.Set(kv...)
	return e
}

// Set sets the name, value pairs kv.
func (e *Env) Set(kv ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := 0; i+1 < len(kv); i += 2 {
		e.vars[kv[i]] = kv[i+1]
	}
}

// Get reads a variable, as os.Getenv does.
func (e *Env) Get(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.vars[name]
}

// STSExpiration formats a time as STS and the metadata service do.
func STSExpiration(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// NewCredentialsURIServer serves a credential as a credentials URI does.
func NewCredentialsURIServer(t testing.TB, cred IssuedCredential) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": cred.AccessKeyId,
			"AccessKeySecret": cred.AccessKeySecret, "SecurityToken": cred.SecurityToken,
			"Expiration": STSExpiration(time.Now().Add(time.Hour))})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// AKProfile is an aliyun CLI profile in AK mode.
func AKProfile(name, id string) map[string]any {
	return map[string]any{"name": name, "mode": "AK", "access_key_id": id, "access_key_secret": "secret-of-" + id,
		"region_id": "cn-hangzhou"}
}

// MustJSON is v as JSON text.
func MustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// WriteFile writes a file, making its directory.
func WriteFile(t testing.TB, file, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// RequireContains fails unless text contains every part.
func RequireContains(t testing.TB, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("missing %q in:\n%s", p, text)
		}
	}
}

// RequireAbsent fails if text contains any of the secrets, without showing
// them whole.
func RequireAbsent(t testing.TB, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("a secret (%.6s…) appears in:\n%s", s, text)
		}
	}
}
