"""The length of a composition whose root has no data-duration: asked of its page.

HyperFrames takes such a composition's length from its registered GSAP timeline, which only
exists once the page's scripts ran. So the page is compiled, loaded once in a capture worker
(no frame captured), and the length it reports when ready is the composition's; then the
composition is loaded again with that length, so clip windows, media, audio and frame counts
all follow from it. Renders, stills and farm plans call :func:`with_page_duration` first.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Collection
from pathlib import Path

from hyperframes_desktop.project import Composition, load_composition
from hyperframes_desktop.project.outside_links import OutsideLink
from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.compile import compile_page
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.output import resolve_size
from hyperframes_desktop.render.worker_exit import describe_exit

#: A page that says nothing for this long is stuck (its ready wait has its own limit).
_SILENCE_S = 60.0


def with_page_duration(
    comp: Composition,
    project: Path,
    composition: str | Path | None,
    scratch: Path,
    cancel: threading.Event | None = None,
    follow: Collection[OutsideLink] = (),
) -> Composition:
    """``comp`` itself when its root has data-duration; else the same composition loaded
    with the length its page reports."""
    if not comp.duration_from_page:
        return comp
    seconds = page_length(comp, scratch, cancel or threading.Event(), follow)
    return load_composition(project, composition, duration=seconds)


def page_length(
    comp: Composition, scratch: Path, cancel: threading.Event, follow: Collection[OutsideLink] = ()
) -> float:
    """Seconds the page of ``comp`` says it lasts (its root timeline's duration)."""
    page = compile_page(comp, scratch / "length-probe", strip=True, follow=follow)
    events: queue.Queue = queue.Queue()
    state = WorkerState(index=0, frames=range(0, 0))
    worker = WorkerProcess(state, page, resolve_size(comp, None), False, scratch, events, 1)
    try:
        worker.start()
        while not state.finished:
            if cancel.is_set():
                raise RenderCancelled()
            try:
                _, message = events.get(timeout=0.1)
            except queue.Empty:
                if time.monotonic() - state.last_message_at > _SILENCE_S:
                    raise RenderError(
                        "The composition page stopped responding while its length was read "
                        "(a script may be stuck in an endless loop). Fix: check its scripts, "
                        'or give the root element its length, e.g. data-duration="5".',
                        stage="compile",
                    ) from None
                continue
            state.last_message_at = time.monotonic()
            kind = message.get("event")
            if kind == "done":
                state.finished = True
            elif kind == "error" or kind == "exit":
                code = worker.wait_ended()
                detail = state.error[1] if state.error else describe_exit(code, state.page_errors)
                raise RenderError(
                    f"The composition has no data-duration, so its length comes from its GSAP "
                    f"timeline, and the page could not give it: {detail}",
                    stage="compile",
                )
        worker.wait_ended()
    finally:
        worker.stop()
    if state.page_duration <= 0:
        raise RenderError(
            f'The composition "{comp.composition_id}" has no data-duration and its timeline '
            f'(window.__timelines["{comp.composition_id}"]) is empty, so it has no length. '
            'Fix: add data-duration="5" (seconds) to the root element, or give the timeline '
            "its tweens.",
            stage="compile",
        )
    return state.page_duration
