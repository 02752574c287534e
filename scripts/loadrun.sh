#!/usr/bin/env bash
# The load run (docs/scale-out.md): PostgreSQL and Redis on 127.0.0.1, the demo bureau with a year of
# meetings, gunicorn with a stated number of workers, then locust, headless and bounded in time, as
# several personas signing in through the login form; prints throughput, p50/p99 and errors, and stops
# everything it started. Only loopback addresses are used.
#
#   scripts/loadrun.sh                       # 3 workers, 20 users, 5 new users a second, 60 s
#   WORKERS=5 USERS=40 DURATION=120s scripts/loadrun.sh
#   KEEP_DB=1 scripts/loadrun.sh             # reuse the prepared database (no drop, no loaddemo)
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME="${DB_NAME:-meetings_load}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
REDIS_DB="${REDIS_DB:-11}"
PORT="${PORT:-8123}"
WORKERS="${WORKERS:-3}"
USERS="${USERS:-20}"
SPAWN_RATE="${SPAWN_RATE:-5}"
DURATION="${DURATION:-60s}"
VENV="${VENV:-.venv}"
LOAD_VENV="${LOAD_VENV:-.venv-load}"
OUT="${OUT:-var/load}"
PY="$VENV/bin/python"

mkdir -p "$OUT"
if [ ! -x "$LOAD_VENV/bin/locust" ]; then
    echo "[load] making $LOAD_VENV with locust (deploy/load/requirements.txt)"
    "$(command -v python3.11 || command -v python3)" -m venv "$LOAD_VENV"
    "$LOAD_VENV/bin/pip" install --quiet -r deploy/load/requirements.txt
fi

# A production-like environment: DEBUG off, a real key, Redis for the cache and the broker, persistent
# connections. DEV_INSECURE=1 only because locust speaks plain http to 127.0.0.1 (no TLS proxy here):
# Secure cookies would never be sent back over http.
export DATABASE_URL="$PG/$DB_NAME"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export DEBUG=false DEV_INSECURE=1 ALLOWED_HOSTS=127.0.0.1,localhost AUDIT_TRUSTED_PROXY_COUNT=1
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')}"
export VAR_DIR="$PWD/$OUT/var" LOG_LEVEL=WARNING PYTHONUNBUFFERED=1
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"

if [ "${KEEP_DB:-0}" != 1 ]; then
    echo "[load] database $DB_NAME: drop, create, migrate, loaddemo, a year of meetings"
    dropdb -h 127.0.0.1 -U postgres --if-exists "$DB_NAME"
    createdb -h 127.0.0.1 -U postgres "$DB_NAME"
    "$PY" manage.py migrate --noinput --verbosity 0
    "$PY" manage.py loaddemo > "$OUT/loaddemo.log"
fi
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py shell --no-imports < deploy/load/prepare.py
"$PY" manage.py shell --no-imports -c "from governance.models import Meeting, Participant; \
print(f'[load] {Meeting.objects.count()} meetings, {Participant.objects.count()} participants')"

GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="$WORKERS" GUNICORN_ACCESS_LOG="$OUT/access.log" \
    setsid "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py meetings_site.wsgi > "$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
stop() {
    if kill -0 "$GUNICORN" 2>/dev/null; then
        kill -TERM "$GUNICORN" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$GUNICORN" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$GUNICORN" 2>/dev/null || true
    fi
}
trap stop EXIT

echo "[load] gunicorn pid $GUNICORN, $WORKERS sync workers on 127.0.0.1:$PORT; waiting for /readyz"
for i in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" = 200 ] && break
    kill -0 "$GUNICORN" 2>/dev/null || { cat "$OUT/gunicorn.log"; exit 1; }
    [ "$i" = 120 ] && { echo "[load] not ready after 60 s"; curl -s "http://127.0.0.1:$PORT/readyz"; exit 1; }
    sleep 0.5
done

echo "[load] locust: $USERS users, $SPAWN_RATE a second, for $DURATION"
status=0
"$LOAD_VENV/bin/locust" -f deploy/load/locustfile.py --host "http://127.0.0.1:$PORT" --headless \
    -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" --stop-timeout 10 --only-summary \
    --csv "$OUT/locust" > "$OUT/locust.log" 2>&1 || status=$?
RSS=$(ps -o rss= --ppid "$GUNICORN" | awk '{s+=$1; if ($1>m) m=$1} END {printf "%d MB max per worker, %d MB all workers", m/1024, s/1024}')
tail -n 30 "$OUT/locust.log"
"$PY" - "$OUT/locust_stats.csv" "$WORKERS" "$USERS" "$DURATION" "$RSS" <<'PYEOF'
import csv, sys
path, workers, users, duration, rss = sys.argv[1:]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
print(f"\n[load] {workers} gunicorn sync workers, {users} users for {duration}; web RSS {rss}")
print(f"{'request':34} {'count':>7} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
for r in rows:
    print(f"{r['Name'][:34]:34} {r['Request Count']:>7} {r['Failure Count']:>6} {float(r['Requests/s']):7.1f} "
          f"{r['50%']:>7} {r['95%']:>7} {r['99%']:>7}")
PYEOF
[ -s "$OUT/locust_failures.csv" ] && [ "$(wc -l < "$OUT/locust_failures.csv")" -gt 1 ] && cat "$OUT/locust_failures.csv"
exit "$status"
