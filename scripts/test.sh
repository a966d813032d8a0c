#!/usr/bin/env bash
# Run the tests: bash scripts/test.sh [lint|unit|e2e|all] [extra pytest args]
#
#   lint  ruff (lint and format) with no finding, and the migrations match the models (alembic check)
#   unit  tests/unit (SQLite in a temp dir, or TEST_DATABASE_URL when set)
#   e2e   tests/e2e  (starts the real app and drives Debian chromium with Playwright)
#   all   lint, unit, then e2e (the default); fails if any part fails
#
# With CRM_TEST_REPORT set to a file, each failed part and each failed test's id is appended to
# it (.ci/run prints them in its summary, the part of a long log a reader sees first).
#
# Installs the Debian chromium package with apt-get when /usr/bin/chromium is missing.
set -euo pipefail

# shellcheck source=scripts/_env.sh
CRM_REQUIREMENTS=requirements-dev.txt source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

what="all"
case "${1:-}" in
    lint|unit|e2e|all) what="$1"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
esac

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

ensure_chromium() {
    if [ -x "$CHROMIUM" ]; then
        return 0
    fi
    log "$CHROMIUM is missing: installing Debian chromium"
    apt_install chromium
    [ -x "$CHROMIUM" ] || { log "chromium is still missing at $CHROMIUM"; return 1; }
}

run_lint() {
    local rc=0
    ruff check . || rc=1
    ruff format --check . || rc=1
    python -m crm_app.tools.schema_check || rc=1
    return "$rc"
}

run_unit() {
    if [ -n "${TEST_DATABASE_URL:-}" ]; then
        log "unit tests against TEST_DATABASE_URL (${TEST_DATABASE_URL%%://*})"
    else
        log "unit tests against SQLite"
    fi
    # Exit code 5 (no tests collected) is a failure too: any non-zero code counts.
    # Two workers: each has its own database (tests/unit/conftest.py), so they never meet.
    python -m pytest tests/unit -q -n 2 "$@"
}

# axe-core (npm), the accessibility checker tests/e2e/test_accessibility.py runs on each page.
ensure_axe() {
    if [ -f tests/e2e/axe/node_modules/axe-core/axe.min.js ]; then
        return 0
    fi
    log "installing axe-core from the npm registry (tests/e2e/axe)"
    npm install --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error
}

run_e2e() {
    ensure_chromium || return 1
    ensure_axe || return 1
    log "end-to-end tests (the first production build of the app can take several minutes)"
    python -m pytest tests/e2e -q --durations=12 "$@"
}

# report PART [PYTEST_LOG]: append the failed part, and the tests the log names as failed.
report() {
    [ -n "${CRM_TEST_REPORT:-}" ] || return 0
    printf '  %s FAILED\n' "$1" >>"$CRM_TEST_REPORT"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        grep -E '^(FAILED|ERROR) ' "$2" | cut -c1-200 | sed 's/^/    /' | head -n 30 >>"$CRM_TEST_REPORT" || true
    fi
}

# tee_pytest LOG CMD...: run a pytest command, its output shown and kept in LOG; its exit code.
tee_pytest() {
    local log="$1"
    shift
    "$@" 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

pytest_log="$(mktemp "${TMPDIR:-/tmp}/crm-pytest.XXXXXX")"
trap 'rm -f "$pytest_log"' EXIT

status=0
if [ "$what" = "lint" ] || [ "$what" = "all" ]; then
    printf '\n===== Lint and schema =====\n'
    run_lint || { log "lint or schema check FAILED"; report "lint or schema check"; status=1; }
fi
if [ "$what" = "unit" ] || [ "$what" = "all" ]; then
    printf '\n===== Unit tests =====\n'
    tee_pytest "$pytest_log" run_unit "$@" || {
        rc=$?
        log "unit tests FAILED (exit $rc)"
        report "unit tests (exit $rc)" "$pytest_log"
        status=1
    }
fi
if [ "$what" = "e2e" ] || [ "$what" = "all" ]; then
    printf '\n===== End-to-end tests =====\n'
    tee_pytest "$pytest_log" run_e2e "$@" || {
        rc=$?
        log "end-to-end tests FAILED (exit $rc)"
        report "end-to-end tests (exit $rc)" "$pytest_log"
        status=1
    }
fi

if [ "$status" -eq 0 ]; then
    log "all requested tests passed ($what)"
fi
exit "$status"
