#!/usr/bin/env bash
# Makes sure Postgres and Redis answer at DATABASE_ADMIN_URL / REDIS_URL (defaults: 127.0.0.1).
# Starts local ones when they are installed but stopped; otherwise says exactly what to run.
set -euo pipefail
PG_HOST=${PGHOST:-127.0.0.1}
PG_PORT=${PGPORT:-5432}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}

pg_up() { (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null; }
redis_up() {
  local reply
  reply=$( { exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3; } 2>/dev/null || true)
  [[ "$reply" == "+PONG" ]]
}
wait_for() { local what=$1 check=$2; for _ in $(seq 1 50); do $check && return 0; sleep 0.2; done; echo "services: $what did not come up" >&2; return 1; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "services: starting local Postgres"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_for Postgres pg_up
  else
    echo "services: Postgres is not reachable at $PG_HOST:$PG_PORT and none is installed here." >&2
    echo "  Start one with: docker compose up -d postgres redis" >&2
    exit 1
  fi
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "services: starting local Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    wait_for Redis redis_up
  else
    echo "services: Redis is not reachable at $REDIS_HOST:$REDIS_PORT and none is installed here." >&2
    echo "  Start one with: docker compose up -d postgres redis" >&2
    exit 1
  fi
fi
echo "services: Postgres $PG_HOST:$PG_PORT and Redis $REDIS_HOST:$REDIS_PORT are up"
