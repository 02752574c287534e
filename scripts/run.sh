#!/usr/bin/env bash
# `make run`: prepare the database, load the demo bureau, then run the web server, one Celery worker
# and one Celery beat until Ctrl-C (SIGINT) or SIGTERM, which stops all three.
#
# Embedded defaults: SQLite in var/ and kombu's filesystem transport (see meetings_site/settings.py);
# DATABASE_URL and REDIS_URL switch the same command to PostgreSQL and Redis.
set -euo pipefail

cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="$VENV/bin/python"
CELERY="$VENV/bin/celery"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
VAR_DIR="${VAR_DIR:-var}"
# Seconds the three get to stop after SIGTERM before their process groups are killed.
STOP_TIMEOUT="${STOP_TIMEOUT:-20}"
# Children write through a pipe (the line prefixes below): without this their logs arrive in bursts.
export PYTHONUNBUFFERED=1
# A developer's machine over plain http: no Secure cookies, no https redirect or HSTS, the development
# key accepted (meetings_site/settings.py). A server runs gunicorn with SECRET_KEY set, not this script.
export DEV_INSECURE="${DEV_INSECURE:-1}"

# Started in the background by a non-interactive shell (`make run &` in a script or CI job), this
# script inherits SIGINT and SIGQUIT ignored, and bash cannot trap a signal that was ignored at entry
# ("Signals ignored upon entry to the shell cannot be trapped or reset", man bash). That is the caller's
# intent (a Ctrl-C meant for its foreground job must not reach its background jobs), so it is not
# undone here: SIGTERM still stops everything (`kill <pid>`, `kill %1`), and so does SIGHUP unless
# started under nohup. `make run &` in an interactive terminal is not affected: there job control
# puts it in a process group of its own, and Ctrl-C reaches it after `fg`.
if [ "$(trap -p INT)" = "trap -- '' SIGINT" ]; then
    echo "[run] SIGINT is ignored (started in the background by a script?): stop with: kill -TERM $$"
fi

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py loaddemo

pids=()
stopping=0

# Each child gets its own session (setsid), so its whole process tree (runserver's reloader child,
# the worker's pool processes) can be found by process group and none is left behind.
start() {
    local name="$1"
    shift
    # The prefixer ignores the stop signals so that the children's shutdown messages still get
    # through; it ends by itself when its child closes the pipe.
    setsid "$@" > >(trap '' INT TERM HUP; exec sed -u "s/^/[$name] /") 2>&1 &
    pids+=("$!")
}

group_alive() {
    kill -0 -- "-$1" 2>/dev/null
}

stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    trap '' INT TERM HUP
    echo "[run] stopping web, worker and beat ..."
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    # A worker finishes the task in hand first (warm shutdown), hence the grace period.
    local waited=0
    while [ "$waited" -lt $((STOP_TIMEOUT * 10)) ]; do
        local alive=0
        for pid in "${pids[@]}"; do
            group_alive "$pid" && alive=1
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
        waited=$((waited + 1))
    done
    for pid in "${pids[@]}"; do
        if group_alive "$pid"; then
            echo "[run] process group $pid did not stop in time: killing it"
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    done
    wait 2>/dev/null || true
    echo "[run] stopped"
}

trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all; exit 129' HUP
trap 'stop_all' EXIT

mkdir -p "$VAR_DIR"
start worker "$CELERY" -A meetings_site worker -l info
# Exactly one beat: a second `make run` (or a stray beat) finds the live pidfile and refuses to start.
start beat "$CELERY" -A meetings_site beat -l info --pidfile "$VAR_DIR/celerybeat.pid"
start web "$PY" manage.py runserver "$HOST:$PORT"

echo "[run] web: http://$HOST:$PORT/  (logins above; Ctrl-C stops web, worker and beat)"

# If one of the three dies on its own, stop the others too rather than run half a system.
status=0
wait -n "${pids[@]}" || status=$?
if [ "$stopping" = 0 ]; then
    echo "[run] a process exited (status $status): stopping the others"
    stop_all
    exit "$status"
fi
