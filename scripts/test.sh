#!/usr/bin/env bash
# The README's test command: services up, then every unit, integration and end-to-end test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --no-warnings"
exec npx jest "$@"
