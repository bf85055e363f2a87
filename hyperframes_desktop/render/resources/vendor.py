"""``vendor``: copy every remote resource a project names into ``vendor/`` and point the
composition files at the copies, so the project renders with no network at all.

Attributes are rewritten with the timeline write-back's byte-exact tag editing (only the
value changes; quotes, case, CRLF and everything else stay), CSS ``url()`` and fetched
string literals by replacing exactly the URL's characters. Paths are relative to the project
folder, which is what a composition's URLs resolve against (sub-compositions are inlined
into the root page). A vendored stylesheet's own remote ``url()``s (font files) are vendored
too and rewritten relative to it.

The CLI and the studio share the steps: :func:`named_urls` (what a confirmation lists, no
network), :func:`plan_vendor` (resolve and compute, nothing written), :func:`write_copies`
(the ``vendor/`` files) and :func:`rewrite_compositions` (the composition files, atomically,
refused when one changed on disk since the plan read it; the studio records the result in
its undo history, the CLI keeps ``.bak`` copies).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from hyperframes_desktop.project.listing import composition_files
from hyperframes_desktop.project.remote_refs import refs_in_text
from hyperframes_desktop.project.timeline.tags import rewrite_start_tag
from hyperframes_desktop.project.timeline.writeback import (
    AppliedEdit,
    FileWrite,
    atomic_write,
    changed_on_disk,
    write_all,
)
from hyperframes_desktop.render.resources.errors import Refusal
from hyperframes_desktop.render.resources.resolver import Answer, Resolver

_CSS_URL = re.compile(r"""url\(\s*["']?(https://[^"')\s]+)["']?\s*\)""")
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+~=-]")


class VendorCancelled(Exception):
    """``plan_vendor`` was asked to stop; nothing was written."""


@dataclass(frozen=True)
class VendoredFile:
    path: Path  # a composition file
    before: bytes
    after: bytes


@dataclass
class VendorPlan:
    files: list[VendoredFile] = field(default_factory=list)
    copies: dict[str, bytes] = field(default_factory=dict)  # project-relative path → bytes
    vendored: dict[str, str] = field(default_factory=dict)  # URL → project-relative path
    refusals: list[Refusal] = field(default_factory=list)


def vendor_path(url: str, answer: Answer) -> str:
    """Where a URL's copy goes: ``vendor/npm/<pkg>@<exact version>/<file>`` for npm files,
    ``vendor/<host>/<path>`` (the query folded into the name) for anything else."""
    if answer.npm_file:
        pieces = answer.npm_file.split("/")
        return "vendor/npm/" + "/".join(_UNSAFE.sub("_", p) for p in pieces if p not in ("", ".."))
    parts = urlsplit(url)
    segments = [_UNSAFE.sub("_", unquote(p)) for p in parts.path.split("/") if p not in ("", "..")]
    name = segments.pop() if segments else "index"
    if parts.query:
        name = f"{name}_{_UNSAFE.sub('_', parts.query)[:80]}"
        if answer.content_type == "text/css" and not name.endswith(".css"):
            name += ".css"
    return "/".join(["vendor", _UNSAFE.sub("_", parts.netloc), *segments, name])


def _relative(target: str, from_file: str) -> str:
    start = PurePosixPath(from_file).parent
    parts_t, parts_s = PurePosixPath(target).parts, start.parts
    common = 0
    while common < min(len(parts_t), len(parts_s)) and parts_t[common] == parts_s[common]:
        common += 1
    return "/".join([".."] * (len(parts_s) - common) + list(parts_t[common:]))


class _Vendorer:
    def __init__(
        self,
        resolver: Resolver,
        plan: VendorPlan,
        stop: Callable[[], bool] | None,
        on_url: Callable[[str], None] | None,
    ) -> None:
        self.resolver = resolver
        self.plan = plan
        self.stop = stop
        self.on_url = on_url

    def copy(self, url: str, integrity: str | None = None) -> str | None:
        """The project-relative path of ``url``'s copy (made once), None if refused."""
        if url in self.plan.vendored:
            return self.plan.vendored[url]
        if self.stop is not None and self.stop():
            raise VendorCancelled
        if self.on_url is not None:
            self.on_url(url)
        answer = self.resolver.resolve(url, integrity=integrity)
        if not isinstance(answer, Answer):
            self.plan.refusals.append(answer)
            return None
        path = vendor_path(url, answer)
        self.plan.vendored[url] = path
        body = answer.body
        if answer.content_type == "text/css":
            body = self._css(body.decode("utf-8", "replace"), path).encode("utf-8")
        self.plan.copies[path] = body
        return path

    def _css(self, css: str, css_path: str) -> str:
        def swap(match: re.Match[str]) -> str:
            copied = self.copy(match.group(1))
            if copied is None:
                return match.group(0)
            return match.group(0).replace(match.group(1), _relative(copied, css_path))

        return _CSS_URL.sub(swap, css)


def named_urls(root: Path) -> dict[str, list[Path]]:
    """Every remote URL the project's compositions name (in the order found) → the files
    naming it; read from the files alone, no network. A vendored stylesheet's font files are
    not among them (they are known once the stylesheet is fetched)."""
    found: dict[str, list[Path]] = {}
    for path in composition_files(root):
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        for ref in refs_in_text(text, path, path.parent):
            files = found.setdefault(ref.url, [])
            if path not in files:
                files.append(path)
    return found


def plan_vendor(
    root: Path,
    resolver: Resolver,
    *,
    stop: Callable[[], bool] | None = None,
    on_url: Callable[[str], None] | None = None,
) -> VendorPlan:
    """Everything ``vendor`` would write, computed without writing anything. ``on_url`` is
    told each URL before it is resolved; ``stop`` is asked before each one and, when it says
    so, :class:`VendorCancelled` is raised."""
    plan = VendorPlan()
    vendorer = _Vendorer(resolver, plan, stop, on_url)
    for path in composition_files(root):
        before = path.read_bytes()
        text = before.decode("utf-8", "surrogateescape")
        edits: list[tuple[int, int, str]] = []
        per_tag: dict[int, dict[str, str | None]] = {}
        for ref in refs_in_text(text, path, path.parent):
            copied = vendorer.copy(ref.url, ref.integrity)
            if copied is None:
                continue
            if ref.tag_begin is not None and ref.attribute:
                per_tag.setdefault(ref.tag_begin, {})[ref.attribute] = copied
            elif ref.span is not None:
                edits.append((ref.span[0], ref.span[1], copied))
        for begin, changes in per_tag.items():
            end, new_tag = rewrite_start_tag(text, begin, changes)
            edits.append((begin, end, new_tag))
        after = text
        for begin, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
            after = after[:begin] + new + after[end:]
        if after != text:
            plan.files.append(VendoredFile(path, before, after.encode("utf-8", "surrogateescape")))
    return plan


def write_copies(root: Path, plan: VendorPlan) -> list[str]:
    """Write the plan's ``vendor/`` files (atomically; one already holding the same bytes is
    left alone). Returns the project-relative paths written."""
    written: list[str] = []
    for relative, data in plan.copies.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            atomic_write(target, data, "vendor")
            written.append(relative)
    return written


def composition_writes(plan: VendorPlan, root: Path, doing: str) -> tuple[FileWrite, ...]:
    """The plan's composition rewrites, once every file still holds the bytes the plan read
    (:class:`FileChangedError` naming the first that does not; ``doing`` ends its sentence)."""
    for changed in plan.files:
        changed_on_disk(changed.path, changed.before, root, doing)
    return tuple(FileWrite(f.path, f.before, f.after) for f in plan.files)


def rewrite_compositions(plan: VendorPlan, root: Path, label: str) -> AppliedEdit:
    """Point the compositions at the copies: every file or none (``write_all``), refused when
    one changed on disk since the plan read it. The result is what an undo history records."""
    writes = composition_writes(plan, root, f'"{label}"')
    write_all(writes, forward=True, why=label)
    return AppliedEdit(label, writes)
