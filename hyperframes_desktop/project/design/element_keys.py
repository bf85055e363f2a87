"""Stable keys for elements without an id, so the stage can select and edit them too.

An element with an id is known by its id. An element without one is known by its *source
key*: ``@`` + its file's path in the project + ``#`` + its place in the file's element tree
as the project's HTML reader (``scanner``) reads it, one step per ancestor, each step the tag
and its index among the earlier siblings with the same tag::

    @index.html#html:0/body:0/div:0/p:2

The key depends only on the tags of the element, its ancestors and their earlier siblings of
the same tag, so edits that do not add or remove such elements (any style, attribute or text
edit, an element added after it) leave it as it was. The compile stage writes the key into
the studio's preview page as ``data-hf-key`` (never into renders), which is how the page's
element is found. A key that no longer resolves in the file's text is refused with a
sentence (``find_by_key``).
"""

from __future__ import annotations

from pathlib import Path

from ..scanner import Element

PREFIX = "@"
#: The page attribute carrying a source key in the studio's preview (compile stage).
PAGE_ATTRIBUTE = "data-hf-key"


def is_source_key(key: str) -> bool:
    """True for a source key (ids never start with ``@`` in the studio's own keys)."""
    return key.startswith(PREFIX)


def file_label(project_root: Path, file: Path) -> str:
    """The file's path in the project, with ``/`` (its name when outside the project)."""
    try:
        return file.relative_to(project_root).as_posix()
    except ValueError:
        return file.name


def tree_paths(elements: list[Element]) -> list[str]:
    """Every element's path in the tree (``html:0/body:0/div:1``), by element index."""
    paths: list[str] = []
    seen: dict[tuple[int | None, str], int] = {}
    for element in elements:
        slot = (element.parent, element.tag)
        index = seen.get(slot, 0)
        seen[slot] = index + 1
        step = f"{element.tag}:{index}"
        paths.append(step if element.parent is None else f"{paths[element.parent]}/{step}")
    return paths


def source_key(label: str, path: str) -> str:
    return f"{PREFIX}{label}#{path}"


def key_file(key: str) -> str:
    """The file part of a source key (its path in the project, ``/``-separated)."""
    return key[len(PREFIX) :].rsplit("#", 1)[0]


def key_label(key: str) -> str:
    """How a key reads in messages: the id, or ``<p>`` for a source key."""
    if not is_source_key(key):
        return key
    last = key.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"<{last.split(':', 1)[0]}>"


def keys_by_element(project_root: Path, file: Path, elements: list[Element]) -> dict[int, str]:
    """element index -> its source key, for every element of ``file``."""
    label = file_label(project_root, file)
    return {i: source_key(label, path) for i, path in enumerate(tree_paths(elements))}


def find_by_key(
    project_root: Path, file: Path, elements: list[Element], key: str
) -> Element | None:
    """The element of ``file`` whose source key is ``key`` (None when none has it now)."""
    for index, candidate in keys_by_element(project_root, file, elements).items():
        if candidate == key:
            return elements[index]
    return None
