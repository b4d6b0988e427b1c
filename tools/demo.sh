#!/usr/bin/env bash
# make demo: until the web app lands, replay the seed's silent-buyer trade under the 2016
# Rakuma rules and under furima's own policy, side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
for policy in rakuma-2016 mercari-2016 furima; do
  echo "==== $policy"
  sed "s/\"policy\": \"rakuma-2016\"/\"policy\": \"$policy\"/" examples/rakuma-2016-silent-buyer.json \
    | .venv/bin/furima timeline - --format text
  echo
done
