#!/usr/bin/env bash
# The README's main job: the real provider binary, driven by real Terraform,
# against the local IMM emulator. Nothing touches ~/.terraformrc or a cloud
# account. Every failure names its step and exits non-zero.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/imm-demo.XXXXXX")
delay=${IMM_DEMO_PROPAGATION_DELAY:-3s}
emulator_pid=""

step() { printf '\n==> %s\n' "$*"; current_step="$*"; }
fail() { printf '\nDEMO FAILED at step: %s\n' "${current_step:-setup}" >&2; }
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
command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform 1.5+ from https://developer.hashicorp.com/terraform/install" >&2; false; }
command -v curl >/dev/null || { echo "curl is not installed: the demo uploads the photos with it" >&2; false; }

step "build the provider and the emulator"
mkdir -p "$work/bin" "$work/config"
(cd "$repo" && go build -o "$work/bin/terraform-provider-imm" . && go build -o "$work/bin/imm-emulator" ./internal/cmd/imm-emulator)

step "start the IMM emulator (propagation delay $delay)"
"$work/bin/imm-emulator" -listen 127.0.0.1:0 -propagation-delay "$delay" -read-lag random -task-duration 2s \
	-scan-duration 2s -access-key-id demo-key -access-key-secret demo-secret \
	>"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/emulator.out" ] && break
	kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.err" >&2; false; }
	sleep 0.1
done
endpoint=$(sed -n 's/^imm-emulator listening on //p' "$work/emulator.out")
[ -n "$endpoint" ] || { echo "the emulator printed no address" >&2; cat "$work/emulator.err" >&2; false; }
echo "emulator at $endpoint"

# The only step that is not what a user does on Alibaba Cloud: there, the
# photos would be uploaded to the bucket (ossutil cp -r photos/ oss://family-scans/).
step "upload the photos to the bucket oss://family-scans (the emulator's fake OSS)"
curl -fsS -X POST --data-binary @"$repo/examples/demo/photos.json" "$endpoint/_emulator/oss/objects"
echo

step "write a Terraform CLI configuration with dev_overrides (in $work/config, not ~/.terraformrc)"
cat >"$work/config/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "immlabs/imm" = "$work/bin"
  }
  direct {}
}
EOF
cp -R "$repo/examples/demo" "$work/demo"
rm -f "$work/demo/photos.json"
export TF_CLI_CONFIG_FILE="$work/config/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_INPUT=0
[ -t 1 ] || export TF_CLI_ARGS=-no-color
export ALIBABA_CLOUD_ACCESS_KEY_ID=demo-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-secret
export TF_VAR_endpoint="$endpoint"
cd "$work/demo"

step "terraform apply, first: the project, the dataset, the binding (its scan indexes the photos) and the clustering run"
terraform apply -auto-approve -target=imm_figure_clustering.faces -compact-warnings

step "wait $delay for IMM's reads to show the new clusters"
sleep "${delay%s}"

step "terraform apply, second: name every person's cluster"
terraform apply -auto-approve -compact-warnings

step "terraform output"
terraform output

step "terraform plan -detailed-exitcode: nothing left to change"
set +e
terraform plan -detailed-exitcode -compact-warnings
code=$?
set -e
case $code in
0) echo "No changes: the plan is empty." ;;
2) echo "the plan is not empty right after apply" >&2; false ;;
*) echo "terraform plan failed (exit $code)" >&2; false ;;
esac

step "terraform destroy"
terraform destroy -auto-approve -compact-warnings

step "stop the emulator"
kill -TERM "$emulator_pid"
wait "$emulator_pid" || true
emulator_pid=""
echo
echo "Demo finished: photos in a bucket, bound, clustered and named, an empty plan and destroy, against the local emulator."
