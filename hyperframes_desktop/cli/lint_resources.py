"""What ``lint`` says about remote URLs: each one the project names, with whether it is
cached, resolvable or blocked, and a problem for every one a page cannot get (an error when
a script cannot load: the page would run without it; or a played video/audio clip: the
render's media stages need its file). The project side finds the URLs
(project.remote_refs), the resolver says what becomes of them; this door combines both."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from hyperframes_desktop.project.errors import Problem, display_name
from hyperframes_desktop.project.files import composition_path, project_root, read_html
from hyperframes_desktop.project.listing import composition_files
from hyperframes_desktop.project.remote_refs import RemoteRef, refs_in_text
from hyperframes_desktop.render.resources import Answer, RefusalKind, Resolver, ResolverSettings
from hyperframes_desktop.render.resources.urls import BlockedTarget, classify


@dataclass(frozen=True)
class RemoteStatus:
    ref: RemoteRef
    status: str  # cached | resolvable | blocked | unavailable
    detail: str = ""
    #: what the resolver warned about while answering (a Google Fonts family with no package)
    warnings: tuple[str, ...] = ()


_PLAYED = re.compile(r"<(video|audio)\b([^>]*)>", re.IGNORECASE)
_MUTED = re.compile(r"\smuted\b", re.IGNORECASE)


def _played_clip(ref: RemoteRef, text: str) -> bool:
    """Whether ``ref`` is the src of a ``<video>`` or a heard ``<audio>``: the render's media
    stages need that file, so it failing is an error (like a script), not a warning."""
    if ref.attribute != "src" or ref.tag_begin is None:
        return False
    tag = _PLAYED.match(text, ref.tag_begin)
    if tag is None:
        return False
    return tag.group(1).lower() == "video" or not _MUTED.search(tag.group(2))


def project_refs(project: Path, composition: str | None) -> tuple[Path, list[RemoteRef]]:
    root = project_root(project)
    files = [composition_path(root, composition)] if composition else composition_files(root)
    refs: list[RemoteRef] = []
    for path in files:
        try:
            text = read_html(path, root)
        except Exception:  # unreadable files are the checker's problems already
            continue
        for ref in refs_in_text(text, path, path.parent):
            refs.append(replace(ref, kind="clip") if _played_clip(ref, text) else ref)
    return root, refs


def remote_statuses(refs: list[RemoteRef], resolver: Resolver) -> list[RemoteStatus]:
    statuses: list[RemoteStatus] = []
    for ref in refs:
        if isinstance(classify(ref.url), BlockedTarget):
            refusal = resolver.resolve(ref.url)
            statuses.append(RemoteStatus(ref, "blocked", str(refusal)))
        elif resolver.is_cached(ref.url):
            statuses.append(RemoteStatus(ref, "cached"))
        else:
            known = len(resolver.problems)
            answer = resolver.resolve(ref.url, integrity=ref.integrity)
            if isinstance(answer, Answer):
                warned = tuple(resolver.problems[known:])
                statuses.append(RemoteStatus(ref, "resolvable", warnings=warned))
            else:
                status = "blocked" if answer.kind is RefusalKind.BLOCKED else "unavailable"
                statuses.append(RemoteStatus(ref, status, answer.message))
    return statuses


def resource_problems(statuses: list[RemoteStatus], root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for item in statuses:
        for warning in item.warnings:
            message, _sep, fix = warning.partition(" Fix: ")
            problems.append(
                Problem(
                    "warning",
                    display_name(item.ref.file, root),
                    item.ref.line,
                    item.ref.attribute,
                    f"the {item.ref.kind} {item.ref.url}: {message}",
                    fix or "put the font files in the project",
                )
            )
        if item.status in ("cached", "resolvable"):
            continue
        message, _sep, fix = item.detail.partition(" Fix: ")
        ref = item.ref
        severity = "error" if ref.kind in ("script", "clip") else "warning"
        problems.append(
            Problem(
                severity,
                display_name(ref.file, root),
                ref.line,
                ref.attribute,
                f"the {ref.kind} {ref.url} cannot load: {message}",
                fix or "put the file in the project folder and name it by a relative path",
            )
        )
    return problems


def check_remote(
    project: Path, composition: str | None, offline: bool
) -> tuple[list[RemoteStatus], list[Problem]]:
    root, refs = project_refs(project, composition)
    unique = list({ref.url: ref for ref in refs}.values())
    resolver = Resolver(ResolverSettings.from_environment(offline=offline))
    statuses = remote_statuses(unique, resolver)
    return statuses, resource_problems(statuses, root)
