"""Named events with plain-callback subscribers: the studio model's only way to speak.

``model.events.selection.connect(callback)``; ``emit(value)`` calls every subscriber in
the order they subscribed, on the caller's thread (the studio calls the model from the GUI
thread only). A subscriber that raises does not stop the others; the error is re-raised
once all were called, so bugs are not hidden. ``blocked()`` holds an event back (a batch
of changes ends with one emit made by the caller).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Callback = Callable[[Any], object]


class Event:
    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callback] = []
        self._blocked = 0

    def connect(self, callback: Callback) -> Callback:
        """Subscribe (usable as a decorator); the same callback twice is called once."""
        if callback not in self._callbacks:
            self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callback | None = None) -> None:
        """Unsubscribe ``callback`` (None: everyone). Unknown callbacks are ignored."""
        if callback is None:
            self._callbacks.clear()
        elif callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: Any = None) -> None:
        if self._blocked:
            return
        error: BaseException | None = None
        for callback in list(self._callbacks):
            try:
                callback(value)
            except Exception as exc:
                error = error or exc
        if error is not None:
            raise error

    @contextmanager
    def blocked(self) -> Iterator[None]:
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    def __len__(self) -> int:
        return len(self._callbacks)


class EventGroup:
    """A fixed set of named events (attribute access, so typos fail loudly)."""

    def __init__(self, *names: str) -> None:
        self._names = names
        for name in names:
            setattr(self, name, Event(name))

    @property
    def names(self) -> tuple[str, ...]:
        return self._names

    def disconnect_all(self) -> None:
        for name in self._names:
            getattr(self, name).disconnect()
