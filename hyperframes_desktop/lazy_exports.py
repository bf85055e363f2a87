"""Names a package exports without importing their modules until first used (PEP 562).

``project`` and ``render`` export their main names from their ``__init__``; importing every
module behind them made each capture process and CLI command pay for modules it never uses
(the HTML scanner and loader in a capture worker, the pipeline in ``--help``)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``homes`` maps each exported name to the
    submodule that defines it; the name is imported on first use and kept on the package."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
