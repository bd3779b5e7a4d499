#!/usr/bin/env bash
# The reliability and security suite (issue #10, docs/RELIABILITY.md) with one command.
#   npm run reliability             the fast part (also part of `npm test`): fault, attack and fuzz tests
#   npm run reliability -- --slow   then every on-demand scenario, one after the other (about 75 min with the soak)
# SOAK_MINUTES (default 60) sets the soak's length; RELIABILITY_SKIP_SOAK=1 leaves it out.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test.sh test/reliability libs/egress apps/telephony-sim/src/control
[[ "${1:-}" == "--slow" ]] || exit 0

run() {
  echo "== $*"
  node -r @swc-node/register "$@"
}
run bench/reliability/postgres-outage.ts
run bench/reliability/worker-sms-kill.ts
run bench/reliability/worker-redemptions-kill.ts
run bench/reliability/twilio-storm.ts
run bench/reliability/redis-restart.ts
run bench/reliability/redis-restart.ts --postgres
if [[ "${RELIABILITY_SKIP_SOAK:-}" != "1" ]]; then
  npm run build
  run bench/soak/run.ts
fi
