// Package bench is the benchmark `make bench` runs (issue 12): what one
// imm_project costs in wall time, IMM calls, CPU and memory, next to
// Terraform alone (terraform_data) and next to a provider that has
// imm_project's schema but makes no API call (cmd nullprovider), for N
// resources through apply, plan, an update of one attribute on a tenth of
// them, plan, and destroy. It also measures the same phases with 20 ms of
// latency per call, and the consistency window: how long after an update
// the plan is empty, with and without wait_for_consistency, and how many
// plans show a diff that is not there.
//
// How it measures, and why:
//   - Terraform is the real CLI on PATH, run with -parallelism=10 (its
//     default) and without any TF_LOG* variable, as a user runs it. The
//     providers are the built binaries, reached through dev_overrides in a
//     CLI configuration of the benchmark's own.
//   - The provider process is measured from outside: the binary Terraform
//     starts is a small wrapper (cmd measure) that runs the real provider as
//     its child and, when it ends, records the kernel's account of it
//     (getrusage of the reaped child: user+system CPU, ru_maxrss). Nothing in
//     the provider changes for the benchmark, and the wrapper itself costs a
//     few milliseconds and a few MB of its own, which are not counted.
//     Terraform starts a provider several times per command (schema,
//     validation, plan, apply): CPU is their sum, peak RSS the largest.
//   - The emulator runs in the benchmark's own process: the request log (the
//     IMM calls by action) is read directly and cleared between phases, and
//     its latency and read lag are switched between runs. Its CPU is not the
//     provider's (it is in neither measured process) but it shares the
//     machine's cores, as a real service's network stack would not.
//   - The consistency window runs on the real clock: the provider is a
//     separate process and cannot share a fake clock with the emulator.
//   - Phases of the three variants are interleaved (apply of each, then plan
//     of each...) so that the load of a shared machine spreads over all of
//     them; ratios are taken within one run.
package bench
