#!/usr/bin/env bash
# Accessibility check: build the example collection's EPUB, and the notes and scripts test
# fixtures' (linked notes; Japanese, Arabic and Russian articles), and run DAISY Ace on each.
# Fails when Ace reports any critical or serious violation. Installs what it needs:
# Debian's chromium (Ace drives it through puppeteer) and Ace itself into .ci/ace/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium
fi
if [ ! -x .ci/ace/node_modules/.bin/ace-cli ]; then
  # puppeteer would otherwise download its own browser; we use the system one.
  (cd .ci/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --no-package-lock --silent)
fi
if ! command -v anthology >/dev/null 2>&1; then
  pip install -q .
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for collection in collections/example tests/fixtures/notes tests/fixtures/scripts; do
name="$(basename "$collection")"
# A copy: a build writes its cache next to the manifest, and the fixtures stay as they are.
cp -r "$collection" "$work/$name"
SOURCE_DATE_EPOCH=1700000000 anthology build --quiet "$work/$name/collection.yaml" --format epub --out "$work/book-$name" >/dev/null
epub="$(ls "$work"/book-"$name"/*.epub)"

# Ace launches chromium with --no-sandbox itself, which running as root needs.
PUPPETEER_EXECUTABLE_PATH="$(command -v chromium)" \
  .ci/ace/node_modules/.bin/ace-cli --silent --force --outdir "$work/ace-$name" "$epub"

python3 - "$work/ace-$name/report.json" "$name" <<'PY' || status=1
import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [
    (group["earl:testSubject"]["url"], item["earl:test"]["earl:impact"], item["earl:test"]["dct:title"],
     item["earl:result"].get("dct:description", ""))
    for group in report.get("assertions", [])
    for item in group.get("assertions", [])
    if item["earl:result"]["earl:outcome"] == "fail" and item["earl:test"]["earl:impact"] in ("critical", "serious")
]
for where, impact, rule, description in bad:
    print(f"ace: {impact}: {where}: {rule}: {description}", file=sys.stderr)
total = sum(len(group.get("assertions", [])) for group in report.get("assertions", []))
print(f"ace: {sys.argv[2]}: {len(bad)} critical or serious violation(s); {total} finding(s) in all")
sys.exit(1 if bad else 0)
PY
done
exit $status
