#!/usr/bin/env bash
# npm run demo: from a fresh clone to the whole platform running with a demo tenant.
#   install -> Postgres and Redis up -> build -> migrate -> every app started -> demo tenant -> what to look at.
# The apps keep running in the background (logs in .run/logs); `npm run demo -- stop` stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=.run
APPS=(telephony-sim gateway admin-api worker-calls worker-sms worker-redemptions)
ALL=("${APPS[@]}" demo-crm)

stop_apps() {
  for app in "${ALL[@]}"; do
    if [ -f "$RUN/pids/$app" ]; then
      kill "$(cat "$RUN/pids/$app")" 2>/dev/null || true
      rm -f "$RUN/pids/$app"
    fi
  done
}

if [ "${1:-}" = "stop" ]; then stop_apps; echo "demo: stopped"; exit 0; fi

mkdir -p "$RUN/logs" "$RUN/pids"
# Settings: .env.example's defaults, then .env if present, then per-machine secrets made once.
set -a
. ./.env.example
[ -f .env ] && . ./.env
if [ ! -f "$RUN/secrets.env" ]; then
  {
    echo "OPERATOR_API_KEY=op_$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"
    echo "SECRETS_KEY=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')"
  } > "$RUN/secrets.env"
fi
. "$RUN/secrets.env"
set +a

if [ "${1:-}" = "reset" ]; then
  # Forget the demo: stop the apps, drop the demo database and the saved demo tenant.
  stop_apps
  db=$(node -e 'process.stdout.write(decodeURIComponent(new URL(process.argv[1]).pathname.slice(1)))' "$DATABASE_ADMIN_URL")
  maintenance=$(node -e 'const u=new URL(process.argv[1]); u.pathname="/postgres"; process.stdout.write(u.toString())' "$DATABASE_ADMIN_URL")
  node -e 'const {Client}=require("pg"); const c=new Client({connectionString: process.argv[1]}); c.connect().then(()=>c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(process.argv[2])} WITH (FORCE)`)).then(()=>c.end())' "$maintenance" "$db"
  rm -f "$RUN/demo-tenant.json"
  echo "demo: reset (database $db dropped); run npm run demo again"
  exit 0
fi

echo "demo: installing dependencies"
npm install --no-audit --no-fund --loglevel=error
bash scripts/services.sh
echo "demo: building"
npm run --silent build
npm run --silent db:migrate

stop_apps
for app in "${APPS[@]}"; do
  case $app in
    gateway) port=$GATEWAY_PORT ;;
    admin-api) port=$ADMIN_API_PORT ;;
    telephony-sim) port=$TELEPHONY_SIM_PORT ;;
    *) port= ;;
  esac
  PORT=$port nohup node "dist/apps/$app/main.js" > "$RUN/logs/$app.log" 2>&1 &
  echo $! > "$RUN/pids/$app"
done

wait_ready() {
  local name=$1 url=$2
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then echo "demo: $name ready ($url)"; return 0; fi
    sleep 0.2
  done
  echo "demo: $name did not become ready at $url; see $RUN/logs/$name.log:" >&2
  tail -n 20 "$RUN/logs/$name.log" >&2
  return 1
}
nohup node -r @swc-node/register scripts/demo/demo-crm.ts > "$RUN/logs/demo-crm.log" 2>&1 &
echo $! > "$RUN/pids/demo-crm"
wait_ready demo-crm "http://127.0.0.1:$DEMO_CRM_PORT/healthz"
wait_ready telephony-sim "http://127.0.0.1:$TELEPHONY_SIM_PORT/healthz"
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/readyz"
wait_ready admin-api "http://127.0.0.1:$ADMIN_API_PORT/readyz"
sleep 1
for app in worker-calls worker-sms worker-redemptions; do
  if ! kill -0 "$(cat "$RUN/pids/$app")" 2>/dev/null; then
    echo "demo: $app exited; see $RUN/logs/$app.log:" >&2; tail -n 20 "$RUN/logs/$app.log" >&2; exit 1
  fi
  echo "demo: $app running (pid $(cat "$RUN/pids/$app"))"
done

node -r @swc-node/register scripts/demo/demo-setup.ts
