package emulator

import "testing"

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
