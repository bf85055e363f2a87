#!/usr/bin/env bash
# Sets everything up, then opens the studio on the bundled demo project. Where there is no
# display it renders the demo headless instead, to out/demo.mp4, and says so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec hyperframes-desktop "$ROOT/resources/demo" "$@"
fi
mkdir -p "$ROOT/out"
echo "No display found: rendering the demo project headless to out/demo.mp4" >&2
hyperframes-desktop render "$ROOT/resources/demo" -o "$ROOT/out/demo.mp4" "$@"
