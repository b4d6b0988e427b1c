#!/usr/bin/env bash
# The whole test run, as `make test` and CI call it:
#   1. ruff (lint + format check), import-linter (the layers), mypy (types, django-stubs)
#   2. the full suite on SQLite
#   3. the database tests again on PostgreSQL (FURIMA_TEST_POSTGRES_URL)
# Where PostgreSQL is missing the PostgreSQL part is skipped and the summary says so;
# with CI=true nothing may be skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${FURIMA_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/furima}
IN_CI=false
case "${CI:-}" in true|1|yes) IN_CI=true ;; esac
summary=()
status=0

run_pytest() {  # label, then pytest arguments; exit 5 (nothing selected) is not a failure
  local label=$1; shift
  "$BIN/pytest" "$@"
  local rc=$?
  if [ $rc -eq 0 ]; then summary+=("$label: passed")
  elif [ $rc -eq 5 ]; then summary+=("$label: no tests selected")
  else summary+=("$label: FAILED (pytest exit $rc)"); status=1; fi
}

echo "== ruff"
if "$BIN/ruff" check . && "$BIN/ruff" format --check .; then summary+=("ruff: clean")
else summary+=("ruff: FAILED"); status=1; fi

echo "== import-linter (layers point one way; contracts in pyproject.toml)"
if "$BIN/lint-imports"; then summary+=("import-linter: contracts kept")
else summary+=("import-linter: FAILED"); status=1; fi

echo "== mypy (django-stubs; furima.process strict; configuration in pyproject.toml)"
# FURIMA_DEBUG=1: the django-stubs plugin loads the settings, which otherwise want a secret key.
if FURIMA_DEBUG=1 "$BIN/mypy"; then summary+=("mypy: no type errors")
else summary+=("mypy: FAILED"); status=1; fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$IN_CI" = true ]; then summary+=("browser tests: no chromium (they fail under CI=true)")
  else summary+=("browser tests: SKIPPED (no chromium binary; apt-get install chromium)"); fi
fi
if ! command -v xgettext >/dev/null 2>&1 && [ "$IN_CI" != true ]; then
  summary+=("catalogue freshness check: SKIPPED (no gettext; apt-get install gettext)")
fi

echo "== tests on SQLite"
FURIMA_DATABASE_URL= run_pytest "SQLite suite" "$@"

echo "== database tests on PostgreSQL ($PG_URL)"
if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
from psycopg.conninfo import make_conninfo
url = sys.argv[1].replace("postgres://", "postgresql://", 1)
try:  # the test database is created by Django; the server's own database proves it is up
    psycopg.connect(make_conninfo(url, dbname="postgres"), connect_timeout=3).close()
except Exception as error:
    print(f"PostgreSQL not reachable: {error}".splitlines()[0], file=sys.stderr)
    sys.exit(1)
PY
then
  FURIMA_DATABASE_URL=$PG_URL run_pytest "PostgreSQL suite" -m database "$@"
elif [ "$IN_CI" = true ]; then
  summary+=("PostgreSQL suite: FAILED (no server at $PG_URL and CI=true forbids skipping)"); status=1
else
  summary+=("PostgreSQL suite: SKIPPED (no server at $PG_URL; set FURIMA_TEST_POSTGRES_URL)")
fi

echo
echo "== summary"
printf '  %s\n' "${summary[@]}"
exit $status
