"""Work around a PySide6 6.12 refcount bug that kills the interpreter on Python 3.11.

Measured here with PySide6/shiboken6 6.12.0 on CPython 3.11: every call of a C++ method
returning void drops one reference to ``None`` it never took, and every ``Signal.emit()``
drops one reference to ``True``. After a few thousand calls the count reaches zero and
CPython aborts ("none_dealloc" / "bool_dealloc"); the studio did so after seconds of
playback. CPython 3.12+ makes these singletons immortal, so the bug is harmless there;
this gives 3.11 the same property by adding 2**40 to their reference counts once. They
are never freed anyway (deallocating them is itself a fatal error), so nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

_PAD = 1 << 40


def immortalize_singletons() -> bool:
    """Raise the refcounts of None, True and False out of reach. True if it was needed."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is PyObject's first field
        if count.value < _PAD:
            count.value += _PAD
    return True
