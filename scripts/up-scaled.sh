#!/usr/bin/env bash
# `npm run up:scaled`: the scaled demo stack on this machine — PostgreSQL (the running one, its own database),
# Redis, an S3-compatible store (s3rver), two Invigil processes and nginx in front (WebSocket upgrade, body size,
# sticky sessions by client address). Prints the URL and the demo logins; Ctrl-C stops what it started.
# For a real deployment (TLS, coturn, systemd, backups, sizing) see docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
STACK="${STACK_DIR:-$ROOT/data-scaled}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB="${PG_DB:-invigil_scaled}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
S3_PORT="${S3_PORT:-4569}"
PORT="${PORT:-8080}"
P1_PORT="${P1_PORT:-8081}"
P2_PORT="${P2_PORT:-8082}"
mkdir -p "$STACK"/{p1,p2,nginx/logs,nginx/tmp,logs}

pids=()
cleanup() {
  echo "==> Stopping the scaled stack"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

wait_http() { # url, what
  for _ in $(seq 1 120); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "!! $2 did not come up ($1); see $STACK/logs" >&2
  exit 1
}

echo "==> PostgreSQL: database $PG_DB"
if ! psql "$PG_ADMIN_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1; then
  psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $PG_DB"
fi
DATABASE_URL="${PG_ADMIN_URL%/*}/$PG_DB"

echo "==> Redis at $REDIS_URL"
if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  REDIS_PORT="${REDIS_URL##*:}"
  redis-server --port "$REDIS_PORT" --save '' --appendonly no >"$STACK/logs/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 40); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break; sleep 0.25; done
fi

echo "==> S3-compatible store (s3rver) on :$S3_PORT"
node --import tsx scripts/s3-dev.ts "$STACK/s3" "$S3_PORT" invigil >"$STACK/logs/s3.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -s "http://127.0.0.1:$S3_PORT/" >/dev/null 2>&1 && break; sleep 0.25; done

if [ "${SKIP_WEB:-0}" != 1 ] && { [ ! -f packages/web/dist/index.html ] || [ "${REBUILD_WEB:-0}" = 1 ]; }; then
  echo "==> Building the web apps"
  npx vite build packages/web --logLevel error
fi

export DATABASE_URL REDIS_URL
export S3_ENDPOINT="http://127.0.0.1:$S3_PORT" S3_BUCKET=invigil S3_ACCESS_KEY_ID=S3RVER S3_SECRET_ACCESS_KEY=S3RVER
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$PORT}"
export LOG_LEVEL="${LOG_LEVEL:-warn}"
# nginx is the peer of both processes: without this every candidate would count as nginx's one address in the
# per-address limits (200 candidate logins a minute for the whole morning).
export TRUST_PROXY="${TRUST_PROXY:-127.0.0.1}"

start_invigil() { # name, port
  DATA_DIR="$STACK/$1" PORT="$2" HOST=127.0.0.1 bash scripts/server.sh >"$STACK/logs/$1.log" 2>&1 &
  pids+=($!)
  echo $! >"$STACK/$1.pid" # scripts/faults/kill-one.ts kills one of them
  wait_http "http://127.0.0.1:$2/api/health" "Invigil $1"
}
# One after the other: the first runs the migrations (and pg-boss's), the second finds them done.
echo "==> Invigil process 1 on :$P1_PORT"
start_invigil p1 "$P1_PORT"
echo "==> Invigil process 2 on :$P2_PORT"
start_invigil p2 "$P2_PORT"

echo "==> nginx on :$PORT"
sed -e "s|@PORT@|$PORT|g" -e "s|@P1@|127.0.0.1:$P1_PORT|g" -e "s|@P2@|127.0.0.1:$P2_PORT|g" -e "s|@PREFIX@|$STACK/nginx|g" \
  scripts/nginx-scaled.conf >"$STACK/nginx/nginx.conf"
nginx -p "$STACK/nginx" -c "$STACK/nginx/nginx.conf" -g 'daemon off;' >"$STACK/logs/nginx.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$PORT/api/health" "nginx"

DATA_DIR="$STACK/p1" PORT="$PORT" node --import tsx scripts/print-demo.ts
echo
echo "Scaled stack up: $PUBLIC_URL  (nginx → :$P1_PORT, :$P2_PORT; PostgreSQL $PG_DB, Redis, s3rver :$S3_PORT)"
echo "Logs in $STACK/logs. Ctrl-C stops it."
wait
