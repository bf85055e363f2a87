#!/usr/bin/env bash
# Sets everything up, then runs the whole test suite headless (as CI does): lint, the
# import contracts that keep the engine Qt-widget-free, and pytest.
#
# pytest runs twice, one family after the other: the studio's UI tests (tests/ui, which run
# QtWebEngine inside the test process) in a process of their own, then everything else. A
# crash of the in-process Chromium then takes only its own family down, and every other
# test still reports; both exit codes count, a crash is named by its signal, and
# tests/support/crash_report.py prints the dying test, its output and its Python stacks.
# Extra args go to ONE pytest run over the whole suite, as before (e.g. -m "not packaging").
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
if [ "$#" -gt 0 ]; then
  echo "== pytest" >&2
  exec python -m pytest "$@"
fi

UI_FAMILY=tests/ui
failed=0
run_family() {  # name, pytest args...: runs it, says how it ended, remembers a failure
  local name="$1" status=0
  shift
  echo "== pytest: $name" >&2
  python -m pytest "$@" || status=$?
  if [ "$status" -gt 128 ]; then
    echo "== pytest: $name DIED from signal SIG$(kill -l "$((status - 128))") (exit $status)" >&2
  elif [ "$status" -ne 0 ]; then
    echo "== pytest: $name failed (exit $status)" >&2
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed="$status"
  fi
}
run_family "everything but $UI_FAMILY" --ignore="$UI_FAMILY"
run_family "$UI_FAMILY (QtWebEngine in the test process)" "$UI_FAMILY"
if [ "$failed" -ne 0 ]; then
  echo "== pytest: FAILED (see above; exit $failed)" >&2
fi
exit "$failed"
