#!/usr/bin/env bash
# The production topology on one machine, on loopback, and the flows through it:
#   PostgreSQL primary (the local cluster on 5432) + a streaming replica (pg_basebackup)
#   Redis (its own server), two gunicorn WSGI servers behind nginx (HTTPS),
#   the Channels ASGI process (daphne) for /ws/, a Celery worker.
# Then deploy/topology/flows.py: acceptance flows, reads on the replica, writes on the
# primary, a web process killed mid-run. Everything started here is stopped on exit.
#
# Run as root (CI does): `make topology-test`. Installs nginx if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

BASE_PORT=${TOPOLOGY_BASE_PORT:-18600}
WEB1_PORT=$((BASE_PORT + 1))
WEB2_PORT=$((BASE_PORT + 2))
ASGI_PORT=$((BASE_PORT + 11))
REPLICA_PORT=$((BASE_PORT + 32))
REDIS_PORT=$((BASE_PORT + 79))
HTTP_PORT=$((BASE_PORT + 80))
HTTPS_PORT=$((BASE_PORT + 43))
PG_BIN=/usr/lib/postgresql/15/bin
DB=plaudit_topology
WORK=$(mktemp -d /tmp/plaudit-topology.XXXXXX)
chmod 755 "$WORK"
PYTHON="$ROOT/.venv/bin/python"

log() { printf '\n== %s\n' "$*"; }
die() { echo "topology: $*" >&2; exit 1; }

# --- what this script needs ----------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (it starts PostgreSQL as the postgres user)"
if ! command -v nginx >/dev/null; then
  log "installing nginx"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 nginx-light >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 nginx-light >/dev/null; }
fi
for tool in openssl psql pg_isready redis-server redis-cli curl; do
  command -v "$tool" >/dev/null || die "$tool is missing"
done
[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 server binaries not found in $PG_BIN"
pg_isready -h 127.0.0.1 -p 5432 -q || die "the primary PostgreSQL is not running on 127.0.0.1:5432"
make --no-print-directory install >/dev/null

SLOT=plaudit_topology
drop_slot() { # a forgotten slot would make the primary keep WAL forever
  psql -h 127.0.0.1 -U postgres -XAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
    WHERE slot_name = '$SLOT' AND NOT active" >/dev/null || true
}
HBA_FILE=$(psql -h 127.0.0.1 -U postgres -XAtc "SHOW hba_file")
HBA_LINE="host replication all 127.0.0.1/32 trust # plaudit-topology"
ADDED_HBA=0

# --- stop everything we started, whatever happens ----------------------------------------
PGIDS=()
cleanup() {
  local status=$?
  log "stopping everything"
  for pgid in "${PGIDS[@]}" $(cat "$WORK"/web*.pgid 2>/dev/null); do
    kill -TERM -- "-$pgid" 2>/dev/null || true
  done
  [ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$WORK/replica/postmaster.pid" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/replica" -m fast -w stop >/dev/null || true
  fi
  sleep 2
  for pgid in "${PGIDS[@]}" $(cat "$WORK"/web*.pgid 2>/dev/null); do
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done
  psql -h 127.0.0.1 -U postgres -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  drop_slot
  if [ "$ADDED_HBA" = 1 ]; then
    sed -i '/# plaudit-topology$/d' "$HBA_FILE"
    psql -h 127.0.0.1 -U postgres -XAtc "SELECT pg_reload_conf()" >/dev/null || true
  fi
  if [ "$status" != 0 ]; then
    for file in "$WORK"/*.log; do
      echo "--- last lines of $file"; tail -n 15 "$file"
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- the environment every process shares (production settings) --------------------------
export DJANGO_ENV=production
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')
PLAUDIT_CODES_KEYS=$("$PYTHON" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
export SECRET_KEY PLAUDIT_CODES_KEYS
export ALLOWED_HOSTS=localhost
export CSRF_TRUSTED_ORIGINS="https://localhost:$HTTPS_PORT"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB"
export DATABASE_POOL=true WEB_WORKERS=1 WEB_THREADS=4
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/1"
export CHANNELS_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/2"
export NUM_PROXIES=1 SERVE_MEDIA=false
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
export STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage WHITENOISE_USE_FINDERS=false
export METRICS_TOKEN=topology-metrics-token
export THROTTLE_USER_RATE=100000/min THROTTLE_AUTH_RATE=1000/min THROTTLE_REDEEM_RATE=100000/min
# The flows sign the demo HR admin in with a password (no authenticator app in a script);
# production requires MFA of HR admins, which tests/web/test_mfa.py covers.
export PLAUDIT_REQUIRE_MFA_FOR=
unset DEBUG PLAUDIT_REQUIRE_SERVICES || true
mkdir -p "$WORK/media"

start() { # name, command...: run in its own process group, log to $WORK/name.log
  local name=$1; shift
  setsid "$@" >"$WORK/$name.log" 2>&1 < /dev/null &
  echo $! > "$WORK/$name.pgid"
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  die "$what did not come up"
}

# --- Redis, then PostgreSQL: the database on the primary and a streaming replica -------
log "Redis on 127.0.0.1:$REDIS_PORT"
start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
PGIDS+=("$(cat "$WORK/redis.pgid")")
wait_for "Redis" redis-cli -p "$REDIS_PORT" ping

log "database $DB on the primary"
psql -h 127.0.0.1 -U postgres -Xqc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -Xqc "CREATE DATABASE $DB" >/dev/null
LOG_LEVEL=WARNING "$PYTHON" manage.py migrate --noinput -v 0
LOG_LEVEL=WARNING "$PYTHON" manage.py seed_demo >/dev/null
LOG_LEVEL=WARNING "$PYTHON" manage.py collectstatic --noinput -v 0

log "streaming replica on 127.0.0.1:$REPLICA_PORT (pg_basebackup)"
if ! psql -h 127.0.0.1 -U postgres -XAtc \
    "SELECT 1 FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND address = '127.0.0.1'" | grep -q 1; then
  echo "$HBA_LINE" >> "$HBA_FILE"
  ADDED_HBA=1
  psql -h 127.0.0.1 -U postgres -XAtc "SELECT pg_reload_conf()" >/dev/null
fi
install -d -o postgres -g postgres -m 700 "$WORK/replica"
install -d -o postgres -g postgres -m 755 "$WORK/pgsock"
# A replication slot keeps the primary's WAL until the replica has it (others write a lot).
drop_slot
runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$WORK/replica" \
  --write-recovery-conf --wal-method=stream --checkpoint=fast --create-slot --slot="$SLOT"
cat > "$WORK/replica/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '$WORK/pgsock'
hot_standby = on
max_connections = 100
shared_buffers = 64MB
include_if_exists = 'delay.conf'
EOF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$WORK/replica/pg_hba.conf"
: > "$WORK/replica/delay.conf"
chown postgres:postgres "$WORK/replica/postgresql.conf" "$WORK/replica/pg_hba.conf" "$WORK/replica/delay.conf"
cat > "$WORK/replica-delay.sh" <<EOF
#!/bin/sh
# Make the replica apply WAL \$1 late (0 for no delay): shows which server a read hit.
echo "recovery_min_apply_delay = '\$1'" > "$WORK/replica/delay.conf"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/replica" reload >/dev/null
EOF
chmod +x "$WORK/replica-delay.sh"
install -o postgres -g postgres -m 644 /dev/null "$WORK/replica.log"
# A busy primary may leave much WAL to replay before the replica accepts connections.
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w -t 300 start >/dev/null \
  || { tail -n 20 "$WORK/replica.log"; die "the replica did not start"; }
[ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -XAtc 'SELECT pg_is_in_recovery()')" = t ] \
  || die "the replica is not in recovery"
psql -h 127.0.0.1 -U postgres -XAtc \
  "SELECT 'primary streams to: ' || string_agg(application_name || ' ' || state, ', ') FROM pg_stat_replication"

# --- Redis, the ASGI process, the worker, two web servers, nginx -------------------------
log "daphne (ASGI), Celery worker, two gunicorn servers"
start asgi "$ROOT/.venv/bin/daphne" --bind 127.0.0.1 --port "$ASGI_PORT" --proxy-headers config.asgi:application
PGIDS+=("$(cat "$WORK/asgi.pgid")")
start worker "$ROOT/.venv/bin/celery" --app config worker --loglevel INFO --concurrency 2 \
  --without-gossip --without-mingle
PGIDS+=("$(cat "$WORK/worker.pgid")")
cat > "$WORK/start-web.sh" <<EOF
#!/bin/sh
# Start WSGI server \$1 (1 or 2) in its own process group; its pgid goes to web\$1.pgid.
port=\$(( $BASE_PORT + \$1 ))
cd "$ROOT"
PORT=\$port FORWARDED_ALLOW_IPS=127.0.0.1 setsid "$ROOT/.venv/bin/gunicorn" \
  --config deploy/gunicorn.conf.py --bind 127.0.0.1:\$port config.wsgi:application \
  >>"$WORK/web\$1.log" 2>&1 < /dev/null &
echo \$! > "$WORK/web\$1.pgid"
for _ in \$(seq 1 60); do
  curl -sf -o /dev/null -H "Host: localhost" "http://127.0.0.1:\$port/health/" && exit 0
  sleep 0.5
done
echo "web\$1 did not come up" >&2; exit 1
EOF
chmod +x "$WORK/start-web.sh"
"$WORK/start-web.sh" 1
"$WORK/start-web.sh" 2

log "nginx on https://localhost:$HTTPS_PORT (deploy/nginx/http.conf + locations.conf)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost" -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  include $ROOT/deploy/nginx/http.conf;
  upstream plaudit_web {
    server 127.0.0.1:$WEB1_PORT max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$WEB2_PORT max_fails=1 fail_timeout=5s;
    keepalive 16;
  }
  upstream plaudit_asgi { server 127.0.0.1:$ASGI_PORT; }
  server {
    listen 127.0.0.1:$HTTP_PORT;
    location / { return 301 https://\$host:$HTTPS_PORT\$request_uri; }
  }
  server {
    listen 127.0.0.1:$HTTPS_PORT ssl;
    ssl_certificate $WORK/tls.crt;
    ssl_certificate_key $WORK/tls.key;
    access_log $WORK/nginx-access.log plaudit_json;
    location /static/ { alias $WORK/static/; gzip_static on; add_header Cache-Control "public, max-age=31536000, immutable"; }
    location /media/ { alias $WORK/media/; }
    include $ROOT/deploy/nginx/locations.conf;
  }
}
EOF
nginx -t -c "$WORK/nginx.conf" -p "$WORK" 2>&1 | tail -n 1
nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_for "nginx" curl -sf --cacert "$WORK/tls.crt" "https://localhost:$HTTPS_PORT/health/"
wait_for "the ASGI process" bash -c "exec 3<>/dev/tcp/127.0.0.1/$ASGI_PORT"

log "edge checks"
redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$HTTP_PORT/api/v1/me/")
echo "plain HTTP: $redirect"
[[ $redirect == "301 https://localhost:$HTTPS_PORT/api/v1/me/" ]] || die "plain HTTP is not redirected to HTTPS"
hsts=$(curl -s -D - -o /dev/null --cacert "$WORK/tls.crt" "https://localhost:$HTTPS_PORT/api/v1/me/" | tr -d '\r' | grep -i '^strict-transport-security' || true)
echo "$hsts"
[[ $hsts == *"max-age=31536000"* ]] || die "no HSTS header"
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/tls.crt" -H "Authorization: Bearer $METRICS_TOKEN" "https://localhost:$HTTPS_PORT/metrics")" = 404 ] \
  || die "nginx exposes /metrics"
metrics=$(curl -sf -H "Host: localhost" -H "Authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$WEB1_PORT/metrics")
[[ $metrics == *django_http_requests* ]] || die "the app port does not serve metrics to the scraper"
echo "ok   HTTP->HTTPS redirect, HSTS, /metrics hidden at the edge and served on the app port"
gz=$(curl -s -o /dev/null -w '%{size_download}' --compressed -D "$WORK/gz.head" --cacert "$WORK/tls.crt" "https://localhost:$HTTPS_PORT/api/schema/?format=json")
grep -qi '^content-encoding: gzip' "$WORK/gz.head" || die "nginx does not gzip JSON"
echo "ok   nginx gzips API responses (schema: $gz bytes on the wire)"
static=$(cd "$WORK/static" && find admin -name 'base.*.css' | head -n 1)
cache=$(curl -sf -D - -o /dev/null --cacert "$WORK/tls.crt" "https://localhost:$HTTPS_PORT/static/$static" | tr -d '\r' | grep -i '^cache-control' || true)
[[ $cache == *"max-age=31536000"* ]] || die "nginx does not serve /static/$static with a long cache"
echo "ok   nginx serves collected, hashed static files (/static/$static, $cache)"

log "flows through nginx"
TOPOLOGY_URL="https://localhost:$HTTPS_PORT" TOPOLOGY_HTTP_PORT=$HTTP_PORT TOPOLOGY_WORK="$WORK" \
  TOPOLOGY_WEB1_PORT=$WEB1_PORT \
  TOPOLOGY_PRIMARY_DSN="postgresql://postgres@127.0.0.1:5432/$DB" \
  TOPOLOGY_REPLICA_DSN="postgresql://postgres@127.0.0.1:$REPLICA_PORT/$DB" \
  "$PYTHON" deploy/topology/flows.py

log "the ledger still balances"
LOG_LEVEL=WARNING "$PYTHON" manage.py verify_ledger

log "graceful stop"
for name in asgi worker; do
  kill -TERM -- "-$(cat "$WORK/$name.pgid")"
done
for pgid in $(cat "$WORK"/web*.pgid); do kill -TERM -- "-$pgid" 2>/dev/null || true; done
sleep 3
grep -q "Shutting down" "$WORK/web1.log" && echo "ok   gunicorn shut down gracefully on SIGTERM"
echo "topology test passed"
