"""Composition variables: a schema on the composition (``data-composition-variables``),
values from a host (``data-variable-values``) or the command line, checked and merged.

What a schema declares, and which values fit it: ``hyperframes_desktop.project.variables``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hyperframes_desktop.project.variables import declarations as _declarations
from hyperframes_desktop.project.variables import values_mismatches
from hyperframes_desktop.render.options import RenderInputError


def resolve_variables(schema: Any, values: dict[str, Any] | None, where: str) -> dict[str, Any]:
    """Defaults from ``schema`` overridden by ``values``; unknown names and wrong types are
    errors naming ``where`` (the composition or host they belong to). The rules live in
    ``project.variables``, shared with the problem checker."""
    decls = _declarations(schema)
    wrong = values_mismatches(schema, values)
    if wrong:
        raise RenderInputError(f"{where}: {wrong[0].message}. Fix: {wrong[0].fix}.")
    resolved = {name: decl.get("default") for name, decl in decls.items()}
    resolved.update(values or {})
    return resolved


def parse_variables_arg(text: str | None, file: str | None) -> dict[str, Any] | None:
    """``--variables JSON`` and/or ``--variables-file PATH`` (the JSON wins on conflicts)."""
    merged: dict[str, Any] = {}
    if file:
        try:
            raw = Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise RenderInputError(
                f'Cannot read the variables file "{file}" ({exc.strerror}). Fix: check the path '
                "(it is relative to the current folder) and that the file is readable, or pass "
                "the values inline with --variables."
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
        raise RenderInputError(
            f"{what} must be a JSON object of variable names to values. "
            """Fix: give a JSON object such as {"title": "Hello"}."""
        )
    return value
