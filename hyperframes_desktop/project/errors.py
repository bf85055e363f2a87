"""The one error type raised for a bad project, with a message a user can act on."""

from __future__ import annotations

from pathlib import Path


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
    ) -> None:
        self.problem = problem.rstrip()
        self.file = file
        self.attribute = attribute
        self.fix = fix.strip()
        self.display = display if display is not None else (file.name if file else None)
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only arguments: rebuild explicitly so the error survives a process boundary
        state = {"file": self.file, "attribute": self.attribute, "fix": self.fix}
        return (_rebuild, (self.problem, self.display, state), self.__dict__)

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
