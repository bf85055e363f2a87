"""The PyInstaller spec never excludes a Qt module the app imports (fast; no build).

The spec's ``excludes`` list guards against Qt modules creeping into the bundle. When a feature
starts to use one (the preview's sound uses QtMultimedia), a stale entry there freezes a bundle
whose studio dies at start with ModuleNotFoundError; this catches it without a build.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "hyperframes-desktop.spec"
_QT_MODULE = re.compile(r"^PySide6\.Qt\w+$")


def _spec_list(name: str) -> list[str]:
    """A list assigned at the spec's top level, its string items only."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, (ast.List, ast.BinOp))
        ):
            items = node.value.right if isinstance(node.value, ast.BinOp) else node.value
            return [e.value for e in ast.walk(items) if isinstance(e, ast.Constant)]
    raise AssertionError(f"no top-level {name} = [...] in {SPEC}")


def _qt_modules_imported() -> dict[str, str]:
    """PySide6.QtXxx module -> a file of the package that imports it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "hyperframes_desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if _QT_MODULE.match(name):
                    found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_the_scan_sees_the_qt_modules_the_studio_uses() -> None:
    used = _qt_modules_imported()
    for module in ("PySide6.QtWidgets", "PySide6.QtWebEngineCore", "PySide6.QtMultimedia"):
        assert module in used, sorted(used)


def test_no_imported_qt_module_is_excluded_from_the_bundle() -> None:
    excluded = set(_spec_list("excludes"))
    assert "PySide6.QtSql" in excluded  # the list was read
    wrongly = {m: f for m, f in _qt_modules_imported().items() if m in excluded}
    assert not wrongly, f"the spec excludes Qt modules the app imports: {wrongly}"
