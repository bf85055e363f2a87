"""The project as a content-addressed bundle: every file the chunks need (the project's files,
the compiled page, the extracted video frames), each named by its SHA-256.

The compiled page refers to files by absolute ``file://`` URLs of the client. Those prefixes
are replaced by tokens here, and by the worker's own folders when the bundle is unpacked
there, so no shared filesystem is needed and the bundle's digest does not depend on where
the client keeps its scratch files.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.project.outside_links import OutsideLink
from hyperframes_desktop.project.tree import ProjectTree, walk_project
from hyperframes_desktop.render.resources.local_files import FOLLOWED_LINKS_FILE

log = logging.getLogger("hyperframes_desktop.render")

BUNDLE_TOKEN = "@HF_BUNDLE@"  # → the unpacked bundle folder's file:// URL
FONTS_TOKEN = "@HF_FONTS@"  # → the worker's bundled fonts folder's file:// URL
#: Project folders never sent: earlier renders (top level) and caches (hidden ones neither).
SKIPPED_TOP = {"renders"}
SKIPPED_ANY = {"__pycache__"}
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class BundleEntry:
    path: str  # inside the bundle, POSIX: project/…, page/…, frames/…
    digest: str
    size: int


@dataclass
class Bundle:
    entries: list[BundleEntry] = field(default_factory=list)
    #: digest → where the client reads it: a file, or the bytes of a rewritten page file
    sources: dict[str, Path | bytes] = field(default_factory=dict)
    page: str = "page/composition.html"
    #: sentences for the project's links that lead outside it (not sent)
    left_out: list[str] = field(default_factory=list)

    @property
    def digest(self) -> str:
        manifest = json.dumps([[e.path, e.digest] for e in self.entries], sort_keys=True)
        return sha256_bytes(manifest.encode("utf-8"))[:32]

    @property
    def size(self) -> int:
        return sum(e.size for e in self.entries)

    def manifest(self) -> list[tuple[str, str]]:
        return [(e.path, e.digest) for e in self.entries]

    def add_file(self, path: str, source: Path) -> None:
        digest = sha256_file(source)
        self.entries.append(BundleEntry(path, digest, source.stat().st_size))
        self.sources.setdefault(digest, source)

    def add_bytes(self, path: str, data: bytes) -> None:
        digest = sha256_bytes(data)
        self.entries.append(BundleEntry(path, digest, len(data)))
        self.sources.setdefault(digest, data)


def _uri_dir(folder: Path) -> str:
    return folder.resolve().as_uri().rstrip("/") + "/"


def project_tree(root: Path, follow: Collection[OutsideLink] = ()) -> ProjectTree:
    """Every file of the project a page may load (hidden entries and earlier renders left
    out), links followed by the one rule a local render also keeps (project.tree); links
    leading outside it only when in ``follow`` (the user's grant)."""
    return walk_project(
        root,
        keep_dir=lambda rel, name: (
            not name.startswith(".")
            and name not in SKIPPED_ANY
            and not (rel == "" and name in SKIPPED_TOP)
        ),
        keep_file=lambda name: not name.startswith("."),
        follow=follow,
    )


def project_files(root: Path) -> list[Path]:
    """The real files :func:`project_tree` keeps."""
    return [real for _rel, real in project_tree(root).files]


def build_bundle(
    project_root: Path,
    page_dir: Path,
    frames_root: Path | None,
    frame_files: list[Path],
    fonts_dir: Path,
    follow: Collection[OutsideLink] = (),
) -> Bundle:
    """Hash the project, the page (with its client paths tokenised) and the video frames."""
    bundle = Bundle()
    tree = project_tree(project_root, follow)
    for rel, source in tree.files:
        bundle.add_file("project/" + rel, source)
    bundle.left_out = tree.warnings()
    for sentence in bundle.left_out:
        log.warning("%s", sentence)
    project_root = project_root.resolve()
    replacements = [
        (_uri_dir(page_dir), f"{BUNDLE_TOKEN}/page/"),
        (_uri_dir(project_root), f"{BUNDLE_TOKEN}/project/"),
        (_uri_dir(fonts_dir), f"{FONTS_TOKEN}/"),
    ]
    if frames_root is not None:
        replacements.append((_uri_dir(frames_root), f"{BUNDLE_TOKEN}/frames/"))
        for source in sorted(set(frame_files)):
            rel = source.resolve().relative_to(frames_root.resolve()).as_posix()
            bundle.add_file("frames/" + rel, source)
    replacements.sort(key=lambda pair: len(pair[0]), reverse=True)  # longest prefix first
    for source in sorted(page_dir.iterdir()):
        if source.is_file() and source.name != FOLLOWED_LINKS_FILE:  # the client's own paths
            text = source.read_text(encoding="utf-8")
            for prefix, token in replacements:
                text = text.replace(prefix, token)
            bundle.add_bytes("page/" + source.name, text.encode("utf-8"))
    return bundle


def localise(text: str, bundle_dir: Path, fonts_dir: Path) -> str:
    """A page file's tokens → this machine's folders (the inverse of ``build_bundle``)."""
    text = text.replace(f"{BUNDLE_TOKEN}/", _uri_dir(bundle_dir))
    return text.replace(f"{FONTS_TOKEN}/", _uri_dir(fonts_dir))
