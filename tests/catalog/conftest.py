from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from registry_fixture import serve, write_registry


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The fixture registry's base URL, with a fresh registry cache for this test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HYPERFRAMES_REGISTRY_URL", raising=False)
    with serve(write_registry(tmp_path / "registry")) as url:
        yield url
