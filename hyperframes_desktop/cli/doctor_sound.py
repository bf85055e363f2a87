"""Doctor checks for the studio's preview sound: does QtMultimedia load, and is there an audio
output to play on? Neither blocks rendering (renders mix their audio with FFmpeg), so both
report warnings at worst. Qt is imported only inside the functions (the CLI layer's Qt use,
like the Qt/QtWebEngine version checks in doctor_cmd.py).
"""

from __future__ import annotations

from hyperframes_desktop.cli.doctor_check import OK, SKIPPED, WARNING, Check
from hyperframes_desktop.cli.studio_cmd import missing_library

_MULTIMEDIA = ("qtmultimedia", "QtMultimedia")
_OUTPUT = ("audio_output", "Audio output")
_SKIPPED_DETAIL = "not checked: QtMultimedia cannot be loaded"
_NO_DEVICE_FIX = (
    "connect or enable a sound device; on Linux make sure a sound server runs for your user "
    "(PulseAudio or PipeWire, e.g. systemctl --user start pipewire-pulse), then reopen the studio"
)


def sound_checks() -> list[Check]:
    """QtMultimedia, then the audio output devices it sees."""
    try:
        from PySide6.QtCore import qInstallMessageHandler
    except Exception as exc:  # doctor_cmd's Qt check reports a Qt that cannot load
        return [Check(*_MULTIMEDIA, SKIPPED, f"not checked: Qt cannot be loaded ({exc})"),
                Check(*_OUTPUT, SKIPPED, _SKIPPED_DETAIL)]  # fmt: skip
    # QtMultimedia logs its backend probing ("Couldn't load pipewire-0.3 library",
    # "pa_context_connect() failed") to stderr: keep the messages for the report instead.
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _mode, _context, text: messages.append(text))
    try:
        try:
            from PySide6 import QtMultimedia  # noqa: F401
        except Exception as exc:  # a missing system library is the usual cause
            return [_multimedia_missing(exc), Check(*_OUTPUT, SKIPPED, _SKIPPED_DETAIL)]
        multimedia = Check(
            *_MULTIMEDIA, OK, "loads (the studio plays the preview's sound with it)", data={}
        )
        return [multimedia, check_audio_output(messages)]
    finally:
        qInstallMessageHandler(previous)


def _multimedia_missing(exc: BaseException) -> Check:
    library, package = missing_library(exc)
    what = f"the system library {library} is missing" if library else "a part of Qt is missing"
    if package:
        fix = f"install it (Debian/Ubuntu: sudo apt install {package})"
    elif library:
        fix = f"install the system package that provides {library}"
    else:
        fix = "reinstall the Qt packages (pip install --force-reinstall PySide6-Addons)"
    detail = (
        f"cannot be loaded: {what} ({exc}); the studio, which plays the preview's sound "
        "with it, cannot start; renders still work"
    )
    return Check(*_MULTIMEDIA, WARNING, detail, fix, {"library": library, "package": package})


def check_audio_output(messages: list[str]) -> Check:
    """The audio outputs QtMultimedia lists (it needs a QCoreApplication to look);
    ``messages`` collects Qt's log lines meanwhile (they tell why there is none)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    created = None
    try:
        if QCoreApplication.instance() is None:
            created = QCoreApplication([])
        outputs = QMediaDevices.audioOutputs()
        default = QMediaDevices.defaultAudioOutput()
        names = [device.description() for device in outputs]
        default_name = default.description() if not default.isNull() else None
    finally:
        if created is not None:
            created.shutdown()
    if names:
        shown = default_name or names[0]
        more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
        return Check(
            *_OUTPUT, OK, f"{shown}{more}", data={"outputs": names, "default": default_name}
        )
    no_server = any("pa_context_connect" in m for m in messages)
    why = " (no PulseAudio/PipeWire sound server answered)" if no_server else ""
    return Check(
        *_OUTPUT,
        WARNING,
        f"no audio output device found{why}: the studio's preview will be silent; "
        "renders still have their sound",
        _NO_DEVICE_FIX,
        {"outputs": [], "default": None},
    )
