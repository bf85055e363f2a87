"""The user's grant to follow a link that leads out of a project folder (Qt-free).

By default a render, the studio preview, the problem checker and the farm's bundle leave
such links out (:mod:`project.tree`): a downloaded project could link to ``~/.ssh`` and a page
script could put what it reads into a URL. HyperFrames follows them, so a project made for it
may need one (``shared -> ../shared``). Only the user can allow that, on this machine:

- for one run, with the CLI's ``--follow-outside-links`` (render and still; ``studio
  PROJECT --follow-outside-links`` allows that project's links until the studio quits:
  :func:`allow_for_session`);
- for good, from the studio's prompt ("Allow for this project"), remembered in the user's
  configuration folder (``outside-links.json``), never in the project: nothing a project
  file says can grant it.

A remembered grant names the project folder, the link and the real folder or file it led to
when it was allowed. A link later changed to lead elsewhere is not covered.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME

GRANTS_FILE = "outside-links.json"
#: projects whose links this process follows until it exits (``studio --follow-outside-links``)
_session: set[str] = set()


@dataclass(frozen=True, order=True)
class OutsideLink:
    """A link inside a project leading out of it."""

    rel: str  #: its path inside the project (POSIX)
    target: Path  #: the real file or folder it leads to


def grants_path() -> Path:
    """The user's remembered grants (platformdirs' config folder; honours XDG_CONFIG_HOME)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / GRANTS_FILE


def _project_key(root: Path) -> str:
    return os.path.realpath(root)


def _read(path: Path) -> dict[str, list[list[str]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(root: Path, path: Path | None = None) -> frozenset[OutsideLink]:
    """The links of the project at ``root`` the user allowed for good."""
    entries = _read(path or grants_path()).get(_project_key(root), [])
    links = set()
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry):
            links.add(OutsideLink(entry[0], Path(entry[1])))
    return frozenset(links)


def remember(root: Path, links: list[OutsideLink], path: Path | None = None) -> None:
    """Allow ``links`` of the project at ``root`` for good (written atomically)."""
    path = path or grants_path()
    data = _read(path)
    kept = remembered(root, path) | set(links)
    data[_project_key(root)] = [[link.rel, str(link.target)] for link in sorted(kept)]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)


def forget(root: Path, path: Path | None = None) -> None:
    """Withdraw every grant given to the project at ``root``."""
    path = path or grants_path()
    data = _read(path)
    if data.pop(_project_key(root), None) is not None:
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)


def allow_for_session(root: Path) -> None:
    """Follow every link leading out of the project at ``root`` until this process exits
    (the user passed ``--follow-outside-links`` when starting the studio on it)."""
    _session.add(_project_key(root))


def allowed_for_session(root: Path) -> bool:
    return _project_key(root) in _session


def links_to_follow(
    found: list[OutsideLink], root: Path, *, follow_all: bool = False
) -> frozenset[OutsideLink]:
    """Which of the links ``found`` leading out of the project at ``root`` this run follows:
    all of them when the user passed ``--follow-outside-links``, else those the user allowed
    for good that still lead where they led then."""
    if follow_all or allowed_for_session(root):
        return frozenset(found)
    return frozenset(found) & remembered(root)
