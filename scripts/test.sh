#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite headless (as CI does): lint, the
# import contracts that keep the engine Qt-widget-free, and pytest. Extra args go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
unset DISPLAY WAYLAND_DISPLAY
echo "== ruff" >&2
ruff check .
ruff format --check .
echo "== import contracts" >&2
lint-imports
echo "== pytest" >&2
exec python -m pytest "$@"
