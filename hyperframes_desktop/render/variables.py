"""Composition variables: a schema on the composition (``data-composition-variables``),
values from a host (``data-variable-values``) or the command line, checked and merged.

A schema is either a list of declarations ``[{"id": "title", "type": "string",
"default": "Hello"}, ...]`` (``name`` is accepted for ``id``) or an object mapping each name
to its default (or to a declaration without ``id``). Types: string, number, boolean, color,
and anything else is taken as-is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hyperframes_desktop.render.options import RenderInputError

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\(.*\)|[a-zA-Z]+)$")


def _declarations(schema: Any) -> dict[str, dict[str, Any]]:
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


def _check_type(name: str, decl: dict[str, Any], value: Any, where: str) -> None:
    kind = str(decl.get("type", "")).lower()
    ok = True
    if kind == "string":
        ok = isinstance(value, str)
    elif kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "boolean":
        ok = isinstance(value, bool)
    elif kind == "color":
        ok = isinstance(value, str) and bool(_COLOUR.match(value.strip()))
    if not ok:
        raise RenderInputError(
            f'{where}: variable "{name}" must be a {kind}, but the value is {json.dumps(value)}. '
            f"Fix: give it a {kind} value."
        )
    options = decl.get("options") or decl.get("enum")
    if isinstance(options, list) and options and value not in options:
        raise RenderInputError(
            f'{where}: variable "{name}" must be one of {json.dumps(options)}, not '
            f"{json.dumps(value)}."
        )


def resolve_variables(schema: Any, values: dict[str, Any] | None, where: str) -> dict[str, Any]:
    """Defaults from ``schema`` overridden by ``values``; unknown names and wrong types are
    errors naming ``where`` (the composition or host they belong to)."""
    decls = _declarations(schema)
    resolved = {name: decl.get("default") for name, decl in decls.items()}
    for name, value in (values or {}).items():
        if decls and name not in decls:
            raise RenderInputError(
                f'{where}: there is no variable "{name}". Declared variables: '
                f"{', '.join(sorted(decls)) or 'none'}. Fix: use one of those names."
            )
        if name in decls:
            _check_type(name, decls[name], value, where)
        resolved[name] = value
    return resolved


def parse_variables_arg(text: str | None, file: str | None) -> dict[str, Any] | None:
    """``--variables JSON`` and/or ``--variables-file PATH`` (the JSON wins on conflicts)."""
    merged: dict[str, Any] = {}
    if file:
        try:
            raw = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise RenderInputError(
                f'Cannot read the variables file "{file}" ({exc.strerror}).'
            ) from None
        merged.update(_parse_object(raw, f'the variables file "{Path(file).name}"'))
    if text:
        merged.update(_parse_object(text, "--variables"))
    return merged or None


def _parse_object(raw: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise RenderInputError(
            f"{what} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            """Fix: give a JSON object such as {"title": "Hello"}."""
        ) from None
    if not isinstance(value, dict):
        raise RenderInputError(f"{what} must be a JSON object of variable names to values.")
    return value
