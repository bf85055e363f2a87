"""When the preview's audio player must seek, play or pause to follow the playhead.

The playhead (ui/preview/playback.py) is the master clock; the audio player follows it. This
module holds only the decisions, free of Qt, so they can be tested on their own:

- The player plays only while the playhead plays forwards at 1×. J/L shuttle at other speeds
  (and backwards, which no player can do) pauses it: the shuttle plays muted.
- Whenever the playhead's clock jumps (a seek, a loop back to the start, a frame step) the
  player is sent to the new time at once.
- While playing, every position the player reports is compared with the clock at that
  moment. Players report their position late and in steps (QtMultimedia's FFmpeg backend
  in ~85 ms blocks, announced every 50–100 ms), so a single reading says little; the
  largest ``position - clock`` over half a second is the best estimate of how far the
  sound is from the picture. When two such stretches in a row put it past 3/4 of a frame
  (on the same side), or the first stretch after a start or seek puts it a whole frame off
  (players resume late), the player is re-seeked; when the same error is back right after
  that re-seek, it is the player's own lag (an output's latency) and is remembered as a
  lead, so that player is sent that much ahead rather than re-seeked for ever.
- After any seek the player reports the target at once and keeps reporting it until its
  output really plays from there; those readings are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Readings are judged in stretches at least this long (seconds): several position steps, so
#: that one of them was announced soon after the player reached it.
STRETCH_S = 0.5
#: A drift is corrected only when this many stretches in a row agree: a busy event loop
#: delays every announcement for a while, which looks like a lag but is not one.
AGREEING_STRETCHES = 2
#: Re-sync past this share of a frame, but never below this many milliseconds.
THRESHOLD_FRAMES = 0.75
MIN_THRESHOLD_MS = 10.0
#: The learned lead never exceeds this. Sound cards add 20–200 ms; PulseAudio's null sink
#: (a server without a card) reports 2 s.
MAX_LEAD_MS = 2500.0


@dataclass(frozen=True)
class Command:
    """What the player must do now: seek (milliseconds) and/or start (True) or pause (False)."""

    seek_ms: int | None = None
    play: bool | None = None

    @property
    def empty(self) -> bool:
        return self.seek_ms is None and self.play is None


NOTHING = Command()


class AudioSync:
    """Follows one playhead; feed it the playhead's state and the player's readings."""

    def __init__(self, frame_ms: float = 1000 / 30) -> None:
        self.frame_ms = frame_ms  # the composition's frame length (set again per composition)
        self.lead_ms = 0.0
        self.playing = False  # whether the player should be playing
        self.muted_by_shuttle = False
        self.corrections: list[float] = []  # each drift corrected (ms), not seeks or loops
        self._last_clock: float | None = None
        self._last_now = 0.0
        self._speed = 0.0
        self._target_ms: float | None = None  # where the player was last sent while paused
        self._readings: list[tuple[float, float]] = []  # (now, position - clock)
        self._estimates: list[float] = []  # drift over each recent stretch
        self._judged = 0  # stretches judged since the last (re)start or correction
        self._resynced = False  # the last start was a drift correction (not a user's seek)
        self._echo: int | None = None  # the last seek target, until the player moves past it

    @property
    def threshold_ms(self) -> float:
        """How far the sound may stray before it is corrected (a share of a frame)."""
        return max(MIN_THRESHOLD_MS, self.frame_ms * THRESHOLD_FRAMES)

    def reset(self) -> None:
        """A new source: nothing is known about the player."""
        self.playing = False
        self.muted_by_shuttle = False
        self._last_clock = None
        self._target_ms = None
        self._forget()

    def _forget(self) -> None:
        """A new start (play, seek, loop): judge the player afresh."""
        self._readings.clear()
        self._estimates = []
        self._judged = 0
        self._resynced = False
        self._echo = None

    def _seek(self, target_ms: float, play: bool | None) -> Command:
        """Send the player to ``target_ms``. It reports that position back at once and keeps
        reporting it until its output actually plays from there (an output's latency later):
        readings say nothing about its lag until the position moves on."""
        self._echo = round(target_ms)
        return Command(seek_ms=round(target_ms), play=play)

    # ---- the playhead -----------------------------------------------------------------
    def playhead(self, *, playing: bool, speed: float, clock_ms: float, now: float) -> Command:
        """The playhead changed (frame or state). ``clock_ms`` is its exact time, ``now`` a
        monotonic time in seconds."""
        should_play = playing and speed == 1.0
        self.muted_by_shuttle = playing and speed != 1.0
        jumped = self._jumped(clock_ms, now, speed if playing else 0.0)
        self._last_clock, self._last_now, self._speed = clock_ms, now, speed if playing else 0.0
        if should_play:
            if not self.playing or jumped:
                self.playing = True
                self._forget()
                self._target_ms = None
                return self._seek(self._lead(clock_ms), True)
            return NOTHING
        started = self.playing
        self.playing = False
        if self.muted_by_shuttle:
            # silent while shuttling; resuming at 1× seeks anyway
            return Command(play=False) if started else NOTHING
        moved = self._target_ms is None or abs(clock_ms - self._target_ms) >= 0.5
        if started or moved:
            self._target_ms = clock_ms
            self._forget()
            return self._seek(clock_ms, False if started else None)
        return NOTHING

    def _jumped(self, clock_ms: float, now: float, speed: float) -> bool:
        if self._last_clock is None:
            return True
        expected = self._last_clock + (now - self._last_now) * 1000.0 * speed
        return abs(clock_ms - expected) > self.threshold_ms

    def _lead(self, clock_ms: float) -> int:
        return max(0, round(clock_ms + self.lead_ms))

    # ---- the player -------------------------------------------------------------------
    def position(self, position_ms: float, clock_ms: float, now: float) -> Command:
        """The player reported ``position_ms`` while the playhead was at ``clock_ms``."""
        if not self.playing:
            return NOTHING
        if self._echo is not None:
            if position_ms <= self._echo + 1:
                return NOTHING  # not playing from the new place yet (or a stale report)
            self._echo = None
        self._readings.append((now, position_ms - clock_ms))
        if now - self._readings[0][0] < STRETCH_S:
            return NOTHING
        self._judged += 1
        estimate = max(d for _, d in self._readings)
        self._estimates = [*self._estimates, estimate][-AGREEING_STRETCHES:]
        self._readings.clear()
        recent = self._estimates
        if self._judged == 1 and abs(estimate) > self.frame_ms:
            # A player often resumes late after a seek or a start (more so on a busy
            # machine): a whole frame off in the first stretch is corrected at once.
            drift = estimate
        elif len(recent) < AGREEING_STRETCHES:
            return NOTHING
        elif all(d > self.threshold_ms for d in recent):
            drift = min(recent)
        elif all(d < -self.threshold_ms for d in recent):
            drift = max(recent)
        else:
            return NOTHING
        if (
            self._resynced
            and self._judged <= AGREEING_STRETCHES
            and ((self.corrections[-1] > 0) == (drift > 0))
        ):
            # the same error at once after the re-seek: the output's own latency (a lag that
            # built up later, e.g. a starved audio thread, only needs the re-seek). Small
            # errors move the lead halfway: how late a player resumes varies by a frame or so.
            step = drift if abs(drift) > 2 * self.frame_ms else drift / 2
            self.lead_ms = max(-MAX_LEAD_MS, min(MAX_LEAD_MS, self.lead_ms - step))
        self.corrections.append(drift)
        self._estimates = []
        self._judged = 0
        command = self._seek(self._lead(clock_ms), True)
        self._resynced = True
        return command

    @property
    def resyncs(self) -> int:
        return len(self.corrections)

    def drift_ms(self) -> float | None:
        """How far the sound was ahead (+) of the picture over the last judged stretch."""
        return self._estimates[-1] if self._estimates else None
