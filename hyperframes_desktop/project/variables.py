"""Composition variables: what a ``data-composition-variables`` schema declares, and whether a
value matches its declaration. Qt-free rules shared by the checker and the render.

A schema is either a list of declarations ``[{"id": "title", "type": "string",
"default": "Hello"}, ...]`` (``name`` is accepted for ``id``) or an object mapping each name
to its default (or to a declaration without ``id``). Types: string, number, boolean, color,
enum (``options``), image and font (file paths), and anything else is taken as-is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\(.*\)|[a-zA-Z]+)$")
_STRING_TYPES = frozenset({"string", "image", "font"})


@dataclass(frozen=True)
class Mismatch:
    """Why a variable's value does not fit its declaration, and how to fix it."""

    name: str
    message: str
    fix: str


def declarations(schema: Any) -> dict[str, dict[str, Any]]:
    """Each declared variable's name → its declaration (a dict, maybe only a default)."""
    if schema is None:
        return {}
    if isinstance(schema, dict):
        out = {}
        for name, value in schema.items():
            out[str(name)] = dict(value) if isinstance(value, dict) else {"default": value}
        return out
    if isinstance(schema, list):
        out = {}
        for item in schema:
            if isinstance(item, dict) and (item.get("id") or item.get("name")):
                out[str(item.get("id") or item.get("name"))] = dict(item)
        return out
    return {}


def options_of(decl: dict[str, Any]) -> list[Any] | None:
    """The allowed values of an enum declaration (``options`` or ``enum``), else None."""
    options = decl.get("options") or decl.get("enum")
    if not isinstance(options, list) or not options:
        return None
    return [o.get("value") if isinstance(o, dict) and "value" in o else o for o in options]


def value_mismatch(name: str, decl: dict[str, Any], value: Any) -> Mismatch | None:
    """None when ``value`` fits ``decl``; else what is wrong."""
    kind = str(decl.get("type", "")).lower()
    ok = True
    if kind in _STRING_TYPES:
        ok = isinstance(value, str)
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "color":
        ok = isinstance(value, str) and bool(_COLOUR.match(value.strip()))
    if not ok:
        return Mismatch(
            name,
            f'variable "{name}" must be a {kind}, but the value is {json.dumps(value)}',
            f"give it a {kind} value",
        )
    options = options_of(decl)
    if options is not None and value not in options:
        return Mismatch(
            name,
            f'variable "{name}" must be one of {json.dumps(options)}, not {json.dumps(value)}',
            "use one of those values",
        )
    return None


def values_mismatches(schema: Any, values: dict[str, Any] | None) -> list[Mismatch]:
    """Every given value that names no declared variable or does not fit its declaration."""
    decls = declarations(schema)
    found: list[Mismatch] = []
    for name, value in (values or {}).items():
        if decls and name not in decls:
            found.append(
                Mismatch(
                    name,
                    f'there is no variable "{name}". Declared variables: '
                    f"{', '.join(sorted(decls)) or 'none'}",
                    "use one of those names",
                )
            )
        elif name in decls and (wrong := value_mismatch(name, decls[name], value)):
            found.append(wrong)
    return found


def schema_mismatches(schema: Any) -> list[Mismatch]:
    """Declarations the form and the render cannot use: no name, or a default of the wrong
    type (the page would receive it as declared)."""
    found: list[Mismatch] = []
    if isinstance(schema, list):
        for number, item in enumerate(schema, start=1):
            if not (isinstance(item, dict) and (item.get("id") or item.get("name"))):
                found.append(
                    Mismatch(
                        "",
                        f"declaration {number} of data-composition-variables has no id, so it "
                        "is ignored",
                        'give it an id, e.g. {"id": "title", "type": "string", "default": "Hello"}',
                    )
                )
    for name, decl in declarations(schema).items():
        if "default" in decl and decl["default"] is not None:
            wrong = value_mismatch(name, decl, decl["default"])
            if wrong is not None:
                found.append(
                    Mismatch(name, f"the default of {wrong.message}", f"{wrong.fix} as default")
                )
    return found
