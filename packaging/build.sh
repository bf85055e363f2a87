#!/usr/bin/env bash
# Builds the one-folder bundle dist/hyperframes-desktop/ with PyInstaller (`make package`).
#
# Environment (all optional):
#   HYPERFRAMES_BUILD_VENV          virtual environment to build in (default: .venv, set up by
#                                   scripts/bootstrap.sh when missing); pyinstaller is added to it
#   HYPERFRAMES_BUILD_POSTHOG_KEY   telemetry key frozen into the build (phc_...; default none)
#   HYPERFRAMES_BUILD_POSTHOG_HOST  telemetry host frozen into the build (default: the app's)
#   HYPERFRAMES_BUILD_NO_TELEMETRY  1 = compile telemetry out
#   HYPERFRAMES_BUILD_CLEAN         1 = drop PyInstaller's cache first
#   HYPERFRAMES_DIST_DIR            where the bundle goes (default: dist)
#   HYPERFRAMES_WORK_DIR            scratch folder: staged sources, PyInstaller cache (default: build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HYPERFRAMES_BUILD_VENV:-$ROOT/.venv}"
DIST="${HYPERFRAMES_DIST_DIR:-$ROOT/dist}"
WORK_BASE="${HYPERFRAMES_WORK_DIR:-$ROOT/build}"
BUNDLE="$DIST/hyperframes-desktop"
log() { printf '[package] %s\n' "$*" >&2; }

cd "$ROOT"
started=$(date +%s)

if ! "$VENV/bin/python" -c 'import hyperframes_desktop, PySide6.QtWebEngineWidgets' 2>/dev/null; then
  log "setting up $VENV"
  HYPERFRAMES_VENV="$VENV" bash "$ROOT/scripts/bootstrap.sh"
fi
# The bundled fonts are not in git: fetch them from the npm registry (a no-op when done).
"$VENV/bin/python" "$ROOT/scripts/fetch_fonts.py"
if ! "$VENV/bin/python" -c 'import PyInstaller' 2>/dev/null; then
  log "installing PyInstaller into $VENV"
  "$VENV/bin/python" -m pip install -q "pyinstaller>=6.10,<7"
fi

# Fail early (before minutes of analysis) on a malformed telemetry configuration.
"$VENV/bin/python" -c '
import sys; sys.path.insert(0, "packaging")
import staging
try:
    print("[package] " + staging.describe(staging.telemetry_settings()), file=sys.stderr)
except staging.BuildConfigError as exc:
    sys.exit(f"[package] error: {exc}")
'

clean=()
[ "${HYPERFRAMES_BUILD_CLEAN:-0}" = 1 ] && clean=(--clean)
log "freezing with PyInstaller $("$VENV/bin/python" -m PyInstaller --version) (a few minutes)"
HYPERFRAMES_STAGE_DIR="$WORK_BASE/stage" \
  "$VENV/bin/python" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
  --distpath "$DIST" --workpath "$WORK_BASE/pyinstaller" "$ROOT/packaging/hyperframes-desktop.spec"

# Smoke check: the frozen executable starts, and QtWebEngine's pieces are in the bundle.
"$BUNDLE/hyperframes-desktop" --version
for needed in QtWebEngineProcess qtwebengine_resources.pak icudtl.dat qtwebengine_locales/en-US.pak \
              hyperframes_desktop/render/js hyperframes_desktop/resources/demo/index.html \
              "hyperframes_desktop/resources/fonts/npm/@fontsource-variable/inter/files/*.woff2" \
              hyperframes_desktop/resources/fonts/npm/@fontsource/noto-sans-jp/LICENSE \
              hyperframes_desktop/resources/icons/hyperframes-desktop.svg \
              hyperframes_desktop/resources/hyperframes-desktop.desktop \
              "plugins/multimedia/libffmpegmediaplugin.so"; do
  if ! find "$BUNDLE/_internal" -path "*$needed" -print -quit | grep -q .; then
    log "error: the bundle lacks $needed"
    exit 1
  fi
done

log "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1), built in $(( $(date +%s) - started )) s)"
