#!/usr/bin/env bash
# Start the CRM: bash scripts/run.sh [extra reflex run args]
#
# Needs only Python 3.11+ with pip (and apt-get/root if python3-venv is missing).
# Creates .venv and installs requirements.txt on the first start; later starts skip that.
# The app listens on PORT (default 3000), frontend and backend on the same port.
# First start: the app migrates the database and writes demo data by itself.
set -euo pipefail

# shellcheck source=scripts/_env.sh
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

# SQLite (the default, data/crm.db): Reflex opens the file before the app can create its folder.
db_url="${DATABASE_URL:-sqlite:///$ROOT/data/crm.db}"
if [[ "$db_url" == sqlite:///* ]]; then
    db_path="${db_url#sqlite:///}"
    db_path="${db_path%%\?*}"
    if [ -n "$db_path" ] && [ "$db_path" != ":memory:" ]; then
        mkdir -p "$(dirname "$db_path")"
    fi
fi

export PORT="${PORT:-3000}"
export BACKEND_PORT="${BACKEND_PORT:-$PORT}"

log "starting the app on http://0.0.0.0:$PORT (production build; the first start takes a few minutes)"
exec reflex run --env prod --single-port "$@"
