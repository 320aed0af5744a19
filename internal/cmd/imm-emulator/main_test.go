package main

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

func TestParseFlagsDefaultsAndEnvironment(t *testing.T) {
	env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIenv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "envsecret"}
	s, err := parseFlags(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.listen != "127.0.0.1:8790" || s.opts.PropagationDelay != 20*time.Second || s.opts.ReadLag != "random" ||
		s.opts.AccessKeyID != "LTAIenv" || s.opts.AccessKeySecret != "envsecret" || s.opts.ProjectQuota != 100 || s.opts.TaskDuration != 2*time.Second ||
		s.opts.ScanDuration != 3*time.Second || s.opts.UpdateWhenSuspended || len(s.opts.OSS.Objects) != 0 {
		t.Errorf("defaults: %+v", s)
	}
	s, err = parseFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil || s.opts.AccessKeyID != emulator.DefaultAccessKeyID || s.opts.AccessKeySecret != emulator.DefaultAccessKeySecret {
		t.Errorf("without environment: %+v %v", s.opts, err)
	}
	s, err = parseFlags([]string{"-read-lag", "fixed", "-qps", "5", "-fault-rate", "0.1", "-fault-kinds", "InternalError, ResponseHeld", "-latency", "10ms",
		"-max-page-size", "3", "-roles", "acs:ram::1:role/a,acs:ram::1:role/b", "-tls", "-tls-cert-out", "c.pem",
		"-scan-duration", "250ms", "-update-when-suspended"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.opts.ReadLag != "fixed" || s.opts.QPS != 5 || s.opts.FaultRate != 0.1 || len(s.opts.FaultKinds) != 2 || s.opts.Latency != 10*time.Millisecond ||
		s.opts.MaxPageSize != 3 || len(s.opts.Roles) != 2 || !s.tls || s.certOut != "c.pem" ||
		s.opts.ScanDuration != 250*time.Millisecond || !s.opts.UpdateWhenSuspended {
		t.Errorf("flags: %+v", s)
	}
	for _, bad := range [][]string{{"-read-lag", "sometimes"}, {"-tls-cert-out", "x.pem"}, {"-qps", "many"}, {"extra"}, {"-seed", "/nonexistent/seed.json"},
		{"-oss-seed", "/nonexistent/oss.json"}, {"-scan-duration", "soon"}} {
		if _, err := parseFlags(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestVersionFlagPrintsTheVersionSetByLdflagsAndServesNothing(t *testing.T) {
	s, err := parseFlags([]string{"-version"}, func(string) string { return "" }, io.Discard)
	if err != nil || !s.version {
		t.Fatalf("-version parsed as %+v, %v", s, err)
	}
	// The release sets the version exactly this way (.goreleaser.yml).
	bin := buildCommand(t, "-ldflags", "-X main.version=1.2.3-rc.1")
	cmd := exec.Command(bin, "-version", "-listen", "127.0.0.1:0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("imm-emulator -version: %v; stderr %s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("imm-emulator -version did not exit: it should print its version and serve nothing")
	}
	if got, want := stdout.String(), "imm-emulator 1.2.3-rc.1\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

// buildCommand compiles the command, with extra go build flags.
func buildCommand(t *testing.T, buildFlags ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	bin := filepath.Join(t.TempDir(), "imm-emulator")
	args := append(append([]string{"build"}, buildFlags...), "-o", bin, ".")
	out, err := exec.Command(goTool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startCommand runs the binary and returns the URL from its one line.
func startCommand(t *testing.T, bin string, args ...string) (*exec.Cmd, string, *restOfStdout) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "ALIBABA_CLOUD_ACCESS_KEY_ID=", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := make(chan string, 1)
	rest := &restOfStdout{done: make(chan struct{})}
	go func() {
		defer close(rest.done)
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(&rest.buf, r)
	}()
	select {
	case line := <-lines:
		const prefix = "imm-emulator listening on "
		if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "\n") {
			t.Fatalf("first line %q; stderr %s", line, stderr.String())
		}
		return cmd, strings.TrimSpace(strings.TrimPrefix(line, prefix)), rest
	case <-time.After(20 * time.Second):
		t.Fatalf("no line on stdout; stderr %s", stderr.String())
	}
	return nil, "", nil
}

func signedListProjects(t *testing.T, url string, ca []byte) map[string]any {
	t.Helper()
	scheme, host, _ := strings.Cut(url, "://")
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(emulator.DefaultAccessKeyID),
		AccessKeySecret: dara.String(emulator.DefaultAccessKeySecret),
		Endpoint:        dara.String(host),
		Protocol:        dara.String(scheme),
	}
	if ca != nil {
		cfg.Ca = dara.String(string(ca))
	}
	client, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.CallApi(&openapi.Params{
		Action: dara.String("ListProjects"), Version: dara.String("2020-09-30"), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}, &openapi.OpenApiRequest{Query: map[string]*string{"Prefix": dara.String("x")}}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatalf("signed call to %s: %v", url, err)
	}
	body, ok := res["body"].(map[string]any)
	if !ok {
		t.Fatalf("signed call to %s: body %v is not an object", url, res["body"])
	}
	return body
}

// restOfStdout collects what the command prints after its first line; done
// closes at end of output.
type restOfStdout struct {
	buf  bytes.Buffer
	done chan struct{}
}

func stopCommand(t *testing.T, cmd *exec.Cmd, rest *restOfStdout) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		<-rest.done // Wait closes stdout; read it all first
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the command did not exit on SIGTERM")
	}
	if rest.buf.Len() != 0 {
		t.Errorf("more than one line on stdout: %q", rest.buf.String())
	}
}

func TestCommandServesSignedCallsAndStopsOnSIGTERM(t *testing.T) {
	bin := buildCommand(t)
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(`[{"ProjectName":"p","DatasetName":"d","Figures":[{"URI":"oss://b/1.jpg","Person":"x"}]}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	ossSeed := filepath.Join(dir, "oss.json")
	if err := os.WriteFile(ossSeed, []byte(`{"Objects":[{"URI":"oss://photos/mei.jpg","Figures":[{"Person":"Mei","Gender":"female","Age":31}]}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dataFile, logFile := filepath.Join(dir, "state.json"), filepath.Join(dir, "requests.jsonl")

	t.Run("http", func(t *testing.T) {
		cmd, url, rest := startCommand(t, bin, "-listen", "127.0.0.1:0", "-seed", seed, "-oss-seed", ossSeed, "-data", dataFile, "-request-log", logFile)
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("URL %q", url)
		}
		if body := signedListProjects(t, url, nil); body["RequestId"] == "" {
			t.Errorf("answer %v", body)
		}
		res, err := http.Get(url + "/_emulator/oss/objects")
		if err != nil {
			t.Fatal(err)
		}
		oss, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(oss), `"URI":"oss://photos/mei.jpg"`) || !strings.Contains(string(oss), `"Person":"Mei"`) {
			t.Errorf("GET /_emulator/oss/objects after -oss-seed: %s", oss)
		}
		stopCommand(t, cmd, rest)
		log, _ := os.ReadFile(logFile)
		if !strings.Contains(string(log), `"Action":"ListProjects"`) || !strings.Contains(string(log), `"Prefix":"x"`) {
			t.Errorf("request log %q", log)
		}
		state, _ := os.ReadFile(dataFile)
		if !strings.Contains(string(state), `"oss://b/1.jpg"`) {
			t.Errorf("data file does not hold the seed: %s", state)
		}
	})

	t.Run("tls", func(t *testing.T) {
		certFile := filepath.Join(dir, "cert.pem")
		cmd, url, rest := startCommand(t, bin, "-listen", "127.0.0.1:0", "-tls", "-tls-cert-out", certFile)
		if !strings.HasPrefix(url, "https://127.0.0.1:") {
			t.Errorf("URL %q", url)
		}
		certPEM, err := os.ReadFile(certFile)
		if err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode(certPEM)
		if block == nil {
			t.Fatalf("cert file %q", certPEM)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil || cert.VerifyHostname("127.0.0.1") != nil || cert.VerifyHostname("localhost") != nil {
			t.Errorf("certificate: %v", err)
		}
		signedListProjects(t, url, certPEM)
		stopCommand(t, cmd, rest)
	})
}
