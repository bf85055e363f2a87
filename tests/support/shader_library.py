"""``@hyperframes/shader-transitions``' global build (``window.HyperShader``), fetched once from
the npm registry into the repository's ignored ``.cache/``. Never vendored."""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from support.projects import REPO_ROOT

SHADER_LIB_VERSION = "0.8.41"
SHADER_LIB_URL = (
    "https://registry.npmjs.org/@hyperframes/shader-transitions/-/"
    f"shader-transitions-{SHADER_LIB_VERSION}.tgz"
)
_MEMBER = "package/dist/index.global.js"
SHADER_LIB_CACHE = (
    REPO_ROOT / ".cache" / "hyperframes-shader-transitions" / SHADER_LIB_VERSION / "index.global.js"
)


def _is_library(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(200)
    except OSError:
        return False
    return b"var HyperShader=" in head


def shader_library_js() -> Path:
    """Path of the library's ``dist/index.global.js``, downloaded when missing."""
    if _is_library(SHADER_LIB_CACHE):
        return SHADER_LIB_CACHE
    try:
        with urllib.request.urlopen(SHADER_LIB_URL, timeout=60) as response:
            tarball = response.read()
    except OSError as exc:
        raise RuntimeError(
            f"cannot download @hyperframes/shader-transitions {SHADER_LIB_VERSION} from "
            f"{SHADER_LIB_URL} ({exc}); the shader transition tests need it once, cached at "
            f"{SHADER_LIB_CACHE}"
        ) from exc
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(_MEMBER)
        if member is None:
            raise RuntimeError(f"{SHADER_LIB_URL} has no {_MEMBER}")
        data = member.read()
    SHADER_LIB_CACHE.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=SHADER_LIB_CACHE.parent, prefix=".lib-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, SHADER_LIB_CACHE)  # atomic: a concurrent reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if not _is_library(SHADER_LIB_CACHE):
        raise RuntimeError(f"{SHADER_LIB_URL} did not contain the library's global build")
    return SHADER_LIB_CACHE
