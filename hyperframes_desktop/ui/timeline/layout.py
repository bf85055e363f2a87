"""Turn the model's :class:`Timeline` into painted rows: one row per track, nested
compositions' tracks right under the track of their host (indented)."""

from __future__ import annotations

from hyperframes_desktop.project.timeline import Timeline, TimelineClip, Track
from hyperframes_desktop.ui.timeline.rows import AudioSpan, Bar, Row, finish


def bar_of(clip: TimelineClip, lo: int = 0, hi: int | None = None) -> Bar | None:
    """The bar of ``clip`` clipped to its host's frames [lo, hi) (None when outside)."""
    start = max(clip.start_frame, lo)
    end = clip.end_frame if hi is None else min(clip.end_frame, hi)
    if end <= start:
        return None
    audio = None
    if clip.kind == "audio" and clip.media_path is not None:
        audio = AudioSpan(clip.media_path, clip.media_start or 0.0, clip.playback_rate or 1.0)
    return Bar(
        key=clip.key,
        label=clip.label,
        kind=clip.kind,
        start=start,
        end=end,
        clip=clip,
        editable=clip.timed,
        audio=audio,
        host=bool(clip.children),
    )


def rows_of(timeline: Timeline) -> list[Row]:
    rows: list[Row] = []
    _add(rows, timeline.tracks, "", "", 0, (), 0, None)
    return finish(rows)


def _add(
    rows: list[Row],
    tracks: tuple[Track, ...],
    scope: str,
    title: str,
    depth: int,
    parents: tuple[str, ...],
    lo: int,
    hi: int | None,
) -> None:
    for track in tracks:
        label = f"{title} › track {track.index}" if title else f"Track {track.index}"
        row = Row(label=label, track=track.index, scope=scope, depth=depth, parents=parents)
        rows.append(row)
        hosts = []
        for clip in track.clips:
            bar = bar_of(clip, lo, hi)
            if bar is not None:
                row.bars.append(bar)
                if clip.children:
                    hosts.append((clip, bar))
        for clip, bar in hosts:
            _add(
                rows,
                clip.children,
                clip.key,
                clip.label,
                depth + 1,
                (*parents, clip.key),
                bar.start,
                bar.end,
            )
