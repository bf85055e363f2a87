"""AudioSync's decisions: when the preview's audio player seeks, plays, pauses or stays muted.

Pure logic, driven with explicit clocks; the real player is exercised in
test_preview_audio.py.
"""

from __future__ import annotations

from hyperframes_desktop.ui.preview.audio_sync import NOTHING, AudioSync, Command

FRAME = 1000 / 30


def playing_at(sync: AudioSync, clock: float, now: float, speed: float = 1.0) -> Command:
    return sync.playhead(playing=True, speed=speed, clock_ms=clock, now=now)


def test_play_seeks_to_the_playhead_then_lets_the_player_run() -> None:
    sync = AudioSync(FRAME)
    assert playing_at(sync, 500.0, 10.0) == Command(seek_ms=500, play=True)
    # the clock advancing in real time is not a jump: nothing to do
    assert playing_at(sync, 510.0, 10.010) is NOTHING
    assert playing_at(sync, 1510.0, 11.010) is NOTHING


def test_seek_and_loop_while_playing_send_the_player_to_the_new_time() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    assert playing_at(sync, 2000.0, 0.02) == Command(seek_ms=2000, play=True)  # a seek
    assert playing_at(sync, 2990.0, 1.01) is NOTHING
    assert playing_at(sync, 3.0, 1.023) == Command(seek_ms=3, play=True)  # looped


def test_pause_and_frame_steps_park_the_player_on_the_frame() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    paused = sync.playhead(playing=False, speed=0.0, clock_ms=1000.0, now=1.0)
    assert paused == Command(seek_ms=1000, play=False)
    step = sync.playhead(playing=False, speed=0.0, clock_ms=1000.0 + FRAME, now=2.0)
    assert step == Command(seek_ms=round(1000 + FRAME))
    # repeated notifications of the same frame do nothing
    assert sync.playhead(playing=False, speed=0.0, clock_ms=1000.0 + FRAME, now=3.0) is NOTHING
    assert sync.position(1000.0, 1000.0 + FRAME, 3.1) is NOTHING  # paused: no drift checks


def test_shuttle_faster_than_1x_or_backwards_is_silent() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    assert playing_at(sync, 100.0, 0.1, speed=2.0) == Command(play=False)
    assert sync.muted_by_shuttle and not sync.playing
    assert playing_at(sync, 900.0, 0.5, speed=4.0) is NOTHING  # no seeks while shuttling
    assert sync.position(500.0, 900.0, 0.55) is NOTHING
    # K: stop where the shuttle got to
    stop = sync.playhead(playing=False, speed=0.0, clock_ms=1200.0, now=0.6)
    assert stop == Command(seek_ms=1200) and not sync.muted_by_shuttle
    playing_at(sync, 1200.0, 1.0, speed=-1.0)
    assert sync.muted_by_shuttle
    assert playing_at(sync, 1100.0, 1.1) == Command(seek_ms=1100, play=True)  # back to 1×
    assert not sync.muted_by_shuttle


def feed(sync: AudioSync, start: float, seconds: float, offset: float, lag_pattern):
    """Player readings every 50 ms for ``seconds``: ``offset`` ms ahead of the clock, minus a
    reporting lag cycling through ``lag_pattern`` (as QtMultimedia's block-wise positions).
    Stops at the first command: (time, command), or None when there was none."""
    for i in range(int(seconds / 0.05)):
        now = start + i * 0.05
        clock = now * 1000.0
        lag = lag_pattern[i % len(lag_pattern)]
        command = sync.position(clock + offset - lag, clock, now)
        if not command.empty:
            return now, command
    return None


def test_reporting_jitter_inside_a_frame_is_not_corrected() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    assert feed(sync, 0.0, 30.0, 0.0, [0, 16, 31, 45, 57, 4, 25, 40]) is None
    assert sync.resyncs == 0
    assert abs(sync.drift_ms()) < FRAME / 2


def test_drift_past_half_a_frame_is_corrected_and_a_steady_lag_is_learned() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    # the player drifted 40 ms behind: re-seeked to the playhead
    found = feed(sync, 0.0, 2.0, -40.0, [0, 20, 35])
    assert found is not None, "a 40 ms lag must be corrected"
    now, first = found
    assert now < 1.5
    assert first.play is True and first.seek_ms == round(now * 1000)
    # this player always lags 40 ms (an output's latency): the same error comes back at once
    # after each re-seek, so the lead grows towards it (halfway each time: small errors are
    # partly how late a player resumes) and the corrections stop
    for _ in range(8):
        found = feed(sync, now, 3.0, -40.0 + sync.lead_ms, [0, 20, 35])
        if found is None:
            break
        now, command = found
        assert command.seek_ms == round(now * 1000 + sync.lead_ms)
    assert found is None, f"still correcting: lead {sync.lead_ms} ms"
    assert sync.lead_ms > 0 and abs(sync.lead_ms - 40.0) < sync.threshold_ms  # within a frame
    assert feed(sync, now, 5.0, -40.0 + sync.lead_ms, [0, 20, 35]) is None
    assert sync.resyncs <= 5


def test_a_one_off_correction_does_not_shift_the_player_for_good() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    found = feed(sync, 0.0, 2.0, -30.0, [0, 20, 35])
    assert found is not None and sync.lead_ms == 0
    assert feed(sync, found[0], 5.0, 0.0, [0, 20, 35]) is None


def test_a_busy_moment_is_not_taken_for_a_drift() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    assert feed(sync, 0.0, 0.6, 0.0, [0, 20, 35]) is None
    assert feed(sync, 0.6, 0.6, 0.0, [30, 45, 60]) is None  # every reading late for a while
    assert feed(sync, 1.2, 5.0, 0.0, [0, 20, 35]) is None
    assert sync.resyncs == 0


def test_a_new_source_starts_from_scratch() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    sync.reset()
    assert playing_at(sync, 10.0, 0.01) == Command(seek_ms=10, play=True)


def test_the_threshold_follows_the_frame_rate() -> None:
    sync = AudioSync(FRAME)
    assert sync.threshold_ms == 0.75 * FRAME
    sync.frame_ms = 1000 / 60
    assert sync.threshold_ms == 12.5
    playing_at(sync, 0.0, 0.0)
    # 15 ms off at 60 fps is most of a frame: corrected (it would not be at 30 fps)
    assert feed(sync, 0.0, 2.0, -15.0, [0]) is not None


def test_a_late_start_is_corrected_in_the_first_stretch() -> None:
    sync = AudioSync(FRAME)
    playing_at(sync, 0.0, 0.0)
    assert sync.position(0.0, 20.0, 0.02) is NOTHING  # the seek's echo: not playing yet
    found = feed(sync, 0.05, 1.0, -50.0, [0, 10])  # resumed 50 ms late
    assert found is not None and found[0] < 0.65
    assert sync.lead_ms == 0  # a late start is not a latency
