#!/usr/bin/env bash
# gunicorn sync vs gunicorn gthread vs granian (WSGI) on the same Django app, with
# production settings on PostgreSQL + Redis: wrk on /health/, the catalog
# (GET /api/v1/rewards/, JWT) and GET /api/v1/me/ (JWT), and each server's CPU time
# per request (utime+stime of its whole process group, from /proc), which stays
# comparable when other work shares the machine. Results: docs/benchmarks.md.
#   make bench-wsgi          (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

PORT=${BENCH_PORT:-18431}
DB=${BENCH_DB:-plaudit_bench_wsgi}
DURATION=${BENCH_DURATION:-10s}
PASSES=${BENCH_PASSES:-2}
export DJANGO_ENV=production LOG_LEVEL=WARNING ALLOWED_HOSTS=localhost
SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
PLAUDIT_CODES_KEYS=$(.venv/bin/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export SECRET_KEY PLAUDIT_CODES_KEYS
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12} CELERY_BROKER_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/12}
export DATABASE_POOL=true WEB_THREADS=4
export THROTTLE_USER_RATE=100000000/min THROTTLE_ANON_RATE=100000000/min

psql -h 127.0.0.1 -U postgres -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -Xqc "CREATE DATABASE $DB" >/dev/null
trap 'psql -h 127.0.0.1 -U postgres -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null' EXIT
.venv/bin/python manage.py migrate -v 0
TOKEN=$(.venv/bin/python manage.py shell -v 0 -c "
from datetime import timedelta
from rest_framework_simplejwt.tokens import AccessToken
from tests.factories import RewardFactory, UserFactory
user = UserFactory(email='bench@example.com')
RewardFactory.create_batch(30)
token = AccessToken.for_user(user)
token.set_exp(lifetime=timedelta(hours=2))
print(token)" | tail -n 1)
H=(-H "X-Forwarded-Proto: https" -H "Host: localhost")
A=(-H "Authorization: Bearer $TOKEN")

bench() { # name, server command...
  local name=$1; shift
  setsid "$@" >/dev/null 2>&1 < /dev/null &
  local pid=$!
  for _ in $(seq 1 60); do curl -sf -o /dev/null "${H[@]}" "http://127.0.0.1:$PORT/health/" && break; sleep 0.5; done
  ticks() {
    local total=0 f
    for stat in /proc/[0-9]*/stat; do
      read -r -a f 2>/dev/null < "$stat" || continue
      [ "${f[4]}" = "$pid" ] && total=$((total + f[13] + f[14]))
    done
    echo "$total"
  }
  run() { # label path [headers...]
    local before after out
    before=$(ticks)
    out=$(wrk -t2 -c32 -d"$DURATION" --latency "${H[@]}" "${@:3}" "http://127.0.0.1:$PORT$2")
    after=$(ticks)
    echo "$out" | awk -v name="$name" -v label="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
      /requests in/ {reqs = $1} /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
      /Non-2xx/ {bad = $NF}
      END {printf "| %s | %s | %.0f | %s | %s | %.2f | %s |\n", name, label, rps, p50, p99, ticks * 1000 / hz / reqs, bad + 0}'
  }
  wrk -t2 -c16 -d3s "${H[@]}" "${A[@]}" "http://127.0.0.1:$PORT/api/v1/rewards/" >/dev/null
  run /health/ /health/
  run "rewards (JWT)" /api/v1/rewards/ "${A[@]}"
  run "me (JWT)" /api/v1/me/ "${A[@]}"
  kill -TERM -- "-$pid"; wait "$pid" 2>/dev/null || true
}

echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) x $(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| server | endpoint | req/s | p50 | p99 | CPU ms/request | non-2xx |"
echo "|---|---|---:|---:|---:|---:|---:|"
for _ in $(seq 1 "$PASSES"); do
  bench "gunicorn sync, 5 workers" .venv/bin/gunicorn --bind 127.0.0.1:$PORT --worker-class sync --workers 5 config.wsgi:application
  bench "gunicorn gthread, 2x4" .venv/bin/gunicorn --bind 127.0.0.1:$PORT --worker-class gthread --workers 2 --threads 4 config.wsgi:application
  bench "granian wsgi, 2x4" .venv/bin/granian --interface wsgi --host 127.0.0.1 --port $PORT --workers 2 --blocking-threads 4 config.wsgi:application
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
