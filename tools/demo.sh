#!/usr/bin/env bash
# make demo: the web app on an embedded SQLite database (var/demo.sqlite3) with demo data,
# a worker running beside it, and the demo clock control for staff. PORT picks the port.
set -euo pipefail
cd "$(dirname "$0")/.."
export FURIMA_DEMO=1
export FURIMA_DEBUG=${FURIMA_DEBUG:-0}  # visitors get the friendly 404/500 pages, never tracebacks
export FURIMA_DATABASE_URL=${FURIMA_DATABASE_URL:-sqlite:///$PWD/var/demo.sqlite3}
PORT=${PORT:-8000}
BIN=.venv/bin

mkdir -p var
echo "== database: $FURIMA_DATABASE_URL"
"$BIN/furima" migrate --no-input -v 0
"$BIN/furima" seed_demo

echo
echo "== the seed's silent-buyer trade on paper (furima timeline):"
"$BIN/furima" timeline examples/rakuma-2016-silent-buyer.json --format text | tail -n 6

echo
echo "== starting the worker and the web server on http://127.0.0.1:$PORT/  (Ctrl-C stops both)"
echo "   log in as support to move the demo clock (+1 day / +7 days) and watch the deadlines fire"
"$BIN/furima" worker --idle-seconds 2 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$BIN/furima" runserver "127.0.0.1:$PORT" --noreload
