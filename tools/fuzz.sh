#!/usr/bin/env bash
# make fuzz: a long, randomised schemathesis campaign against the real thing — gunicorn with
# production settings on PostgreSQL — from the API's own OpenAPI schema. `make test` runs a
# short deterministic one in-process (tests/api/test_fuzz.py); this one looks further.
#
#   FURIMA_FUZZ_POSTGRES_URL  database to (re)create (default .../furima_fuzz)
#   FUZZ_EXAMPLES             examples per operation (default 250)
#   FUZZ_SEED                 a seed to replay a campaign (default: a fresh random one)
#
# Exit 0 only when there was no failure (no 5xx, every answer as the schema says).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
DB_URL=${FURIMA_FUZZ_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/furima_fuzz}
EXAMPLES=${FUZZ_EXAMPLES:-250}
SEED=${FUZZ_SEED:-$RANDOM$RANDOM}
WORK=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export FURIMA_DATABASE_URL=$DB_URL FURIMA_DEBUG=0 FURIMA_DEMO=0 FURIMA_VAR_DIR=$WORK
export FURIMA_SECRET_KEY=fuzz-$RANDOM$RANDOM$RANDOM FURIMA_ALLOWED_HOSTS=127.0.0.1
export FURIMA_LOG_LEVEL=WARNING
# Production settings, but plain HTTP on loopback: no TLS proxy in front to redirect to.
export FURIMA_SSL_REDIRECT=0 FURIMA_SECURE_COOKIES=0

echo "== database: $DB_URL (recreated)"
"$BIN/python" - "$DB_URL" <<'PY'
import sys, psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
url = sys.argv[1].replace("postgres://", "postgresql://", 1)
name = conninfo_to_dict(url)["dbname"]
with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as db:
    db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    db.execute(f'CREATE DATABASE "{name}"')
PY
"$BIN/furima" migrate --no-input -v 0
seeded=$("$BIN/python" tools/fuzz_seed.py)  # a failing seed stops here (set -e)
eval "$seeded"

PORT=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "== gunicorn on 127.0.0.1:$PORT (2 workers)"
"$BIN/gunicorn" furima.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  --error-logfile "$WORK/gunicorn.log" 2>>"$WORK/gunicorn.log" &
server=$!

cat > "$WORK/schemathesis.toml" <<TOML
headers = { Authorization = "Bearer $FUZZ_TOKEN" }

[dictionaries.trades]
values = [$FUZZ_TRADES]

[dictionaries.listings]
values = [$FUZZ_LISTINGS]

# Most ids name the seeded trades and items, so the cases reach the rules; the rest stay
# random (unknown ids, overflowing numbers).
[parameters]
"path.trade_id" = { dictionary = "trades", probability = 0.7 }
"path.listing_id" = { dictionary = "listings", probability = 0.7 }
TOML

# One schemathesis worker: with more, hypothesis describes strategies with ast.parse from
# several threads at once, which CPython 3.11 answers with "AST constructor recursion depth
# mismatch" (an error in the fuzzer, not in furima).
echo "== schemathesis: $EXAMPLES examples per operation, seed $SEED"
status=0
"$BIN/schemathesis" --config-file "$WORK/schemathesis.toml" run \
  "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --wait-for-schema 30 \
  --max-examples "$EXAMPLES" \
  --seed "$SEED" \
  --phases examples,coverage,fuzzing \
  --exclude-checks positive_data_acceptance \
  --workers 1 \
  --continue-on-failure \
  --warnings off \
  --report junit --report-dir "${FUZZ_REPORT_DIR:-var/fuzz}" || status=$?
if grep -q "Traceback" "$WORK/gunicorn.log" 2>/dev/null; then
  echo "== server tracebacks:"; grep -B2 -A20 "Traceback" "$WORK/gunicorn.log" | head -80
  status=1
fi
exit $status
