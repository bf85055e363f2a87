#!/usr/bin/env bash
# Builds dist/hyperframes-desktop_<version>_<arch>.deb from the bundle that packaging/build.sh
# made in dist/hyperframes-desktop/ (`make deb` runs both). Standard Debian tools only:
# dpkg-shlibdeps derives the system libraries the bundle links against, dpkg-deb packs.
#
# Installs:
#   /opt/hyperframes-desktop/                       the bundle
#   /usr/bin/hyperframes-desktop                    symlink to the bundle's executable
#   /usr/share/applications/hyperframes-desktop.desktop
#   /usr/share/icons/hicolor/{48x48,128x128,256x256}/apps/hyperframes-desktop.png, scalable SVG
#   /usr/share/doc/hyperframes-desktop/copyright
#
# Environment (optional):
#   HYPERFRAMES_BUILD_VENV        Python environment with PySide6, for rendering the icon PNGs
#   HYPERFRAMES_DEB_COMPRESSION   xz (default), zstd, gzip or none
#   HYPERFRAMES_DEB_MAINTAINER    the Maintainer field
#   HYPERFRAMES_DIST_DIR          where the bundle is and the .deb goes (default: dist)
#   HYPERFRAMES_WORK_DIR          scratch folder (default: build)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG=hyperframes-desktop
DIST="${HYPERFRAMES_DIST_DIR:-$ROOT/dist}"
BUNDLE="$DIST/$PKG"
VENV="${HYPERFRAMES_BUILD_VENV:-$ROOT/.venv}"
WORK="${HYPERFRAMES_WORK_DIR:-$ROOT/build}/deb"
PKGDIR="$WORK/debian/$PKG"
COMPRESSION="${HYPERFRAMES_DEB_COMPRESSION:-xz}"
MAINTAINER="${HYPERFRAMES_DEB_MAINTAINER:-HyperFrames Desktop maintainers <desktop@hyperframes.dev>}"
log() { printf '[deb] %s\n' "$*" >&2; }
started=$(date +%s)

need_tool() {  # need_tool COMMAND DEBIAN_PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing $2 (for $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }
  else
    log "error: $1 is missing; install it with: sudo apt-get install -y $2"
    exit 1
  fi
}
need_tool dpkg-deb dpkg
need_tool dpkg-shlibdeps dpkg-dev
need_tool readelf binutils
need_tool desktop-file-validate desktop-file-utils

if [ ! -x "$BUNDLE/$PKG" ]; then
  log "error: no bundle in $BUNDLE; build it first with: make package"
  exit 1
fi
VERSION="$("$BUNDLE/$PKG" --version | awk '{print $NF}')"
ARCH="$(dpkg --print-architecture)"
DEB="$DIST/${PKG}_${VERSION}_${ARCH}.deb"
log "packaging $PKG $VERSION for $ARCH"

rm -rf "$WORK"
umask 022
mkdir -p "$PKGDIR/DEBIAN" "$PKGDIR/opt" "$PKGDIR/usr/bin" "$PKGDIR/usr/share/applications" \
         "$PKGDIR/usr/share/icons/hicolor/scalable/apps" "$PKGDIR/usr/share/doc/$PKG"

# The bundle, with normalised permissions (directories and executables 755, the rest 644).
cp -a "$BUNDLE" "$PKGDIR/opt/$PKG"
find "$PKGDIR/opt/$PKG" -type d -exec chmod 755 {} +
find "$PKGDIR/opt/$PKG" -type f -perm /111 -exec chmod 755 {} +
find "$PKGDIR/opt/$PKG" -type f ! -perm /111 -exec chmod 644 {} +
ln -s "/opt/$PKG/$PKG" "$PKGDIR/usr/bin/$PKG"

# Desktop entry, icons (the bundle's own resources, as the app finds them), copyright.
RESOURCES="$BUNDLE/_internal/hyperframes_desktop/resources"
[ -f "$RESOURCES/$PKG.desktop" ] || { log "error: the bundle lacks $RESOURCES/$PKG.desktop"; exit 1; }
install -m 644 "$RESOURCES/$PKG.desktop" "$PKGDIR/usr/share/applications/$PKG.desktop"
desktop-file-validate "$PKGDIR/usr/share/applications/$PKG.desktop"
ICON_SVG="$RESOURCES/icons/$PKG.svg"
[ -f "$ICON_SVG" ] || { log "error: the app icon $ICON_SVG is missing"; exit 1; }
install -m 644 "$ICON_SVG" "$PKGDIR/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
"$VENV/bin/python" "$ROOT/packaging/render_icons.py" "$ICON_SVG" "$PKGDIR/usr/share/icons/hicolor" \
  48 128 256 >/dev/null
find "$PKGDIR/usr/share/icons" -type f -exec chmod 644 {} +
install -m 644 "$ROOT/packaging/deb/copyright" "$PKGDIR/usr/share/doc/$PKG/copyright"
install -m 755 "$ROOT/packaging/deb/postinst" "$ROOT/packaging/deb/postrm" "$PKGDIR/DEBIAN/"

# System libraries the bundle links against (it bundles none of them, see packaging/prune.py).
log "deriving library dependencies with dpkg-shlibdeps"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$PKG" "$PKG" >"$WORK/debian/control"
# Qt's own FFmpeg (QtMultimedia) links libbz2.so.1, a name Debian's libbz2-1.0 ships but does
# not declare in its shlibs (it declares libbz2.so.1.0): say which package provides it.
printf 'libbz2 1 libbz2-1.0\n' >"$WORK/debian/shlibs.local"
mapfile -t elves < <(
  find "$PKGDIR/opt/$PKG" -type f \( -name '*.so' -o -name '*.so.*' -o -perm /111 \) -print0 |
    while IFS= read -r -d '' f; do
      [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && printf '%s\n' "${f#"$WORK"/}"
    done
)
internal="debian/$PKG/opt/$PKG/_internal"
if ! shlibs="$(cd "$WORK" && dpkg-shlibdeps -O -l"$internal" -l"$internal/PySide6/Qt/lib" \
                 "${elves[@]/#/-e}" 2>"$WORK/shlibdeps.log")"; then
  cat "$WORK/shlibdeps.log" >&2
  exit 1
fi
shlibs="${shlibs#shlibs:Depends=}"
# FFmpeg is run as a program; fonts are for the studio's own interface text; Mesa's
# software rasterizer (llvmpipe) draws WebGL pages (render/qt_env.py); chromium-common's
# SwiftShader, when installed, draws them instead, as HyperFrames' Chrome does.
DEPENDS="ffmpeg, libgl1-mesa-dri, libegl-mesa0, $shlibs"

installed_kb="$(du -sk --exclude=DEBIAN "$PKGDIR" | cut -f1)"
cat >"$PKGDIR/DEBIAN/control" <<EOF
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $installed_kb
Depends: $DEPENDS
Recommends: fonts-dejavu-core | fonts-liberation2, chromium-common
Section: video
Priority: optional
Description: native studio and fast renderer for HyperFrames video compositions
 HyperFrames Desktop previews HyperFrames compositions (HTML, CSS and GSAP animations
 seeked frame by frame) and renders them to MP4 and other video formats, from its own
 window or headless from the command line (hyperframes-desktop render PROJECT).
 .
 The package is a self-contained bundle (Python, Qt and QtWebEngine) installed in
 /opt/hyperframes-desktop; it uses the system's FFmpeg.
EOF

log "packing with dpkg-deb ($COMPRESSION)"
rm -f "$DEB"
dpkg-deb --root-owner-group -Z"$COMPRESSION" --build "$PKGDIR" "$DEB" >/dev/null
log "package: $DEB ($(du -h "$DEB" | cut -f1), installed $(( installed_kb / 1024 )) MB, built in $(( $(date +%s) - started )) s)"
