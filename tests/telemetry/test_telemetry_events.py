"""Pins: event names, the perf-summary mapping, and what each event helper sends."""

from __future__ import annotations

import dataclasses
import getpass
import math
import socket
from pathlib import Path
from typing import Any

import pytest
from telemetry_helpers import sent_events

from hyperframes_desktop.render.perf import STAGE_KEYS, PerfSummary, VideoExtractBreakdown
from hyperframes_desktop.telemetry import events, perf_mapping


def make_summary(**overrides: Any) -> PerfSummary:
    """A summary where every field has a distinct value, so a mix-up cannot go unnoticed."""
    values: dict[str, Any] = dict(
        renderId="r-1",
        totalElapsedMs=8000.0,
        fps=30.0,
        quality="standard",
        format="mp4",
        workers=2,
        compositionDurationSeconds=5.0,
        totalFrames=150,
        resolution={"width": 1920, "height": 1080},
        compositionWidth=1280,
        compositionHeight=720,
        videoCount=3,
        audioCount=4,
        stages={
            "compileMs": 11.5,
            "videoExtractMs": 22.0,
            "audioProcessMs": 33.0,
            "captureSetupMs": 44.0,
            "captureFrameMs": 55.0,
            "captureMs": 66.0,
            "encodeMs": 77.0,
            "assembleMs": 88.0,
        },
        captureAvgMs=12.25,
        captureP50Ms=11.0,
        capturePeakMs=40.5,
        peakRssMb=712.0,
        memoryFreeMb=2048.0,
        tmpPeakBytes=123456789,
        videoExtractBreakdown=VideoExtractBreakdown(
            resolveMs=1.5, extractMs=2.5, cacheHits=6, cacheMisses=7, framesExtracted=90
        ),
        outputBytes=999,
    )
    values.update(overrides)
    return PerfSummary(**values)


EXPECTED_PROPERTIES = {
    "source": "cli",
    "stage_compile_ms": 11.5,
    "stage_video_extract_ms": 22.0,
    "stage_audio_process_ms": 33.0,
    "stage_capture_ms": 66.0,
    "stage_capture_setup_ms": 44.0,
    "stage_capture_frame_ms": 55.0,
    "stage_encode_ms": 77.0,
    "stage_assemble_ms": 88.0,
    "capture_avg_ms": 12.25,
    "capture_p50_ms": 11.0,
    "capture_peak_ms": 40.5,
    "extract_resolve_ms": 1.5,
    "extract_phase3_ms": 2.5,
    "extract_cache_hits": 6,
    "extract_cache_misses": 7,
    "extract_frames_extracted": 90,
    "composition_duration_ms": 5000.0,
    "composition_width": 1280,
    "composition_height": 720,
    "total_frames": 150,
    "video_count": 3,
    "audio_count": 4,
    "speed_ratio": 0.625,
    "peak_memory_mb": 712.0,
    "memory_free_mb": 2048.0,
    "tmp_peak_bytes": 123456789,
    "duration_ms": 8000.0,
    "fps": 30.0,
    "quality": "standard",
    "format": "mp4",
    "workers": 2,
    "output_width": 1920,
    "output_height": 1080,
}


def test_event_names_are_pinned() -> None:
    assert events.RENDER_COMPLETE == "render_complete"
    assert events.RENDER_ERROR == "render_error"
    assert events.STUDIO_SESSION_START == "studio_session_start"
    assert events.STUDIO_RENDER_START == "studio_render_start"


def test_every_perf_field_maps_to_its_pinned_property() -> None:
    assert perf_mapping.summary_to_properties(make_summary()) == EXPECTED_PROPERTIES


def test_every_engine_stage_key_has_a_property() -> None:
    assert set(STAGE_KEYS) == set(perf_mapping.STAGE_PROPERTIES)


def test_every_breakdown_field_maps_and_extract_ms_is_phase3() -> None:
    names = [f.name for f in dataclasses.fields(VideoExtractBreakdown)]
    props = perf_mapping.summary_to_properties(make_summary())
    for name in names:
        assert perf_mapping.breakdown_property(name) in props
    assert perf_mapping.breakdown_property("extractMs") == "extract_phase3_ms"
    assert "extract_extract_ms" not in props
    # A dict breakdown (e.g. read back from JSON) maps the same way.
    as_dict = perf_mapping.summary_to_properties(
        make_summary(videoExtractBreakdown={"extractMs": 3.0, "someNewMs": 1.0})
    )
    assert as_dict["extract_phase3_ms"] == 3.0 and as_dict["extract_some_new_ms"] == 1.0


@pytest.mark.parametrize("elapsed", [0.0, -5.0, math.nan])
def test_speed_ratio_is_zero_when_nothing_was_timed(elapsed: float) -> None:
    props = perf_mapping.summary_to_properties(make_summary(totalElapsedMs=elapsed))
    assert props["speed_ratio"] == 0.0


def test_missing_stages_are_omitted_and_odd_values_sanitized() -> None:
    props = perf_mapping.summary_to_properties(
        make_summary(
            stages={"compileMs": 5.0, "unknownStageMs": 1.0},
            capturePeakMs=math.inf,
            quality="/home/someone/preset",
            resolution={},
        ),
        source="studio",
    )
    assert props["stage_compile_ms"] == 5.0
    assert not any(k.startswith("stage_") and k != "stage_compile_ms" for k in props)
    assert props["capture_peak_ms"] is None
    assert props["quality"] is None
    assert props["output_width"] is None and props["output_height"] is None
    assert props["source"] == "studio"
    assert perf_mapping.summary_to_properties(make_summary(), "bogus")["source"] == "unknown"


def test_snake_case() -> None:
    assert perf_mapping.snake_case("cacheHits") == "cache_hits"
    assert perf_mapping.snake_case("resolveMs") == "resolve_ms"
    assert perf_mapping.snake_case("p50Ms") == "p50_ms"


@pytest.mark.parametrize("source", ["cli", "studio"])
def test_track_render_complete_sends_every_mapped_field(
    telemetry_on, make_client, source: str
) -> None:
    c = make_client()
    assert events.track_render_complete(make_summary(), source=source, client=c)
    assert c.flush(1.0)
    (event,) = sent_events(telemetry_on)
    assert event["event"] == "render_complete"
    props = event["properties"]
    assert {k: props[k] for k in EXPECTED_PROPERTIES} == {**EXPECTED_PROPERTIES, "source": source}
    assert props["$ip"] is None


def test_track_render_complete_uses_the_default_client(telemetry_on) -> None:
    assert events.track_render_complete(make_summary())
    from hyperframes_desktop.telemetry.client import get_client

    assert get_client().flush(1.0)
    assert [e["event"] for e in sent_events(telemetry_on)] == ["render_complete"]


def test_track_render_error_redacts_and_adds_failure_fields(
    telemetry_on, make_client, tmp_path: Path
) -> None:
    project = tmp_path / "Client Secret Project"
    message = (
        f"ffmpeg failed reading {project / 'media' / 'clip.mp4'} "
        f"(home {Path.home()}, user {getpass.getuser()}, host {socket.gethostname()}) "
        f"and C:\\Users\\{getpass.getuser()}\\Videos\\intro.html"
    )
    c = make_client()
    assert events.track_render_error(
        "capture",
        1234.5,
        RuntimeError(message),
        fps=30,
        quality="draft",
        format="webm",
        workers=2,
        client=c,
    )
    assert c.flush(1.0)
    (event,) = sent_events(telemetry_on)
    assert event["event"] == "render_error"
    props = event["properties"]
    assert props["failed_stage"] == "capture"
    assert props["elapsed_ms"] == 1234.5
    assert props["source"] == "cli"
    assert props["error_type"] == "RuntimeError"
    assert props["fps"] == 30 and props["quality"] == "draft" and props["format"] == "webm"
    assert props["workers"] == 2
    msg = props["error_message"]
    assert msg.startswith("ffmpeg failed reading <path>")
    for secret in ("Client", "Secret", "clip.mp4", "intro.html", "Videos", str(tmp_path)):
        assert secret not in msg


def test_track_render_error_with_a_partial_summary(telemetry_on, make_client) -> None:
    c = make_client()
    summary = make_summary(stages={"compileMs": 3.0})
    assert events.track_render_error(
        "encode", 50, "encoder exited 1", source="studio", summary=summary, client=c
    )
    assert c.flush(1.0)
    props = sent_events(telemetry_on)[0]["properties"]
    assert props["failed_stage"] == "encode" and props["source"] == "studio"
    assert props["stage_compile_ms"] == 3.0 and props["total_frames"] == 150
    assert props["error_type"] is None and props["error_message"] == "encoder exited 1"


def test_studio_session_start_is_sent_once_per_process(telemetry_on, make_client) -> None:
    c = make_client()
    assert events.track_studio_session_start(True, client=c) is True
    assert events.track_studio_session_start(False, client=c) is False  # window re-created
    assert c.flush(1.0)
    (event,) = sent_events(telemetry_on)
    assert event["event"] == "studio_session_start"
    assert event["properties"]["has_project"] is True


def test_studio_render_start_shape(telemetry_on, make_client, tmp_path: Path) -> None:
    c = make_client()
    assert events.track_studio_render_start(
        30, "standard", "mp4", (1920, 1080), tmp_path / "my project" / "index.html", client=c
    )
    assert events.track_studio_render_start(
        60,
        "high",
        "mov",
        (1080, 1920),
        tmp_path / "my project" / "compositions" / "a.html",
        client=c,
    )
    assert c.flush(1.0)
    first, second = sent_events(telemetry_on)
    assert first["event"] == second["event"] == "studio_render_start"
    expected = {
        "source": "studio",
        "fps": 30,
        "quality": "standard",
        "format": "mp4",
        "resolution": "1920x1080",
        "composition": "index",
    }
    assert {k: first["properties"][k] for k in expected} == expected
    assert second["properties"]["composition"] == "other"
    assert second["properties"]["resolution"] == "1080x1920"


@pytest.mark.parametrize(
    ("composition", "category"),
    [
        ("index.html", "index"),
        ("/home/a/proj/index.html", "index"),
        ("C:\\Users\\a\\proj\\INDEX.HTML", "index"),
        ("index", "index"),
        ("compositions/intro.html", "other"),
        ("my-index.html", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_composition_category(composition: Any, category: str) -> None:
    assert events.composition_category(composition) == category


def test_helpers_never_raise_on_bad_input(telemetry_on, make_client) -> None:
    c = make_client()
    assert events.track_studio_render_start(30, "x", "mp4", "bogus", None, client=c) is False  # type: ignore[arg-type]
    assert events.track_render_error("x", "not a number", "e", client=c) is False  # type: ignore[arg-type]
    assert events.track_render_complete(object(), client=c) is False  # type: ignore[arg-type]
