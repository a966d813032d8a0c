#!/usr/bin/env bash
# Start the CRM: bash scripts/run.sh [extra reflex run args]
#
# Needs only Python 3.11+ with pip (and apt-get/root if python3-venv or redis-server is missing).
# Creates .venv and installs requirements.txt on the first start; later starts skip that.
# The app listens on PORT (default 3000), frontend and backend on the same port.
# First start: the app migrates the database and writes demo data by itself.
#
# CRM_WORKERS (default 1): backend worker processes. With more than one, the users' page state
# lives in Redis (Reflex's requirement): without REFLEX_REDIS_URL this script starts a private
# redis-server on a socket under data/ (installing Debian's redis-server when missing) and stops
# it when the app stops.
set -euo pipefail

# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

# Migrate, create the admin and (first start) the demo data before any worker starts.
log "preparing the database (migrations; demo data on the first start)"
python -m crm_app.tools.prepare

export PORT="${PORT:-3000}"
export BACKEND_PORT="${BACKEND_PORT:-$PORT}"
WORKERS="${CRM_WORKERS:-1}"
REDIS_PID=""

stop_redis() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
}

if [ "$WORKERS" -gt 1 ] && [ -z "${REFLEX_REDIS_URL:-}" ]; then
    command -v redis-server >/dev/null 2>&1 || apt_install redis-server
    mkdir -p "$ROOT/data"
    socket="$ROOT/data/redis-$PORT.sock"
    rm -f "$socket"
    # Page state only: nothing to keep on disk, and no TCP port to collide with.
    redis-server --port 0 --unixsocket "$socket" --unixsocketperm 700 --save "" --appendonly no \
        --loglevel warning &
    REDIS_PID=$!
    trap stop_redis EXIT
    for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
    export REFLEX_REDIS_URL="unix://$socket"
    log "Redis for the page state at $REFLEX_REDIS_URL"
fi
if [ -n "${REFLEX_REDIS_URL:-}" ] && [ -n "${CRM_WORKERS:-}" ]; then
    export GRANIAN_WORKERS="$WORKERS"  # otherwise Reflex's own choice: 2 x CPUs + 1
    log "$WORKERS backend workers"
fi

log "starting the app on http://0.0.0.0:$PORT (production build; the first start takes a few minutes)"
if [ -n "$REDIS_PID" ]; then
    reflex run --env prod --single-port "$@"
else
    exec reflex run --env prod --single-port "$@"
fi
