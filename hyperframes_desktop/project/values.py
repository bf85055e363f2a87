"""Parse attribute values (numbers, fps, JSON) with messages that name file and attribute."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import Problem, ProjectError, Severity
from .scanner import Element

MAX_FPS = 240
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INT = re.compile(r"\+?\d+")


def parse_number(text: str | None) -> float | None:
    """A plain decimal number (no "px", "s", "nan", "inf" or "1_000"), or None."""
    if text is None:
        return None
    text = text.strip()
    if not NUMBER_RE.fullmatch(text):
        return None
    return float(text)


def parse_fps(text: str) -> Fraction:
    """Frame rate from "30", "29.97" or "30000/1001"; ValueError unless 0 < fps <= 240."""
    cleaned = (text or "").strip()
    if "/" in cleaned:
        num, _, den = cleaned.partition("/")
        if not (NUMBER_RE.fullmatch(num.strip()) and NUMBER_RE.fullmatch(den.strip())):
            raise ValueError(f'frame rate "{text}" is not a number or a fraction like 30000/1001')
        if Fraction(den.strip()) == 0:
            raise ValueError(f'frame rate "{text}" divides by zero')
        fps = Fraction(num.strip()) / Fraction(den.strip())
    elif NUMBER_RE.fullmatch(cleaned):
        fps = Fraction(cleaned)
    else:
        raise ValueError(f'frame rate "{text}" is not a number or a fraction like 30000/1001')
    if fps <= 0 or fps > MAX_FPS:
        raise ValueError(f'frame rate "{text}" must be greater than 0 and at most {MAX_FPS}')
    return fps


@dataclass
class Findings:
    """Everything a load found, shared by a composition and the sub-compositions it loads.

    ``problems`` holds every finding in the order found (what the checker reports);
    ``blocking`` the errors that make the composition unusable (the loader raises the first).
    Rules record here and carry on with a stand-in value, so one pass finds every problem.
    """

    problems: list[Problem] = field(default_factory=list)
    blocking: list[ProjectError] = field(default_factory=list)
    visited: set[Path] = field(default_factory=set)

    def fail(self, error: ProjectError) -> None:
        self.blocking.append(error)
        self.problems.append(error.as_problem())


@dataclass
class Where:
    """The file being read, for error messages and warnings, and where findings go."""

    file: Path
    display: str
    text: str
    findings: Findings = field(default_factory=Findings)

    def error(
        self,
        problem: str,
        attribute: str | None = None,
        fix: str = "",
        element: Element | None = None,
    ) -> ProjectError:
        return ProjectError(
            problem,
            file=self.file,
            attribute=attribute,
            fix=fix,
            display=self.display,
            line=element.line if element is not None else None,
            element_id=(element.attrs.get("id") or None) if element is not None else None,
        )

    def fail(
        self,
        problem: str,
        attribute: str | None = None,
        fix: str = "",
        element: Element | None = None,
    ) -> None:
        """Record an error that makes the composition unusable, and carry on checking."""
        self.findings.fail(self.error(problem, attribute, fix, element))

    def note(
        self,
        severity: Severity,
        message: str,
        fix: str = "",
        attribute: str | None = None,
        element: Element | None = None,
    ) -> None:
        """Record a finding that does not stop the composition from loading."""
        error = self.error(message, attribute, fix, element)
        self.findings.problems.append(error.as_problem(severity))

    def warn(
        self,
        message: str,
        fix: str = "",
        attribute: str | None = None,
        element: Element | None = None,
    ) -> str:
        """Record a warning; returns it as one line for ``Composition.warnings``."""
        self.note("warning", message, fix, attribute, element)
        return f"{self.display}: {message}" + (f"; {fix}" if fix else "")

    def describe(self, element: Element) -> str:
        """E.g. '<div id="intro"> (line 61)' — enough to find the element in an editor."""
        element_id = element.attrs.get("id")
        label = f'<{element.tag} id="{element_id}">' if element_id else f"<{element.tag}>"
        return f"{label} (line {element.line})"

    def positive_int(self, element: Element, attribute: str, fix: str) -> int | None:
        """An attribute holding a positive whole number; None when absent or invalid."""
        raw = element.attrs.get(attribute)
        if attribute not in element.attrs:
            return None
        if raw is None or not _INT.fullmatch(raw.strip()) or int(raw) <= 0:
            self.fail(
                f'{attribute} "{raw or ""}" must be a positive whole number of pixels',
                attribute,
                fix,
                element,
            )
            return None
        return int(raw)

    def seconds(
        self,
        element: Element,
        attribute: str,
        fix: str,
        *,
        allow_zero: bool = False,
        label: str | None = None,
    ) -> float | None:
        """An attribute holding seconds (> 0, or >= 0 with ``allow_zero``); None when absent
        (or invalid: recorded)."""
        if attribute not in element.attrs:
            return None
        raw = element.attrs.get(attribute) or ""
        value = parse_number(raw)
        ok = value is not None and (value >= 0 if allow_zero else value > 0)
        if not ok:
            kind = "a number of seconds >= 0" if allow_zero else "a positive number of seconds"
            who = self.describe(element) if label is None else label
            prefix = f"{who} " if who else ""
            self.fail(f'{prefix}{attribute} "{raw}" must be {kind}', attribute, fix, element)
            return None
        return value

    def number(self, element: Element, attribute: str, default: float) -> float:
        """Any plain number (range checks are up to the caller)."""
        if attribute not in element.attrs:
            return default
        raw = element.attrs.get(attribute) or ""
        value = parse_number(raw)
        if value is None:
            self.fail(
                f'{self.describe(element)} {attribute} "{raw}" is not a number',
                attribute,
                f'write a plain number, e.g. {attribute}="{default:g}"',
                element,
            )
            return default
        return value

    def json(self, element: Element, attribute: str) -> Any:
        """Parsed JSON of an attribute, None when absent (or invalid: recorded)."""
        raw = element.attrs.get(attribute)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            self.fail(
                f"{self.describe(element)} {attribute} is not valid JSON ({exc.msg} at "
                f"character {exc.pos})",
                attribute,
                f"write {attribute} as JSON in single quotes, e.g. "
                f'{attribute}=\'{{"title": "Hello"}}\'',
                element,
            )
            return None
