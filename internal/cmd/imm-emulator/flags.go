package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// settings are the command line, parsed.
type settings struct {
	listen     string
	opts       emulator.Options
	seedFile   string
	ossSeed    string
	tls        bool
	certOut    string
	readLag    string
	roles      string
	faultKinds string
	// faultActions and latencyActions are comma-separated action lists.
	faultActions, latencyActions string
	// version: print the version and exit, serving nothing.
	version bool
}

// parseFlags reads the command line; getenv supplies the key pair's
// defaults (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET, else the emulator's test
// pair).
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("imm-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: imm-emulator [flags]\n\nAn in-memory Alibaba Cloud IMM 2020-09-30 service (and STS AssumeRole) for offline tests.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&s.listen, "listen", "127.0.0.1:8790", "address to listen on (127.0.0.1:0 picks a free port)")
	fs.StringVar(&s.opts.AccessKeyID, "access-key-id", firstOf(getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), emulator.DefaultAccessKeyID), "the AccessKey ID the emulator accepts")
	fs.StringVar(&s.opts.AccessKeySecret, "access-key-secret", firstOf(getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), emulator.DefaultAccessKeySecret), "the AccessKey secret the emulator accepts")
	fs.DurationVar(&s.opts.PropagationDelay, "propagation-delay", 20*time.Second, "how far reads may lag writes (0s: no lag)")
	fs.StringVar(&s.readLag, "read-lag", emulator.ReadLagRandom, "random (each read lags 0..delay) or fixed (every read lags the full delay)")
	fs.Float64Var(&s.opts.QPS, "qps", 0, "requests per second per AccessKey before Throttling.User (0: unlimited)")
	fs.Float64Var(&s.opts.FaultRate, "fault-rate", 0, "fraction of IMM requests (0..1) that get an injected fault")
	fs.StringVar(&s.faultKinds, "fault-kinds", "", "comma-separated fault kinds to inject (default all: "+strings.Join(emulator.AllFaultKinds, ",")+")")
	fs.DurationVar(&s.opts.FaultHold, "fault-hold", emulator.DefaultFaultHold, "longest time a ResponseHeld fault holds a response")
	fs.StringVar(&s.faultActions, "fault-actions", "", "comma-separated actions that get faults (default: every IMM action)")
	fs.IntVar(&s.opts.FaultLimit, "fault-limit", 0, "stop injecting faults after this many (0: no limit)")
	fs.DurationVar(&s.opts.Latency, "latency", 0, "latency added to every response")
	fs.StringVar(&s.latencyActions, "latency-actions", "", "comma-separated actions that get the latency (default: every action)")
	fs.IntVar(&s.opts.ProjectQuota, "project-quota", emulator.DefaultProjectQuota, "how many projects may exist")
	fs.IntVar(&s.opts.MaxPageSize, "max-page-size", 0, "cap on every List*/Query* page, whatever MaxResults says (0: none)")
	fs.DurationVar(&s.opts.TaskDuration, "task-duration", emulator.DefaultTaskDuration, "how long a clustering task stays Running")
	fs.DurationVar(&s.opts.ScanDuration, "scan-duration", emulator.DefaultScanDuration, "how long a binding's full scan of its bucket, and a batch, take (Ready for the first tenth)")
	fs.BoolVar(&s.opts.UpdateWhenSuspended, "update-when-suspended", false, "let UpdateTrigger and UpdateBatch accept a Suspended trigger or batch (IMM documents only Ready and Failed)")
	fs.StringVar(&s.roles, "roles", "", "comma-separated role ARNs AssumeRole allows (default: any well-formed ARN)")
	fs.StringVar(&s.seedFile, "seed", "", "JSON file of face seeds (a FigureSeed or an array of them)")
	fs.StringVar(&s.ossSeed, "oss-seed", "", `JSON file of fake OSS objects, as POST /_emulator/oss/objects takes ({"Objects":[{"URI":"oss://bucket/a.jpg","Figures":[{"Person":"Mei"}]}]})`)
	fs.StringVar(&s.opts.DataFile, "data", "", "file that keeps the state across restarts")
	fs.StringVar(&s.opts.RequestLogFile, "request-log", "", "file to append the request log to (JSON lines)")
	fs.BoolVar(&s.tls, "tls", false, "serve HTTPS with a self-signed certificate for 127.0.0.1 and localhost")
	fs.StringVar(&s.certOut, "tls-cert-out", "", "with -tls, write the certificate (PEM) here, for SSL_CERT_FILE")
	fs.BoolVar(&s.version, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	if fs.NArg() > 0 {
		return s, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if s.readLag != emulator.ReadLagRandom && s.readLag != emulator.ReadLagFixed {
		return s, fmt.Errorf("-read-lag must be %s or %s, not %q", emulator.ReadLagRandom, emulator.ReadLagFixed, s.readLag)
	}
	s.opts.ReadLag = s.readLag
	if s.certOut != "" && !s.tls {
		return s, fmt.Errorf("-tls-cert-out needs -tls")
	}
	s.opts.Roles = splitList(s.roles)
	if kinds := splitList(s.faultKinds); kinds != nil {
		s.opts.FaultKinds = kinds
	}
	s.opts.FaultActions = splitList(s.faultActions)
	s.opts.LatencyActions = splitList(s.latencyActions)
	if s.seedFile != "" {
		data, err := os.ReadFile(s.seedFile)
		if err != nil {
			return s, fmt.Errorf("-seed: %w", err)
		}
		if s.opts.Figures, err = emulator.ParseFigureSeeds(data); err != nil {
			return s, fmt.Errorf("-seed %s: %w", s.seedFile, err)
		}
	}
	if s.ossSeed != "" {
		data, err := os.ReadFile(s.ossSeed)
		if err != nil {
			return s, fmt.Errorf("-oss-seed: %w", err)
		}
		if s.opts.OSS, err = emulator.ParseOSSContents(data); err != nil {
			return s, fmt.Errorf("-oss-seed %s: %w", s.ossSeed, err)
		}
	}
	return s, nil
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
