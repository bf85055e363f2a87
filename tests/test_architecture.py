"""The studio's structure, read from the source: the main window is a leaf that only app.py
builds, it stays small, and the studio model stays Qt-free."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "hyperframes_desktop"
MAIN_WINDOW = "hyperframes_desktop.ui.main_window"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (TYPE_CHECKING blocks and functions
    included), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_only_app_imports_the_main_window() -> None:
    offenders = sorted(
        _module_name(path)
        for path in PACKAGE.rglob("*.py")
        if path.name != "main_window.py"
        and _module_name(path) != "hyperframes_desktop.app"
        and MAIN_WINDOW in _imports(path)
    )
    assert offenders == [], f"these modules import the main window: {offenders}"


def test_the_import_reader_sees_app_importing_the_window() -> None:
    assert MAIN_WINDOW in _imports(PACKAGE / "app.py")  # the check above can fail


def test_main_window_stays_small() -> None:
    lines = (PACKAGE / "ui" / "main_window.py").read_text(encoding="utf-8").count("\n")
    assert lines < 300, f"main_window.py has {lines} lines; move wiring into components"


def test_the_studio_model_is_qt_free() -> None:
    for path in (PACKAGE / "studio_model").rglob("*.py"):
        qt = sorted(m for m in _imports(path) if m.startswith(("PySide6", "shiboken6")))
        ui = sorted(m for m in _imports(path) if m.startswith("hyperframes_desktop.ui"))
        assert not qt and not ui, (path.name, qt, ui)


def test_docks_import_no_other_dock_not_even_by_exception() -> None:
    """The docks-independence contract holds with no ignored imports: a dock that needs
    another's piece gets it from the model or a neutral module (ui/stage.py,
    ui/in_out_range.py), never by an exception in pyproject.toml."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    docks = next(c for c in contracts if c["type"] == "independence" and "docks" in c["name"])
    assert "hyperframes_desktop.ui.preview" in docks["modules"]
    assert not docks.get("ignore_imports"), docks.get("ignore_imports")


def test_studio_modules_stay_under_the_split_limit() -> None:
    """The visual-editing code (ui/canvas, ui/inspector, ui/layers, ui/timeline, the studio
    model and project/design) keeps to the brief's ~400 lines per module."""
    roots = ["ui/canvas", "ui/inspector", "ui/layers", "ui/timeline", "studio_model"]
    roots.append("project/design")
    long = {
        str(path.relative_to(PACKAGE)): n
        for root in roots
        for path in (PACKAGE / root).rglob("*.py")
        if (n := path.read_text(encoding="utf-8").count("\n")) > 400
    }
    assert long == {}, f"split these by responsibility: {long}"
