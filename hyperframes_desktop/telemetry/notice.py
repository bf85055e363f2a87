"""The first-run telemetry notice, and recording that it was shown.

Telemetry stays off until the notice has been shown *and* recorded (a gate checks the
``notice_shown`` flag), so nothing can be sent to someone who was never told. The CLI prints
it on stderr (:func:`ensure_cli_notice`); the studio shows :data:`NOTICE_TEXT` in a dialog and
then calls :func:`record_notice_shown`.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from hyperframes_desktop.telemetry import config, gates

log = logging.getLogger(__name__)

NOTICE_TEXT = """\
HyperFrames Desktop collects anonymous usage data to learn how renders perform.

Collected: render timings per stage, frame counts, composition size and duration, fps,
quality, output format, memory use, whether a render came from the CLI or the studio, a
redacted error message when a render fails, and app/OS/Python/Qt versions, CPU count,
memory size, screen size, language and time zone offset. Events carry a random anonymous
id, not tied to you; the IP address is not stored.

Never collected: file or folder paths, project or file names, composition contents, your
user name, your computer's name, or anything you type.

Turn it off at any time:  hyperframes-desktop telemetry disable
or set HYPERFRAMES_NO_TELEMETRY=1 (or DO_NOT_TRACK=1) in your environment.
"""


def notice_pending() -> bool:
    """True when the notice is the only thing keeping telemetry off (so it must be shown).

    When telemetry is off for another reason (opt-out, dev mode, unconfigured build) there
    is nothing to announce and no one is nagged.
    """
    return gates.telemetry_state().decided_by == gates.BY_NOTICE


def record_notice_shown() -> bool:
    """Save ``notice_shown``; False when the config cannot be written (telemetry stays off)."""
    try:
        config.update_config(notice_shown=True)
    except config.ConfigUnavailable:
        return False
    return True


def ensure_cli_notice(stream: TextIO | None = None) -> bool:
    """Print the notice once (stderr by default) and record it. True if it was printed.

    Call it before the CLI's first event. Never raises.
    """
    try:
        if not notice_pending():
            return False
        out = stream if stream is not None else sys.stderr
        print(NOTICE_TEXT, file=out, flush=True)
        record_notice_shown()
        return True
    except Exception:
        log.debug("telemetry notice failed", exc_info=True)
        return False
