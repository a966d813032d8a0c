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

# Migrate, create the admin and (first start) the demo data before any worker starts.
log "preparing the database (migrations; demo data on the first start)"
python -m crm_app.tools.prepare

export PORT="${PORT:-3000}"
export BACKEND_PORT="${BACKEND_PORT:-$PORT}"

log "starting the app on http://0.0.0.0:$PORT (production build; the first start takes a few minutes)"
exec reflex run --env prod --single-port "$@"
