#!/usr/bin/env bash
# Runs the README's offline walkthrough exactly as written: every ```sh block
# that follows a "<!-- ci:run -->" line, in order, from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

script=$(awk '
	/<!-- ci:run -->/ { armed = 1; next }
	armed && /^```sh/ { inside = 1; armed = 0; next }
	inside && /^```/ { inside = 0; next }
	inside { print }
' README.md)
[ -n "$script" ] || { echo "README.md has no <!-- ci:run --> block" >&2; exit 1; }

echo "Running the README walkthrough:"
printf '%s\n' "$script" | sed 's/^/  | /'
bash -euo pipefail -c "trap 'kill \$(jobs -p) 2>/dev/null || true' EXIT
$script"
echo "README walkthrough passed."
