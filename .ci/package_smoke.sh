#!/usr/bin/env bash
# Smoke-test the packaged app the way an office PC meets it: a copy of the bundle outside the
# source tree (so nothing can be read from the checkout), a fresh home folder (fresh SQLite
# file, settings and logs), run from an unrelated folder. Fails on the first failing step.
#   .ci/package_smoke.sh [dist/dairy-desktop]
set -euo pipefail
bundle="$(cd "$(dirname "$0")/.." && pwd)/${1:-dist/dairy-desktop}"
[ -x "$bundle/dairy-desktop" ] || { echo "no packaged app at $bundle; build it first" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -a "$bundle" "$work/app"
app="$work/app/dairy-desktop"
export DAIRY_DESKTOP_HOME="$work/home"
unset DAIRY_DESKTOP_DATABASE_URL
cd "$work"

step() { echo "--- packaged: $*"; }

step "--version (from the bundled package metadata)"
version="$("$app" --version)"
echo "$version"
[ "$version" != "0.0.0+source" ] || { echo "version metadata is not bundled" >&2; exit 1; }
"$work/app/dairy-desktop-gui" --version >/dev/null

step "self-check"
"$app" self-check

step "batches list --json on a fresh SQLite file"
listed="$("$app" batches list --json)"
[ "$listed" = "[]" ] || { echo "expected [], got: $listed" >&2; exit 1; }
[ -f "$DAIRY_DESKTOP_HOME/data/dairy.sqlite3" ] || { echo "no SQLite file created" >&2; exit 1; }

step "migrate on the now current schema (settled without Alembic)"
migrated="$("$app" migrate)"
echo "$migrated"
case "$migrated" in *"already up to date"*) ;; *) echo "expected a current schema" >&2; exit 1 ;; esac

step "print-sheet --output sheet.pdf"
"$app" batches register --code SMK-20251204-0001 --liters 12.5 --shelf-life-days 1 >/dev/null
"$app" print-sheet --output "$work/sheet.pdf"
[ "$(head -c 5 "$work/sheet.pdf")" = "%PDF-" ] || { echo "sheet.pdf is not a PDF" >&2; exit 1; }

step "simulate: 2 workstation processes from the bundle (needs freeze_support)"
"$app" --database-url "sqlite:///$work/simulate.sqlite3" simulate --workstations 2 --duration 3 --batches 3 >/dev/null

echo "packaged smoke: OK"
