//go:build linux

package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/immlabs/terraform-provider-imm/internal/provider"
)

// BenchmarkProviderUnderTerraform serves the IMM provider in the test
// process, as its binary does (tf6server, gRPC, the SDK's loggers writing
// to a pipe), and runs the real terraform CLI against it through
// TF_REATTACH_PROVIDERS: apply, plan, an update of a tenth, plan, destroy of
// IMM_BENCH_N projects (default 100). The emulator runs as its own process,
// so that -cpuprofile and -memprofile see the provider's work and little
// else. For each phase it reports the wall seconds, the process's CPU
// seconds, and the growth of the live heap during the phase (its largest
// value less the value before) per project. Like main.go, it switches the
// SDK's log lines off unless a TF_LOG* variable asks for them. With IMM_BENCH_HEAP_PROFILES=prefix it also writes a heap profile
// at each phase's largest live heap, to prefix-<phase>.pb.gz. With
// IMM_BENCH_PROVIDER=null it serves the reference provider instead (same
// schema, no API call).
//
//	IMM_BENCH_N=500 go test -run '^$' -bench ProviderUnderTerraform -benchtime 1x -cpuprofile cpu.out ./internal/bench/
func BenchmarkProviderUnderTerraform(b *testing.B) {
	if _, err := exec.LookPath("terraform"); err != nil {
		b.Skip("terraform is not on PATH")
	}
	n := 100
	if s := os.Getenv("IMM_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("IMM_BENCH_N=%q is not a positive number", s)
		}
	}
	for name, value := range provider.LogLevelsUnlessAsked(os.Environ()) {
		b.Setenv(name, value)
	}
	url := startEmulatorProcess(b, n)
	reattach := serveProviderInProcess(b)
	w, err := newWorkspace(b.TempDir(), "work", "")
	if err != nil {
		b.Fatal(err)
	}
	w.env = append(w.env, "TF_REATTACH_PROVIDERS="+reattach)
	ctx := context.Background()
	for b.Loop() {
		for i, ph := range comparisonPhases(10) {
			if err := w.write(projectsConfig(url, immProject, n, ph.updated(n))); err != nil {
				b.Fatal(err)
			}
			name := []string{"apply", "plan", "update", "replan", "destroy"}[i]
			sampler := startHeapSampler(os.Getenv("IMM_BENCH_HEAP_PROFILES"), name)
			cpuBefore := processCPU(b)
			r, err := w.mustSucceed(ctx, nil, ph.args...)
			cpu := processCPU(b) - cpuBefore
			growth := sampler.stop()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(r.wall.Seconds(), name+"-s")
			b.ReportMetric(cpu.Seconds(), name+"-cpu-s")
			b.ReportMetric(float64(growth)/1024/float64(n), name+"-live-heap-KB/project")
		}
	}
}

// startEmulatorProcess builds and starts imm-emulator with no read lag and
// room for n projects, and returns its URL.
func startEmulatorProcess(b *testing.B, n int) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "imm-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, module+"/internal/cmd/imm-emulator").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-propagation-delay", "0s", "-project-quota", strconv.Itoa(n))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	url, found := strings.CutPrefix(strings.TrimSpace(line), "imm-emulator listening on ")
	if err != nil || !found {
		b.Fatalf("imm-emulator said %q (%v)", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return url
}

// serveProviderInProcess serves the provider as main.go does, in debug mode,
// and returns the TF_REATTACH_PROVIDERS value that points terraform at it.
// The SDK's loggers write to file descriptor 2, as in the binary; for the
// benchmark's length it is a pipe that a goroutine drains, as Terraform
// reads a provider's stderr.
func serveProviderInProcess(b *testing.B) string {
	b.Helper()
	restoreStderr := stderrToDrainedPipe(b)
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	const address = "registry.terraform.io/immlabs/imm"
	go func() {
		factory := provider.NewServer(provider.New("bench"))
		if os.Getenv("IMM_BENCH_PROVIDER") == "null" {
			factory = providerserver.NewProtocol6(NewNullProvider())
		}
		err := tf6server.Serve(address, factory,
			tf6server.WithDebug(ctx, configCh, closeCh))
		if err != nil {
			b.Error(err)
		}
	}()
	cfg := <-configCh
	b.Cleanup(func() { cancel(); <-closeCh; restoreStderr() })
	type addr struct{ Network, String string }
	raw, err := json.Marshal(map[string]any{address: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": cfg.Test,
		"Addr": addr{cfg.Addr.Network(), cfg.Addr.String()},
	}})
	if err != nil {
		b.Fatal(err)
	}
	return string(raw)
}

func stderrToDrainedPipe(b *testing.B) func() {
	b.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		b.Fatal(err)
	}
	saved, err := syscall.Dup(2)
	if err != nil {
		b.Fatal(err)
	}
	if err := syscall.Dup3(int(w.Fd()), 2, 0); err != nil {
		b.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	return func() {
		_ = syscall.Dup3(saved, 2, 0)
		_ = w.Close()
	}
}

// heapSampler follows the live heap (as of the last GC) during a phase.
type heapSampler struct {
	before  uint64
	largest uint64
	done    chan struct{}
	wg      sync.WaitGroup
}

// startHeapSampler collects garbage, notes the live heap, and samples it
// every 20ms until stop; with IMM_BENCH_HEAP_TRACE set, it appends each
// sample ("phase seconds KB goroutines") to that file. With a profile prefix, it writes a heap profile
// whenever the live heap grows by a tenth over the last one written.
func startHeapSampler(prefix, phase string) *heapSampler {
	runtime.GC()
	s := &heapSampler{done: make(chan struct{})}
	s.before = liveHeap()
	s.largest = s.before
	written := s.before
	start := time.Now()
	var trace *os.File
	if path := os.Getenv("IMM_BENCH_HEAP_TRACE"); path != "" {
		trace, _ = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if trace != nil {
			defer trace.Close()
		}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
			live := liveHeap()
			s.largest = max(s.largest, live)
			if trace != nil {
				fmt.Fprintf(trace, "%s %.2f %d %d\n", phase, time.Since(start).Seconds(), live/1024, runtime.NumGoroutine())
			}
			if prefix != "" && live > written+written/10 {
				written = live
				writeHeapProfile(fmt.Sprintf("%s-%s.pb.gz", prefix, phase))
			}
		}
	}()
	return s
}

// stop ends the sampling and returns the growth of the live heap.
func (s *heapSampler) stop() uint64 {
	close(s.done)
	s.wg.Wait()
	return s.largest - s.before
}

// processCPU is the test process's user and system time so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func liveHeap() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}
