#!/usr/bin/env bash
# `terraform test` of examples/modules/media_library against the local IMM
# emulator: what a module author runs to test a module offline. Builds the
# provider and the emulator, starts the emulator on a free port with the
# suite's photos in its fake OSS, points Terraform at the built provider
# (dev_overrides in a CLI configuration of its own, not ~/.terraformrc) and at
# the emulator (IMM_ENDPOINT and the emulator's keys), runs the suite, checks
# that it reached the emulator and left nothing behind, and stops the emulator
# by its PID. Every failure names its step and exits non-zero.
#
# Extra arguments go to `terraform test` (for example -verbose or
# -filter=tests/plan.tftest.hcl). IMM_TFTEST_PROPAGATION_DELAY sets the
# emulator's read lag (default 0s: the suite asserts what IMM indexed, which
# is what a module test is about; the provider's own tests cover the lag).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
module="$repo/examples/modules/media_library"
work=$(mktemp -d "${TMPDIR:-/tmp}/imm-tftest.XXXXXX")
delay=${IMM_TFTEST_PROPAGATION_DELAY:-0s}
emulator_pid=""

step() { printf '\n==> %s\n' "$*"; current_step="$*"; }
fail() { printf '\nTERRAFORM TEST FAILED at step: %s\n' "${current_step:-setup}" >&2; }
cleanup() {
	if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill -TERM "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap 'fail' ERR
trap cleanup EXIT

step "check prerequisites"
command -v go >/dev/null || { echo "Go is not installed: install Go 1.26+ from https://go.dev/dl/" >&2; false; }
command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform 1.6+ (terraform test) from https://developer.hashicorp.com/terraform/install" >&2; false; }
command -v curl >/dev/null || { echo "curl is not installed: the script asks the emulator what the suite did" >&2; false; }
tf_version=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
if [ "$(printf '%s\n1.6.0\n' "$tf_version" | sort -V | head -1)" != 1.6.0 ]; then
	echo "terraform test needs Terraform 1.6 or later, found ${tf_version:-no version}" >&2
	false
fi
echo "terraform $tf_version"

step "build the provider and the emulator"
mkdir -p "$work/bin"
(cd "$repo" && go build -o "$work/bin/terraform-provider-imm" . && go build -o "$work/bin/imm-emulator" ./internal/cmd/imm-emulator)

step "start the IMM emulator on a free port (propagation delay $delay, tests/photos.json in its fake OSS)"
"$work/bin/imm-emulator" -listen 127.0.0.1:0 -propagation-delay "$delay" -scan-duration 1s -task-duration 1s \
	-oss-seed "$module/tests/photos.json" -access-key-id tftest-key -access-key-secret tftest-secret \
	>"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
	grep -q '^imm-emulator listening on ' "$work/emulator.out" && break
	kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; false; }
	sleep 0.1
done
endpoint=$(sed -n 's/^imm-emulator listening on //p' "$work/emulator.out")
[ -n "$endpoint" ] || { echo "the emulator printed no address" >&2; cat "$work/emulator.err" >&2; false; }
echo "emulator at $endpoint (PID $emulator_pid)"

step "point Terraform at the built provider (dev_overrides) and at the emulator"
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "immlabs/imm" = "$work/bin"
  }
  direct {}
}
EOF
# TF_DATA_DIR keeps .terraform out of the module folder; with dev_overrides
# `terraform test` needs no `terraform init`.
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_DATA_DIR="$work/data" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_INPUT=0
[ -t 1 ] || export TF_CLI_ARGS=-no-color
export IMM_ENDPOINT="$endpoint" ALIBABA_CLOUD_ACCESS_KEY_ID=tftest-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=tftest-secret
unset ALIBABA_CLOUD_ENDPOINT_IMM ALIBABA_CLOUD_SECURITY_TOKEN ALIBABA_CLOUD_PROFILE ALIBABA_CLOUD_ROLE_ARN
echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE IMM_ENDPOINT=$IMM_ENDPOINT"

step "terraform test in examples/modules/media_library"
terraform -chdir="$module" test "$@" | tee "$work/test.out"
# A suite whose files or runs went missing must not pass as "0 passed".
sed 's/\x1b\[[0-9;]*m//g' "$work/test.out" | grep -Eq '^Success! [1-9][0-9]* passed, 0 failed' ||
	{ echo "terraform test ran no run blocks, or did not report success" >&2; false; }

step "check that the suite ran against the emulator and its teardown destroyed everything"
requests=$(curl -fsS "$endpoint/_emulator/requests")
if grep -q 'tests/apply.tftest.hcl' "$work/test.out"; then
	grep -q '"Action":"CreateBinding"' <<<"$requests" || { echo "the emulator saw no CreateBinding: did the apply runs reach it?" >&2; false; }
fi
state=$(curl -fsS "$endpoint/_emulator/state")
grep -q '"Projects":null' <<<"$state" || { echo "projects are left in the emulator after terraform test's teardown:" >&2; echo "$state" >&2; false; }
echo "the emulator answered $(grep -o '"Action":"' <<<"$requests" | wc -l) IMM requests; no project is left"

step "stop the emulator (PID $emulator_pid)"
kill -TERM "$emulator_pid"
wait "$emulator_pid" || true
emulator_pid=""
echo
echo "terraform test of examples/modules/media_library passed against the local emulator."
