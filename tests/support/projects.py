"""Projects on disk: small compositions written by the tests, the shared samples, and GSAP
fetched from the npm registry into the repository's ignored cache."""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: ``shared/samples`` beside the checkout, or above it (a worktree sits one level deeper);
#: HYPERFRAMES_SAMPLES points elsewhere.
SAMPLES = Path(
    os.environ.get("HYPERFRAMES_SAMPLES")
    or next(
        (
            p / "shared" / "samples"
            for p in REPO_ROOT.parents
            if (p / "shared" / "samples").is_dir()
        ),
        REPO_ROOT.parent / "shared" / "samples",
    )
)

GSAP_VERSION = "3.14.2"
GSAP_URL = f"https://registry.npmjs.org/gsap/-/gsap-{GSAP_VERSION}.tgz"
GSAP_MEMBER = "package/dist/gsap.min.js"
GSAP_CACHE = REPO_ROOT / ".cache" / "gsap" / GSAP_VERSION / "gsap.min.js"


def write_project(folder: Path, html: str, files: dict[str, str | bytes] | None = None) -> Path:
    """Write ``index.html`` (and any other ``files``, paths relative to the project) into
    ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    for name, content in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return folder


def _is_gsap(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(400)
    except OSError:
        return False
    return f"GSAP {GSAP_VERSION}".encode() in head


def npm_file(
    url: str, member: str, cache: Path, is_good: Callable[[Path], bool], what: str
) -> Path:
    """``member`` of the npm tarball at ``url``, kept at ``cache`` (git-ignored) and fetched
    once when missing or not ``is_good``; ``what`` names it in the error."""
    if is_good(cache):
        return cache
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            tarball = response.read()
    except OSError as exc:
        raise RuntimeError(
            f"cannot download {what} from {url} ({exc}); the tests need it once, cached at {cache}"
        ) from exc
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        extracted = archive.extractfile(member)
        if extracted is None:
            raise RuntimeError(f"{url} has no {member}")
        data = extracted.read()
    cache.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".npm-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, cache)  # atomic: a concurrent reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if not is_good(cache):
        raise RuntimeError(f"{url} did not contain {what}")
    return cache


def gsap_js() -> Path:
    """Path of GSAP's ``gsap.min.js`` in ``.cache/gsap/<version>/`` (git-ignored), fetched
    once from the npm registry's tarball when missing. Never vendored."""
    return npm_file(GSAP_URL, GSAP_MEMBER, GSAP_CACHE, _is_gsap, f"GSAP {GSAP_VERSION}")


def copy_sample(name: str, dest: Path, with_gsap: bool = True) -> Path:
    """A copy of ``../shared/samples/<name>`` at ``dest`` (GSAP beside index.html)."""
    shutil.copytree(SAMPLES / name, dest)
    if with_gsap:
        shutil.copyfile(gsap_js(), dest / "gsap.min.js")
    return dest


def partial_files(folder: Path) -> list[Path]:
    """Temp outputs the engine may leave: hidden files whose name contains 'partial'."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(".*") if "partial" in p.name)


def scratch_left(folder: Path) -> list[str]:
    """What a render left in its temp folder. ``pulse-*`` is PulseAudio's client dir, which
    Chromium's audio code creates in TMPDIR; it belongs to no render."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("pulse-"))
