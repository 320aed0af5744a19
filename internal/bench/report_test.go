package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWritingTheTablesReplacesOnlyTheGeneratedPart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	doc := "# Benchmarks\n\nIntro.\n\n" + beginMarker + "\nold table\n" + endMarker + "\n\n## Profile findings\n\n- one\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(path, "new table\n"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Benchmarks\n\nIntro.\n\n" + beginMarker + "\nnew table\n" + endMarker + "\n\n## Profile findings\n\n- one\n"
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestWritingTheTablesIntoAFileWithoutMarkersAppendsThem(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"no file":    {"", "# Benchmarks\n\n" + beginMarker + "\nT\n" + endMarker + "\n"},
		"no markers": {"# Notes\n", "# Notes\n\n" + beginMarker + "\nT\n" + endMarker + "\n"},
		"no end":     {"A\n" + beginMarker + "\nold", "A\n" + beginMarker + "\nT\n" + endMarker + "\n"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := replaceGenerated(tc.doc, "T"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTheProviderProcessesOfACommandAddUpTheirCPUAndKeepTheLargestPeak(t *testing.T) {
	var m Measurement
	m.addUsage([]Usage{{CPUSeconds: 0.25, PeakRSSKB: 30000}, {CPUSeconds: 1.5, PeakRSSKB: 70000}, {CPUSeconds: 0.25, PeakRSSKB: 40000}})
	if m.CPU != 2*time.Second || m.PeakRSSKB != 70000 || m.Processes != 3 {
		t.Errorf("got CPU %s, peak %d KB, %d processes; want 2s, 70000 KB, 3", m.CPU, m.PeakRSSKB, m.Processes)
	}
}

func TestTheTableGivesCallsPerResourceAndRatiosToBothReferences(t *testing.T) {
	res := Results{Options: Options{Parallelism: 10}, Rows: []Row{{N: 100, Phase: "update 10%", By: map[variant]Measurement{
		immProject: {Wall: 3 * time.Second, Calls: map[string]int{"UpdateProject": 10, "GetProject": 100}, CPU: time.Second, PeakRSSKB: 60 * 1024,
			EmulatorCPU: 250 * time.Millisecond},
		nullReference: {Wall: 2 * time.Second, CPU: 500 * time.Millisecond, PeakRSSKB: 50 * 1024},
		terraformData: {Wall: time.Second},
	}}}}
	table := res.Markdown("make bench")
	want := "| 100 | update 10% | 3.00 | GetProject 100, UpdateProject 10 | 1.10 | 1.00 | 60 | 0.25 | 2.00 | 0.50 | 50 | 1.00 | " +
		"1.50× | 3.00× | 2.00× | 1.20× |"
	if !strings.Contains(table, want) {
		t.Errorf("the table has no row\n%s\nin:\n%s", want, table)
	}
}
