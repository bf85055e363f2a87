"""Read and change one declaration of an inline ``style`` attribute, keeping every other byte.

A declaration list is split at top-level semicolons (not inside parentheses or quotes, so
``url(a;b)`` and ``"a;b"`` stay whole). Changing a property replaces only its value's
characters (``!important`` and the spaces around the value stay); adding one appends
``prop: value`` after the last declaration, with the separator the text already uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Declaration:
    name: str  # lower case
    value: str  # without surrounding spaces and without !important
    important: bool
    begin: int  # the declaration's first character (its name)
    end: int  # one past its last non-space character
    value_begin: int
    value_end: int


_IMPORTANT = re.compile(r"\s*!\s*important\s*$", re.IGNORECASE)


def _pieces(text: str) -> list[tuple[int, int]]:
    """[begin, end) of each declaration between top-level semicolons."""
    out: list[tuple[int, int]] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out


def parse(text: str) -> list[Declaration]:
    """The declarations of a style attribute's text (empty pieces and junk skipped)."""
    found: list[Declaration] = []
    for begin, end in _pieces(text):
        piece = text[begin:end]
        colon = piece.find(":")
        if colon < 0 or not piece[:colon].strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        name = piece[:colon].strip().lower()
        raw_value = piece[colon + 1 :]
        v_lead = len(raw_value) - len(raw_value.lstrip())
        stripped = raw_value.rstrip()
        important = _IMPORTANT.search(stripped)
        value_text = stripped[: important.start()] if important else stripped
        value_begin = begin + colon + 1 + v_lead
        value_end = begin + colon + 1 + len(value_text.rstrip())
        found.append(
            Declaration(
                name,
                text[value_begin:value_end],
                important is not None,
                begin + lead,
                begin + colon + 1 + len(stripped),
                value_begin,
                value_end,
            )
        )
    return found


def get(text: str, name: str) -> str | None:
    """The last value given for ``name`` (the one that wins), or None."""
    hits = [d for d in parse(text) if d.name == name.lower()]
    return hits[-1].value if hits else None


def set_declaration(text: str, name: str, value: str | None) -> str:
    """``text`` with ``name`` set to ``value`` (None removes every declaration of it)."""
    name = name.lower()
    hits = [d for d in parse(text) if d.name == name]
    if value is None:
        out = text
        for d in reversed(hits):
            stop = d.end
            rest = out[stop:]
            semi = len(rest) - len(rest.lstrip(" \t")) if rest.lstrip(" \t").startswith(";") else -1
            if semi >= 0:
                stop += semi + 1
                while stop < len(out) and out[stop] in " \t":
                    stop += 1
            out = out[: d.begin] + out[stop:]
        return out.rstrip() if not parse(out) else out
    if hits:
        last = hits[-1]  # the one that wins
        return text[: last.value_begin] + value + text[last.value_end :]
    body = text.rstrip()
    trailing = text[len(body) :]
    spaced = bool(re.search(r":\s", text)) or not body
    decl = f"{name}:{' ' if spaced else ''}{value}"
    if not body:
        return decl + trailing
    sep = "" if body.endswith(";") else ";"
    gap = " " if (spaced or re.search(r";\s", text)) else ""
    return f"{body}{sep}{gap}{decl}{';' if body.endswith(';') else ''}{trailing}"
