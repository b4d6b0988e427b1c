#!/usr/bin/env bash
# Refresh the translation catalogues after editing strings or merging branches:
#   1. fold duplicate entries a union merge of two branches' .po files leaves behind
#   2. extract the strings the code uses now (ja and en), dropping obsolete ones
#   3. compile the .mo files the app loads
# Then translate any new empty msgstr in locale/ja (and en where the msgid is not English).
set -euo pipefail
cd "$(dirname "$0")/../src/furima"
PY=../../.venv/bin/python
export DJANGO_SETTINGS_MODULE=furima.settings FURIMA_DEBUG=1
for language in ja en; do
  po=locale/$language/LC_MESSAGES/django.po
  msguniq --use-first -o "$po.tmp" "$po" && mv "$po.tmp" "$po"
done
$PY -m django makemessages -l ja -l en --no-obsolete --add-location=file >/dev/null
$PY -m django compilemessages -l ja -l en >/dev/null
empty=$(msgattrib --untranslated locale/ja/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy locale/ja/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
echo "catalogues refreshed; ja untranslated entries: $((empty > 0 ? empty - 1 : 0)), fuzzy: $((fuzzy > 0 ? fuzzy - 1 : 0))"
