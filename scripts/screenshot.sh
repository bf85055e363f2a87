#!/usr/bin/env bash
# Start the studio under Xvfb on the bundled demo project and save a PNG of its window
# (the studio grabs itself once the preview and thumbnails have settled, then quits).
#
#   scripts/screenshot.sh [OUTPUT.png]      default: docs/screenshot.png
#
# Needs xvfb-run (Debian/Ubuntu: sudo apt install xvfb). Nothing is sent (telemetry off)
# and your own studio settings are not touched (temporary config and data folders).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/docs/screenshot.png}"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  if [[ -x "$ROOT/.venv/bin/python" ]]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "screenshot.sh: xvfb-run not found; install it with 'sudo apt install xvfb'" >&2
  exit 2
fi
DEMO="$ROOT/resources/demo"
[[ -f "$DEMO/index.html" ]] || { echo "screenshot.sh: no demo project at $DEMO" >&2; exit 2; }

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"

env -u QT_QPA_PLATFORM -u WAYLAND_DISPLAY \
  XDG_CONFIG_HOME="$SCRATCH/config" XDG_DATA_HOME="$SCRATCH/data" \
  HYPERFRAMES_NO_TELEMETRY=1 QT_QUICK_BACKEND=software QT_SCALE_FACTOR=1 \
  HYPERFRAMES_SCREENSHOT="$OUT" PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
  timeout 120 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$PYTHON" -m hyperframes_desktop.cli studio "$DEMO"

[[ -s "$OUT" ]] || { echo "screenshot.sh: no screenshot was written" >&2; exit 1; }
echo "$OUT"
