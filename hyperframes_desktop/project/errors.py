"""The one error type raised for a bad project, with a message a user can act on, and the
problem checker's finding (:class:`Problem`) it converts to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding of the problem checker: what is wrong, where, and how to fix it.

    ``file`` is relative to the project folder, ``line`` 1-based (None when the problem is
    about the file as a whole), ``element_id`` the id of the element concerned, if it has one.
    """

    severity: Severity
    file: str
    line: int | None
    attribute: str | None
    message: str
    fix: str
    element_id: str | None = None

    def __post_init__(self) -> None:
        # message and fix are sentences, however the rule that found them worded them
        object.__setattr__(self, "message", _sentence(self.message))
        object.__setattr__(self, "fix", _sentence(self.fix))

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """``index.html:12`` (or just the file when the line is unknown)."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def text(self) -> str:
        """``index.html:12: error: Message. Fix: fix.`` (one line, as compilers print)."""
        out = f"{self.location()}: {self.severity}: {self.message}"
        return f"{out} Fix: {self.fix}" if self.fix else out


class ProjectError(Exception):
    """A project or composition cannot be read.

    ``str()`` is one or two sentences: the file, what is wrong (naming the attribute) and a
    ``Fix:`` hint. ``file`` / ``attribute`` / ``fix`` are kept for UIs that lay them out.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: Path | None = None,
        attribute: str | None = None,
        fix: str = "",
        display: str | None = None,
        line: int | None = None,
        element_id: str | None = None,
    ) -> None:
        self.problem = problem.rstrip()
        self.file = file
        self.attribute = attribute
        self.fix = fix.strip()
        self.display = display if display is not None else (file.name if file else None)
        self.line = line
        self.element_id = element_id
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only arguments: rebuild explicitly so the error survives a process boundary
        state = {
            "file": self.file,
            "attribute": self.attribute,
            "fix": self.fix,
            "line": self.line,
            "element_id": self.element_id,
        }
        return (_rebuild, (self.problem, self.display, state), self.__dict__)

    def as_problem(self, severity: Severity = "error") -> Problem:
        """This error as a checker finding (the line moves from the message to ``line``)."""
        message = self.problem
        if self.line is not None:
            message = message.replace(f" (line {self.line})", "")
        return Problem(
            severity,
            self.display or "",
            self.line,
            self.attribute,
            _sentence(message),
            _sentence(self.fix) if self.fix else "",
            self.element_id,
        )

    def _render(self) -> str:
        text = self.problem
        if not text.endswith((".", "?", "!")):
            text += "."
        if self.display:
            text = f"{self.display}: {text}"
        if self.fix:
            fix = self.fix if self.fix.endswith((".", "?", "!")) else self.fix + "."
            text += f" Fix: {fix}"
        return text


class ProjectProblems(ProjectError):
    """Several errors at once (the render refuses a project listing every one of them).

    ``str()`` is a heading line, then one line per problem as ``lint`` prints it.
    """

    def __init__(self, problems: list[Problem], *, heading: str = "") -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        first = errors[0] if errors else None
        super().__init__(
            heading or f"the composition has {count}",
            attribute=first.attribute if first else None,
            fix="correct each of them, then try again; `hyperframes-desktop lint` checks a "
            "project without rendering it",
            display=None,
            line=first.line if first else None,
            element_id=first.element_id if first else None,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_many, (self.problems, self.problem), None)

    def _render(self) -> str:
        lines = "".join(f"\n  {p.text()}" for p in self.problems)
        return f"{self.problem}:{lines}\nFix: {_sentence(self.fix)}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!")) else text + "."


def display_name(file: Path, project_root: Path | None) -> str:
    """The file relative to the project root when it lies inside it, else the path itself."""
    if project_root is not None:
        try:
            return file.relative_to(project_root).as_posix()
        except ValueError:
            pass
    return str(file)


def _rebuild(problem: str, display: str | None, state: dict[str, object]) -> ProjectError:
    return ProjectError(problem, display=display, **state)  # type: ignore[arg-type]


def _rebuild_many(problems: list[Problem], heading: str) -> ProjectProblems:
    return ProjectProblems(problems, heading=heading)
