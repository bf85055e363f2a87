"""Trim what PyInstaller's analysis collected down to what the app can load.

Called from ``hyperframes-desktop.spec`` on the Analysis' ``binaries`` and ``datas`` lists
(entries are ``(dest, source, typecode)``):

1. The QML module tree is dropped: QtWebEngineWidgets draws into a QQuickWidget that needs no
   QML import, and nothing of ours loads QML.
2. Qt plugins the app never uses are dropped (embedded/framebuffer platforms, evdev input,
   virtual keyboard, QML debugging, positioning, printing, the GTK theme that would drag GTK in).
3. System libraries (found under /lib or /usr/lib of the build machine) are not bundled: the
   package declares them as dependencies instead (see build-deb.sh, which derives them with
   dpkg-shlibdeps), so the host's own X11/Wayland/GL/NSS/fontconfig stack is used, which is
   what QtWebEngine expects. Only the Python runtime library is kept.
4. Bundled shared libraries that no remaining extension module, plugin or executable needs
   (following ELF ``DT_NEEDED`` entries) are dropped, with the symlinks pointing at them.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Iterable

Entry = tuple[str, str, str]

QML_PREFIX = "PySide6/Qt/qml/"
PLUGINS = "PySide6/Qt/plugins/"
UNUSED_PLUGINS = (
    "egldeviceintegrations/",
    "generic/",
    "qmltooling/",
    "position/",
    "printsupport/",
    "platforms/libqeglfs.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqvnc.so",
    "platforms/libqvkkhrdisplay.so",
    "platforms/libqminimalegl.so",
    "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "platformthemes/libqgtk3.so",
)
SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
KEEP_FROM_SYSTEM = ("libpython",)


def _dest(entry: Entry) -> str:
    return entry[0].replace("\\", "/")


def is_unused_plugin(dest: str) -> bool:
    return dest.startswith(PLUGINS) and dest[len(PLUGINS) :].startswith(UNUSED_PLUGINS)


def is_system_library(dest: str, source: str) -> bool:
    name = posixpath.basename(dest)
    if name.startswith(KEEP_FROM_SYSTEM):
        return False
    real = os.path.realpath(source)
    return any(p.startswith(SYSTEM_DIRS) for p in (source, real))


def is_library(dest: str) -> bool:
    """A shared library that is only there because something else needs it."""
    name = posixpath.basename(dest)
    return (
        name.startswith("lib")
        and ".so" in name
        and not dest.startswith(PLUGINS)
        and not name.startswith(KEEP_FROM_SYSTEM)
    )


def needed_libraries(path: str) -> list[str]:
    """The ``DT_NEEDED`` sonames of an ELF file (readelf, from binutils like PyInstaller)."""
    result = subprocess.run(
        ["readelf", "-d", "--wide", path], capture_output=True, text=True, check=False
    )
    names = []
    for line in result.stdout.splitlines():
        if "(NEEDED)" in line and "[" in line:
            names.append(line.rsplit("[", 1)[1].rstrip("]").strip())
    return names


def _symlink_target(entry: Entry) -> str:
    dest = _dest(entry)
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), entry[1]))


def prune(
    binaries: Iterable[Entry], datas: Iterable[Entry], log=print
) -> tuple[list[Entry], list[Entry]]:
    binaries, datas = list(binaries), list(datas)
    dropped: dict[str, list[str]] = {"qml": [], "plugin": [], "system": [], "unneeded": []}

    kept_bins: list[Entry] = []
    for entry in binaries:
        dest = _dest(entry)
        if dest.startswith(QML_PREFIX):
            dropped["qml"].append(dest)
        elif is_unused_plugin(dest):
            dropped["plugin"].append(dest)
        elif is_system_library(dest, entry[1]):
            dropped["system"].append(dest)
        else:
            kept_bins.append(entry)

    # Reachability over DT_NEEDED from everything that is loaded on its own.
    by_name: dict[str, list[Entry]] = {}
    for entry in kept_bins:
        if is_library(_dest(entry)):
            by_name.setdefault(posixpath.basename(_dest(entry)), []).append(entry)
    for entry in datas:  # symlinks give libraries their other names (sonames)
        if entry[2] == "SYMLINK":
            target = _symlink_target(entry)
            for lib in list(by_name.get(posixpath.basename(target), [])):
                by_name.setdefault(posixpath.basename(_dest(entry)), []).append(lib)
    roots = [entry for entry in kept_bins if not is_library(_dest(entry))]
    reached: set[str] = set()
    todo = list(roots)
    while todo:
        entry = todo.pop()
        for soname in needed_libraries(entry[1]):
            for lib in by_name.get(soname, []):
                if _dest(lib) not in reached:
                    reached.add(_dest(lib))
                    todo.append(lib)
    final_bins = []
    for entry in kept_bins:
        if is_library(_dest(entry)) and _dest(entry) not in reached:
            dropped["unneeded"].append(_dest(entry))
        else:
            final_bins.append(entry)

    kept_paths = {_dest(e) for e in final_bins}
    final_datas = []
    for entry in datas:
        dest = _dest(entry)
        if dest.startswith(QML_PREFIX):
            continue
        if entry[2] == "SYMLINK" and _symlink_target(entry) not in kept_paths:
            continue
        final_datas.append(entry)

    for reason, items in dropped.items():
        log(f"[prune] dropped {len(items)} {reason} binaries")
    return final_bins, final_datas
