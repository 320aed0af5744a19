package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Machine is what the results were measured on.
type Machine struct {
	CPUs        int
	CPUModel    string
	OS          string
	Go          string
	Terraform   string
	LoadAverage string
	Date        time.Time
}

// DescribeMachine reads the machine's CPUs, Go's and Terraform's versions
// and the load average (the machine may be shared).
func DescribeMachine(ctx context.Context) Machine {
	m := Machine{
		CPUs:        runtime.NumCPU(),
		CPUModel:    cpuModel(),
		OS:          runtime.GOOS + "/" + runtime.GOARCH,
		Go:          runtime.Version(),
		Terraform:   terraformVersion(ctx),
		LoadAverage: loadAverage(),
		Date:        time.Now().UTC(),
	}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	return m
}

func (m Machine) String() string {
	return fmt.Sprintf("%d CPUs (%s), %s, %s, Terraform %s; load average at start %s; %s",
		m.CPUs, m.CPUModel, m.OS, m.Go, m.Terraform, m.LoadAverage, m.Date.Format("2006-01-02 15:04 MST"))
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if name, value, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(raw))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}

func terraformVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "terraform", "version", "-json").Output()
	if err != nil {
		return "unknown"
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out, &v) != nil || v.Version == "" {
		return "unknown"
	}
	return v.Version
}
