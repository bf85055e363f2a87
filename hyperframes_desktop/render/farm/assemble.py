"""Assemble on the client: join the segments with a stream-copy concat, mux the sound once
(padded or trimmed to the frame count), ``+faststart``; GIF gets its one palette pass after
the join, and a PNG sequence's files (already numbered by absolute frame) are moved in.

A single-file join can start before the segments exist (:class:`EarlyJoin`): FFmpeg is
started while the chunks render and waits for its segment list on stdin, so the render's
serial end pays the join itself but not FFmpeg's start (~0.1 s idle, several times that on
a busy machine).

FFmpeg's concat demuxer opens each segment with a full stream probe: for a 10-frame H.264
segment it reads and analyses every frame to guess the frame rate, ~5 ms of CPU a segment
at 1080p, one segment after another at the render's serial end. The joined MP4 and MOV are
byte for byte the same without that frame-rate probe (the stream copy takes the rate from
the join's own timing), so their segment lists ask each segment for a one-frame probe
(``option fpsprobesize 0``, FFmpeg 5.0 and newer). WebM and the GIF's Matroska join write
the probed rate into the file, so they keep the full probe."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.assemble import assemble_gif
from hyperframes_desktop.render.farm.versions import ffmpeg_major
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import RenderError


def _seconds(frames: int, fps: Fraction) -> str:
    return f"{frames * fps.denominator / fps.numerator:.6f}"


#: Joined formats whose output does not depend on the segments' frame-rate probe (checked
#: byte for byte: tests/farm/test_farm_joins.py)
_SHORT_PROBE_FORMATS = frozenset({"mp4", "mov"})
#: The concat list's per-file ``option`` directive came with FFmpeg 5.0
_PER_FILE_OPTIONS_SINCE = 5


def short_probe(spec: FormatSpec, ffmpeg_version: int | None = None) -> bool:
    """Whether the join of ``spec``'s segments asks each segment for a one-frame probe:
    formats whose output is the same either way, with an FFmpeg that takes per-file options
    (``ffmpeg_version``: its major version; None: this computer's FFmpeg)."""
    major = ffmpeg_major() if ffmpeg_version is None else ffmpeg_version
    return spec.name in _SHORT_PROBE_FORMATS and major >= _PER_FILE_OPTIONS_SINCE


def segment_lines(segments: list[Path], *, url: bool, short: bool) -> str:
    """The concat demuxer's list of ``segments`` (absolute ``file:`` URLs when ``url``: a list
    read from a pipe resolves relative names against "pipe:"), each with a one-frame probe
    when ``short``."""
    lines = []
    for segment in segments:
        name = f"file:{segment.resolve()}" if url else str(segment.resolve())
        quoted = name.replace("'", "'\\''")
        lines.append(f"file '{quoted}'\n")
        if short:
            lines.append("option fpsprobesize 0\n")
    return "".join(lines)


def _concat_list(segments: list[Path], into: Path, *, short: bool) -> Path:
    listing = into / "segments.txt"
    listing.write_text(segment_lines(segments, url=False, short=short), encoding="utf-8")
    return listing


def _run(args: list[str], cancel: threading.Event, what: str) -> None:
    result = tools.run_cancellable("ffmpeg", args, cancel, 0.02)  # a join takes ~0.1 s
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not {what}: {tail}", stage="assemble")


def _join_args(
    spec: FormatSpec,
    partial: Path,
    joined: list[str],
    *,
    fps: Fraction,
    first_frame: int,
    frames: int,
    audio: Path | None,
) -> list[str]:
    """FFmpeg's arguments for a single-file join of the ``joined`` input (concat)."""
    args = ["-hide_banner", "-loglevel", "error", "-nostdin", *joined]
    with_audio = audio is not None and spec.audio_args is not None
    length = _seconds(frames, fps)
    if with_audio:
        if first_frame:
            args += ["-ss", _seconds(first_frame, fps)]
        args += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0"]
    args += ["-c:v", "copy"]
    if with_audio:
        args += [*(spec.audio_args or ()), "-af", f"apad=whole_dur={length},atrim=end={length}"]
    return [*args, *spec.muxer_args(), "-y", str(partial)]


class EarlyJoin:
    """The join's FFmpeg, started now and waiting (blocked on stdin, no CPU) for the segment
    list, which :meth:`finish` writes once every segment is here. Whoever starts it calls
    :meth:`stop` however the render ends (it ends FFmpeg if the join never ran)."""

    def __init__(
        self,
        spec: FormatSpec,
        partial: Path,
        *,
        fps: Fraction,
        first_frame: int,
        frames: int,
        audio: Path | None,
    ) -> None:
        # the list comes on stdin; its entries are absolute ``file:`` URLs (a relative one
        # would be read relative to the "pipe:" input)
        joined = ["-f", "concat", "-safe", "0", "-protocol_whitelist", "file,pipe",
                  "-i", "pipe:0"]  # fmt: skip
        args = _join_args(spec, partial, joined, fps=fps, first_frame=first_frame,
                          frames=frames, audio=audio)  # fmt: skip
        self.short = short_probe(spec)  # asked now: the FFmpeg facts are cached per binary
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - lives until stop()
        try:
            self.proc = tools.launch(
                [tools.find_tool("ffmpeg"), *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=self._err,
            )
        except BaseException:
            self._err.close()
            raise

    @staticmethod
    def usable(spec: FormatSpec) -> bool:
        """A join into one file without a palette pass (not GIF, not a PNG sequence)."""
        return not spec.is_folder and not spec.needs_palette_pass

    def finish(self, segments: list[Path], cancel: threading.Event) -> None:
        """Hand FFmpeg the segments (in frame order) and wait for the joined output."""
        from hyperframes_desktop.render.processes import kill_tree

        assert self.proc.stdin is not None
        listing = segment_lines(segments, url=True, short=self.short)
        try:
            self.proc.stdin.write(listing.encode("utf-8"))
            self.proc.stdin.close()
        except OSError:
            pass  # it ended early: its exit code and stderr say why
        try:
            while True:
                try:
                    code = self.proc.wait(timeout=0.02)
                    break
                except subprocess.TimeoutExpired:
                    tools.check_cancel(cancel)
        except BaseException:
            kill_tree(self.proc)
            raise
        if code != 0:
            self._err.seek(0)
            tail = " | ".join(self._err.read().decode(errors="replace").strip().splitlines()[-3:])
            raise RenderError(f"FFmpeg could not join the segments: {tail}", stage="assemble")

    def stop(self) -> None:
        """End FFmpeg if it still runs (the render failed or was cancelled before the join)."""
        from hyperframes_desktop.render.processes import kill_tree

        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # type: ignore[union-attr]
            kill_tree(self.proc)
        self._err.close()


def assemble(
    spec: FormatSpec,
    segments: list[list[Path]],
    partial: Path,
    scratch: Path,
    *,
    fps: Fraction,
    first_frame: int,
    frames: int,
    audio: Path | None,
    gif_loop: int,
    cancel: threading.Event,
    early: EarlyJoin | None = None,
) -> None:
    """``segments``: each chunk's files, in frame order; ``early``: the join's FFmpeg,
    already started with these same settings (EarlyJoin.usable formats only)."""
    if spec.is_folder:
        for files in segments:
            for file in files:
                tools.check_cancel(cancel)
                try:  # a link keeps the kept segment whole until the output is published
                    os.link(file, partial / file.name)
                except OSError:
                    shutil.copyfile(file, partial / file.name)
        return
    if early is not None and not spec.needs_palette_pass:
        early.finish([files[0] for files in segments], cancel)
        return
    listing = _concat_list([files[0] for files in segments], scratch, short=short_probe(spec))
    base = ["-hide_banner", "-loglevel", "error", "-nostdin"]
    joined = ["-f", "concat", "-safe", "0", "-i", str(listing)]
    if spec.needs_palette_pass:
        intermediate = scratch / "joined.mkv"
        _run(
            [*base, *joined, "-c", "copy", "-f", "matroska", "-y", str(intermediate)],
            cancel,
            "join the GIF's segments",
        )
        assemble_gif(intermediate, partial, cancel, gif_loop=gif_loop)
        return
    args = _join_args(spec, partial, joined, fps=fps, first_frame=first_frame, frames=frames,
                      audio=audio)  # fmt: skip
    _run(args, cancel, "join the segments")
