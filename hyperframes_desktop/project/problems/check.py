"""``check_project``: every problem found in a project without rendering it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Problem, ProjectError, ProjectProblems, display_name
from ..files import composition_path, project_root, read_html
from ..listing import composition_files
from ..loader import DEFAULT_FPS, Inherited, find_root, load_file
from ..model import Composition
from ..scanner import scan
from ..values import Findings
from ..variables import schema_mismatches, values_mismatches
from .assets import check_assets
from .fonts import check_fonts
from .source import Source, line_of
from .timelines import check_timeline

# A sub-composition checked on its own (no host lends it a size and length): stand-ins long
# enough that none of its clips looks as if it starts after the end.
_ALONE = Inherited(width=1920, height=1080, duration=24 * 3600.0, fps=DEFAULT_FPS)


def check_project(
    project: Path, composition: str | None = None, variables: dict | None = None
) -> list[Problem]:
    """Every problem in ``composition`` (and the sub-compositions it hosts) or, when None,
    in every composition of the project; ``variables`` are values to check against the
    composition's schema (index.html's when ``composition`` is None). Errors first, each
    group in the order found."""
    return _check(project, composition, variables, Findings(), whole=composition is None)


def _check(
    project: Path,
    composition: str | Path | None,
    variables: dict | None,
    findings: Findings,
    *,
    whole: bool,
) -> list[Problem]:
    try:
        root = project_root(project)
    except ProjectError as exc:
        findings.fail(exc)
        return [exc.as_problem()]
    loaded: list[Composition] = []
    targets = _targets(root, composition, findings, whole)
    for number, path in enumerate(targets):
        if path in findings.visited:
            continue
        comp = load_file(path, root, _standalone(path, root), chain=(), findings=findings)
        if comp is None:
            continue
        loaded.append(comp)
        if number == 0 and variables:
            findings.problems.extend(_given_values(comp, variables))
    problems = list(findings.problems)
    checked: set[Path] = set()
    tops = {id(top) for top in loaded}
    for comp in (c for top in loaded for c in _walk(top)):
        if comp.path in checked:
            continue
        checked.add(comp.path)
        source = Source(comp)
        problems += _schema(source) + _host_values(source)
        problems += check_timeline(source, is_sub=id(comp) not in tops)
        problems += check_assets(source) + check_fonts(source)
    unique = list(dict.fromkeys(problems))
    return [p for p in unique if p.is_error] + [p for p in unique if not p.is_error]


def summarize(problems: list[Problem]) -> str:
    """``2 errors, 1 warning`` (``no problems`` when the list is empty)."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "no problems"


def raise_for_errors(
    project: Path, composition: str | Path | None = None, variables: dict | None = None
) -> None:
    """Raise :class:`ProjectProblems` listing every error of the composition a render would
    use (``index.html`` when None); warnings never stop a render. A single error is raised
    as the loader words it (one line: ``file: problem. Fix: …``)."""
    findings = Findings()
    problems = _check(project, composition, variables, findings, whole=False)
    errors = [p for p in problems if p.is_error]
    if len(errors) > 1:
        raise ProjectProblems(errors)
    if errors:
        first = errors[0]
        blocking = findings.blocking[0] if findings.blocking else None
        if blocking is not None and blocking.as_problem() == first:
            raise blocking
        raise ProjectError(
            first.message,
            display=first.file,
            attribute=first.attribute,
            fix=first.fix,
            line=first.line,
            element_id=first.element_id,
        )


def timed_ids(project: Path, composition: str | Path | None = None) -> set[str]:
    """Ids of the clips, media and hosts of ``composition`` (index.html when None) and of
    its sub-compositions, read even when the file has errors (for "select this clip")."""
    findings = Findings()
    try:
        root = project_root(project)
        path = composition_path(root, composition)
    except ProjectError:
        return set()
    comp = load_file(path, root, _standalone(path, root), chain=(), findings=findings)
    if comp is None:
        return set()
    return {
        clip.element_id
        for c in _walk(comp)
        for clip in [*c.clips, *c.media, *c.hosts]
        if clip.element_id
    }


def _targets(
    root: Path, composition: str | Path | None, findings: Findings, whole: bool
) -> list[Path]:
    if not whole:
        try:
            return [composition_path(root, composition)]
        except ProjectError as exc:
            findings.fail(exc)
            return []
    index = root / "index.html"
    targets = []
    try:
        targets.append(composition_path(root, None))
    except ProjectError as exc:  # no index.html: say so, and check the others anyway
        findings.fail(exc)
    try:
        others = [p for p in composition_files(root) if p != index and _is_composition(p, root)]
    except OSError as exc:  # a folder that cannot be listed
        findings.fail(
            ProjectError(
                f"the project folder cannot be listed ({exc.strerror or exc})",
                display=str(root),
                fix="make the folder and its compositions/ folder readable",
            )
        )
        others = []
    return targets + others


def _is_composition(path: Path, root: Path) -> bool:
    """Whether a stray .html file is a composition (others are not the checker's business)."""
    try:
        return find_root(scan(read_html(path, root))) is not None
    except ProjectError:
        return False


def _standalone(path: Path, root: Path) -> Inherited | None:
    """Stand-ins for a sub-composition file checked on its own (its root is in <template>)."""
    try:
        root_el = find_root(scan(read_html(path, root)))
    except ProjectError:
        return None
    return _ALONE if root_el is not None and root_el.template is not None else None


def _walk(comp: Composition) -> Iterator[Composition]:
    yield comp
    for host in comp.hosts:
        yield from _walk(host.child)


def _root_line(comp: Composition) -> int:
    return line_of(comp.text, comp.root_span[0])


def _schema(source: Source) -> list[Problem]:
    comp = source.comp
    return [
        source.problem(
            "warning",
            wrong.message,
            wrong.fix,
            line=_root_line(comp),
            attribute="data-composition-variables",
        )
        for wrong in schema_mismatches(comp.variables_schema)
    ]


def _host_values(source: Source) -> list[Problem]:
    """Values a host passes to its sub-composition that its schema does not accept."""
    problems = []
    for host in source.comp.hosts:
        for wrong in values_mismatches(host.child.variables_schema, host.variable_values):
            child = display_name(host.child.path, source.root)
            problems.append(
                Problem(
                    "error",
                    source.display,
                    line_of(source.comp.text, host.span[0]),
                    "data-variable-values",
                    f"{wrong.message} (declared in {child})",
                    wrong.fix,
                    host.element_id,
                )
            )
    return problems


def _given_values(comp: Composition, values: dict[str, Any]) -> list[Problem]:
    """The values given for a render (``--variables``, the variables panel)."""
    shown = display_name(comp.path, comp.project_root)
    return [
        Problem(
            "error",
            shown,
            _root_line(comp),
            "data-composition-variables",
            f"the given variables do not match the schema: {wrong.message}",
            wrong.fix,
            None,
        )
        for wrong in values_mismatches(comp.variables_schema, values)
    ]
