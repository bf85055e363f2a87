"""The preview's sound: the renderer's own mix played by QtMultimedia, following the playhead.

The mix comes from :func:`render.audio.preview_mix` (the audio stage's output, cached by
content) on a pool thread; a QMediaPlayer plays it and :class:`AudioSync` decides when it
must seek, play or pause. Without an audio device (a server, CI) QtMultimedia's FFmpeg
backend still plays against the system clock: the player's position advances, nothing is
heard, and the preview works as usual. When a device appears later it is used.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer, QtAudio

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.audio import has_sound, preview_mix
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.resources.remote_media import (
    localize_media,
    studio_resolver_needed,
)
from hyperframes_desktop.ui.background import Reporter, start_task
from hyperframes_desktop.ui.paths import config_dir
from hyperframes_desktop.ui.preview.audio_sync import AudioSync, Command
from hyperframes_desktop.ui.preview.page import studio_delivery
from hyperframes_desktop.ui.preview.playback import PlaybackController

DEFAULT_VOLUME = 80  # percent


def audio_settings() -> QSettings:
    """Mute and volume, remembered across sessions (honours XDG_CONFIG_HOME)."""
    return QSettings(str(config_dir() / "studio-audio.ini"), QSettings.Format.IniFormat)


class MixTask:
    """Mix (or find in the cache) the composition's sound off the GUI thread (sends
    ``ready`` (generation, path), ``silent`` (generation) or ``failed`` (generation,
    sentence)); ``cancel`` stops FFmpeg."""

    def __init__(
        self,
        comp: Composition,
        generation: int,
        cache_root: Path | None,
        silenced: frozenset[str] = frozenset(),
    ) -> None:
        self.comp = comp
        self.silenced = silenced
        self.generation = generation
        self.cache_root = cache_root
        self.cancel = threading.Event()
        # taken here, on the GUI thread, and only when a clip is remote
        self.resolver = studio_delivery().resolver if studio_resolver_needed(comp) else None

    def run(self, report: Reporter) -> None:
        try:
            path = preview_mix(
                self.comp,
                self.cache_root,
                self.cancel,
                silenced=self.silenced,
                localize=lambda placed: localize_media(placed, self.resolver),
            )
        except RenderCancelled:
            return
        except RenderError as exc:
            report.send("failed", self.generation, str(exc))
            return
        except Exception as exc:  # the preview's sound must never take the studio down
            report.send("failed", self.generation, f"{type(exc).__name__}: {exc}")
            return
        if path is None:
            report.send("silent", self.generation)
        else:
            report.send("ready", self.generation, str(path))


class PreviewAudio(QObject):
    """Plays the loaded composition's mix in step with ``controller``."""

    #: (available, sentence for tooltips/status): whether there is sound to control.
    availability_changed = Signal(bool, str)
    mute_changed = Signal(bool)  # the effective mute (user or shuttle)

    def __init__(
        self,
        controller: PlaybackController,
        parent: QObject | None = None,
        *,
        cache_root: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._comp: Composition | None = None
        self.silenced: frozenset[str] = frozenset()  # element ids left out of the mix
        self.controller = controller
        self.cache_root = cache_root
        self.sync = AudioSync()
        self.available = False
        self.reason = "Open a composition to hear its sound."
        self.source: Path | None = None
        self._loading = False  # a new source is loading into the player
        self._generation = 0
        self._task: MixTask | None = None
        saved = audio_settings()
        self.user_muted = _as_bool(saved.value("muted", False))
        self.volume = _as_volume(saved.value("volume", DEFAULT_VOLUME))
        self.output: QAudioOutput | None = None
        self.player = self._new_player()
        self._restore_lead()
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_devices_changed)
        self._apply_mute()
        # Queued: a seek moves the frame first and re-anchors the clock after; read it after.
        queued = Qt.ConnectionType.QueuedConnection
        controller.frame_changed.connect(self._on_playhead, queued)
        controller.state_changed.connect(self._on_playhead, queued)

    # ---- facts ------------------------------------------------------------------------
    @staticmethod
    def has_device() -> bool:
        return bool(QMediaDevices.audioOutputs())

    @property
    def muted(self) -> bool:
        """What the output does: muted by the user, or silent because of the shuttle."""
        return self.user_muted or self.sync.muted_by_shuttle

    # ---- composition ------------------------------------------------------------------
    def set_composition(self, comp: Composition | None, *, same: bool = False) -> None:
        """Prepare ``comp``'s sound (None: nothing loaded); controls wait until it is mixed.

        ``same``: the composition shown was saved again (hot reload); its current sound
        keeps playing until the new mix is ready, and an unchanged mix is not reloaded.
        """
        self._comp = comp
        self._generation += 1
        if self._task is not None:
            self._task.cancel.set()
            self._task = None
        if not (same and self.source is not None):
            self._unload()
        if comp is None:
            self._set_available(False, "Open a composition to hear its sound.")
            return
        try:
            audible = has_sound(comp)
        except Exception:  # a composition the mix cannot read: the task will say why
            audible = True
        if not audible:
            self._unload()
            self._set_available(False, "This composition has no sound.")
            return
        if self.source is None:
            self._set_available(False, "Preparing the sound…")
        task = MixTask(comp, self._generation, self.cache_root, self.silenced)
        self._task = task
        start_task(
            task.run,
            context=self,
            ready=self._on_mixed,
            silent=self._on_silent,
            failed=self._on_failed,
        )

    def set_silenced(self, ids: frozenset[str]) -> None:
        """Leave these media elements out of the preview's sound (muted timeline tracks);
        the composition's sound is mixed again, the playhead stays."""
        ids = frozenset(ids)
        if ids == self.silenced:
            return
        self.silenced = ids
        if self._comp is not None:
            self.set_composition(self._comp, same=True)

    def _unload(self) -> None:
        self.player.pause()  # not stop(): see shutdown()
        self.player.setSource(QUrl())
        self.source = None
        self._loading = False
        self.sync.reset()

    def _new_player(self) -> QMediaPlayer:
        """A player with its own output (an output is never moved between players: taking
        one from a player that is playing can deadlock the FFmpeg backend)."""
        player = QMediaPlayer(self)
        output = QAudioOutput(player)
        output.setVolume(_linear(self.volume))
        output.setMuted(self.muted)
        if self.output is not None:
            output.setDevice(self.output.device())
        player.setAudioOutput(output)
        self.output = output
        player.positionChanged.connect(self._on_position)
        player.mediaStatusChanged.connect(self._on_media_status)
        player.errorOccurred.connect(self._on_error)
        return player

    def _on_mixed(self, generation: int, path: str) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            return
        self._task = None
        if self.source == Path(path):
            return  # saved again, same sound: keep playing
        self.source = Path(path)
        self.sync.reset()
        # A fresh player per source: QtMultimedia's FFmpeg backend reports stale states while
        # one player switches files. Commands sent while it loads get lost: wait for it.
        old = self.player
        old.pause()  # not stop(): see shutdown()
        self.player = self._new_player()
        old.deleteLater()  # with its output
        self._loading = True
        self.player.setSource(QUrl.fromLocalFile(path))
        self._set_available(True, self._device_sentence())

    def _on_silent(self, generation: int) -> None:
        if generation == self._generation and shiboken6.isValid(self):
            self._task = None
            self._unload()
            self._set_available(False, "This composition has no sound.")

    def _on_failed(self, generation: int, text: str) -> None:
        if generation == self._generation and shiboken6.isValid(self):
            self._task = None
            self._unload()
            self._set_available(False, f"The sound cannot be played: {text}")

    def _set_available(self, available: bool, reason: str) -> None:
        self.available = available
        self.reason = reason
        self.availability_changed.emit(available, reason)

    def _device_sentence(self) -> str:
        if self.has_device():
            return "The composition's sound, as it renders."
        return "No sound output device was found: the preview plays silently."

    def _device_key(self) -> str:
        device = self.output.device()
        return "lead/" + (bytes(device.id().data()).hex() if not device.isNull() else "none")

    def _restore_lead(self) -> None:
        """The output's latency as learned last time, so sound starts in step at once."""
        try:
            self.sync.lead_ms = float(audio_settings().value(self._device_key(), 0.0))
        except (TypeError, ValueError):
            self.sync.lead_ms = 0.0

    def _on_devices_changed(self) -> None:
        self.output.setDevice(QMediaDevices.defaultAudioOutput())
        self._restore_lead()
        if self.available:
            self._set_available(True, self._device_sentence())

    # ---- mute and volume --------------------------------------------------------------
    def set_muted(self, muted: bool) -> None:
        self.user_muted = bool(muted)
        audio_settings().setValue("muted", self.user_muted)
        self._apply_mute()

    def set_volume(self, percent: int) -> None:
        self.volume = _as_volume(percent)
        self.output.setVolume(_linear(self.volume))
        audio_settings().setValue("volume", self.volume)

    def _apply_mute(self) -> None:
        muted = self.muted
        if self.output.isMuted() != muted:
            self.output.setMuted(muted)
        self.mute_changed.emit(muted)

    # ---- following the playhead -------------------------------------------------------
    def clock_ms(self) -> float:
        return self.controller.clock_time() * 1000.0

    def _on_playhead(self, _frame: int | None = None) -> None:
        if self.source is None or self._loading:
            return
        c = self.controller
        self.sync.frame_ms = 1000.0 / float(c.fps)
        was_muted = self.muted
        command = self.sync.playhead(
            playing=c.playing, speed=c.speed, clock_ms=self.clock_ms(), now=time.monotonic()
        )
        self._run(command)
        if self.muted != was_muted:
            self._apply_mute()

    def _on_position(self, position: int) -> None:
        player = self.player
        if (
            self.source is None
            or self._loading
            or player.playbackState() != QMediaPlayer.PlaybackState.PlayingState
            or player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia
        ):
            return  # a stopped or finished player reports positions that say nothing
        lead = self.sync.lead_ms
        self._run(self.sync.position(position, self.clock_ms(), time.monotonic()))
        if self.sync.lead_ms != lead:
            audio_settings().setValue(self._device_key(), round(self.sync.lead_ms, 1))

    def _run(self, command: Command) -> None:
        if command.seek_ms is not None:
            self.player.setPosition(command.seek_ms)
        if command.play is True and (
            self.player.playbackState() != QMediaPlayer.PlaybackState.PlayingState
        ):
            self.player.play()
        elif command.play is False:
            self.player.pause()

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if self._loading and status in loaded:
            self._loading = False
            self.sync.reset()
            self._on_playhead()

    def _on_error(self, _error: QMediaPlayer.Error, text: str) -> None:
        if self.source is not None:
            self._set_available(False, f"The sound cannot be played: {text or 'unknown error'}")

    def shutdown(self) -> None:
        """Stop mixing and playing (the window is closing): the playhead and a mix
        that finishes later move nothing any more.

        QMediaPlayer.stop() (Qt 6.12, FFmpeg backend) now and then never returns when the
        player was just seeked while paused; pausing silences it as well.
        """
        self._generation += 1
        if self._task is not None:
            self._task.cancel.set()
            self._task = None
        self.player.pause()
        self.source = None


def _linear(percent: int) -> float:
    """The slider is perceptual (logarithmic), the output's volume a linear gain."""
    scale = QtAudio.VolumeScale
    return QtAudio.convertVolume(
        percent / 100, scale.LogarithmicVolumeScale, scale.LinearVolumeScale
    )


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


def _as_volume(value: object) -> int:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_VOLUME
    return max(0, min(100, number))
