#!/usr/bin/env bash
# Installs whatever is missing to run HyperFrames Desktop from this checkout, then returns.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again (each step is skipped when done).
#   - system packages (FFmpeg, Xvfb, QtWebEngine's libraries, fonts, python3-venv) with apt when root;
#     otherwise it names the sudo command to run and stops if something essential is missing;
#   - a virtual environment in .venv with the project and its dev tools (from pyproject.toml),
#     re-installed only when pyproject.toml changes;
#   - the bundled fonts, fetched from the npm registry by scripts/fetch_fonts.py (once);
#   - bytecode for the package's modules (what an installed wheel or bundle ships).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HYPERFRAMES_VENV:-$ROOT/.venv}"
log() { printf '[setup] %s\n' "$*" >&2; }

APT_PACKAGES=(
  ffmpeg xvfb xauth fonts-dejavu-core python3-venv python3-pip
  libnss3 libnspr4 libxkbcommon0 libxkbcommon-x11-0 libxcomposite1 libxdamage1 libxrandr2
  libgbm1 libasound2 libxshmfence1 libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3
  libxkbfile1 libxtst6 libxi6 libxcursor1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libglib2.0-0
  libgl1-mesa-dri libegl-mesa0  # Mesa's llvmpipe: software WebGL fallback (render/qt_env.py)
  chromium-common  # SwiftShader's Vulkan driver: software WebGL as HyperFrames draws it
  openssl  # the farm's TLS test makes its certificates with it
  pulseaudio  # a null sink gives the preview-sound tests a real audio device
)

missing_apt() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s\n' "$pkg"
  done
}

install_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    command -v ffmpeg >/dev/null || { log "FFmpeg is missing: install it with your package manager."; exit 1; }
    return
  fi
  local missing
  missing="$(missing_apt | tr '\n' ' ')"
  [ -z "${missing// /}" ] && return
  if [ "$(id -u)" = 0 ]; then
    log "installing system packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    log "missing system packages: $missing"
    log "install them with: sudo apt-get install -y $missing"
    command -v ffmpeg >/dev/null || { log "FFmpeg is required; run the command above, then retry."; exit 1; }
  fi
}

pick_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      printf '%s\n' "$candidate"; return
    fi
  done
  log "Python 3.11 or newer is required (found: $(python3 --version 2>&1 || echo none))."
  exit 1
}

install_venv() {
  local stamp="$VENV/.pyproject.sha256" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating the virtual environment in $VENV"
    "$(pick_python)" -m venv "$VENV"
  fi
  log "installing HyperFrames Desktop and its dependencies into $VENV (first time: a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e "$ROOT[dev,farm]"
  printf '%s\n' "$want" >"$stamp"
}

# The bundled fonts (resources/fonts/npm, git-ignored) come from the npm registry once.
fetch_fonts() {
  "$VENV/bin/python" "$ROOT/scripts/fetch_fonts.py" --quiet ||
    { log "the bundled fonts could not be fetched (see above); renders need them."; exit 1; }
}

# Bytecode for hyperframes_desktop, as an installed wheel or bundle has it. This checkout is
# an editable install: where PYTHONDONTWRITEBYTECODE is set, every CLI and capture process
# would otherwise compile our modules from source again (~0.1-0.15 CPU-s a process, three
# processes a render). Python checks each file's source time, so an edited module is never
# run from stale bytecode (it is compiled in memory until this runs again); __pycache__ is
# git-ignored. Up to date, this takes ~0.1 s.
compile_bytecode() {
  "$VENV/bin/python" -m compileall -q "$ROOT/hyperframes_desktop" >/dev/null ||
    log "bytecode for hyperframes_desktop could not be written; modules compile at start-up instead"
}

install_system_packages
install_venv
fetch_fonts
compile_bytecode
export PATH="$VENV/bin:$PATH"
