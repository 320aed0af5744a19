package emulator

import (
	"fmt"
	"testing"
)

// BenchmarkSignedGetProject measures signed GetProject calls through
// darabonba-openapi (V3 signing) against an in-process server on loopback.
func BenchmarkSignedGetProject(b *testing.B) {
	srv := startServer(b, Options{})
	c := newClient(b, srv)
	mustCreateProject(c, "bench")
	params := map[string]string{"ProjectName": "bench"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.call("GetProject", params); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkSignedWriteBeside200BindingsAndTriggers measures signed
// UpdateDataset calls while 200 bindings and 200 triggers exist: after every
// write the emulator looks for the next event the clock brings among all of
// them.
func BenchmarkSignedWriteBeside200BindingsAndTriggers(b *testing.B) {
	srv, fake := startFake(b, Options{})
	c := newClient(b, srv)
	mustCreateProject(c, "bench")
	for i := 0; i < 20; i++ {
		d := fmt.Sprintf("d%02d", i)
		mustCreateDataset(c, "bench", d)
		for j := 0; j < 10; j++ {
			c.must("CreateBinding", map[string]string{"ProjectName": "bench", "DatasetName": d, "URI": fmt.Sprintf("oss://bucket-%d", j)})
		}
	}
	for i := 0; i < 200; i++ {
		c.must("CreateTrigger", map[string]string{"ProjectName": "bench", "Input": `{"OSS":{"Bucket":"bucket-0"}}`, "Actions": `[{"Name":"doc/convert"}]`})
	}
	fake.Advance(DefaultScanDuration)
	params := map[string]string{"ProjectName": "bench", "DatasetName": "d00", "Description": "x"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.call("UpdateDataset", params); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
