"""cdnjs URLs of libraries that are also on npm, mapped to the same file of the npm package.

cdnjs names libraries and versions its own way (``three.js/r128``); the npm package and the
folder that holds the file are listed here. Libraries not listed are blocked: cdnjs itself is
never contacted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


def _same(version: str) -> str | None:
    return version if re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][\w.]+)?", version) else None


def _three_release(version: str) -> str | None:
    """three.js releases are ``rNNN`` on cdnjs and ``0.NNN.0`` on npm."""
    match = re.fullmatch(r"r(\d+)", version)
    return f"0.{match.group(1)}.0" if match else _same(version)


@dataclass(frozen=True)
class CdnjsLibrary:
    package: str
    folder: str  # where the package keeps the files cdnjs serves at its top level
    version: Callable[[str], str | None] = _same


CDNJS_LIBRARIES: dict[str, CdnjsLibrary] = {
    "gsap": CdnjsLibrary("gsap", "dist"),
    "three.js": CdnjsLibrary("three", "build", _three_release),
    "d3": CdnjsLibrary("d3", "dist"),
    "animejs": CdnjsLibrary("animejs", "lib"),
    "lottie-web": CdnjsLibrary("lottie-web", "build/player"),
    "bodymovin": CdnjsLibrary("lottie-web", "build/player"),
    "topojson": CdnjsLibrary("topojson", "dist"),
}


def cdnjs_target(rest: str) -> tuple[str, str, str] | None:
    """``three.js/r128/three.min.js`` → ("three", "0.128.0", "build/three.min.js")."""
    pieces = rest.split("/", 2)
    if len(pieces) != 3 or not pieces[2]:
        return None
    library = CDNJS_LIBRARIES.get(pieces[0].lower())
    if library is None:
        return None
    version = library.version(pieces[1])
    if version is None:
        return None
    return library.package, version, f"{library.folder}/{pieces[2]}"
