"""Fixtures that write small real projects into tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.projects import SAMPLES

ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="4"'


def page(body: str = "", root: str = ROOT) -> str:
    """A minimal composition document with ``body`` inside the root element; its head
    registers a (stand-in) timeline registry, so the checker does not warn that it has none."""
    return (
        "<!doctype html>\n<html>\n<head><title>t</title>"
        "<script>window.__timelines = {};</script></head>\n<body>\n"
        f'<div id="root" {root}>\n{body}\n</div>\n</body>\n</html>\n'
    )


def sub_page(body: str = "", root: str = 'data-composition-id="child"') -> str:
    """A sub-composition file: the root wrapped in <template>."""
    return f'<template id="t">\n  <div {root}>\n{body}\n  </div>\n</template>\n'


Writer = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """write(name, text=None, body=..., root=...) -> project folder; text defaults to page()."""

    def _write(name: str = "index.html", text: str | None = None, **kw: str) -> Path:
        target = tmp_path / "proj" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page(**kw) if text is None else text, encoding="utf-8")
        return tmp_path / "proj"

    return _write


@pytest.fixture(name="page")
def page_fixture() -> Callable[..., str]:
    return page


@pytest.fixture(name="sub_page")
def sub_page_fixture() -> Callable[..., str]:
    return sub_page


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples not found at {SAMPLES}")
    return SAMPLES
