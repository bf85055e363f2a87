"""The relay that feeds the encoder: its portable fallback moves bytes exactly."""

from __future__ import annotations

from pathlib import Path


def test_the_relay_fallback_copies_exactly_what_splice_would(tmp_path: Path) -> None:
    import os

    from hyperframes_desktop.render.encode_process import _copy

    src_r, src_w = os.pipe()
    dst_r, dst_w = os.pipe()
    payload = bytes(range(256)) * 100
    os.write(src_w, payload)
    moved = 0
    while moved < len(payload):
        moved += _copy(src_r, dst_w, len(payload) - moved)
    assert os.read(dst_r, len(payload) + 1) == payload
    for fd in (src_r, src_w, dst_r, dst_w):
        os.close(fd)


def test_the_encoder_runs_with_a_kept_heap_and_writes_the_same_bytes(
    tmp_path: Path, monkeypatch
) -> None:
    """FFmpeg encodes with glibc's tunables that keep frame-sized buffers in the heap (less
    CPU, see kept_heap.MALLOC_TUNABLES); the file is byte for byte the one FFmpeg
    writes without them."""
    import os
    import queue
    import subprocess
    from fractions import Fraction

    from hyperframes_desktop.render import tools
    from hyperframes_desktop.render.encode_process import EncoderProcess
    from hyperframes_desktop.render.encoders import encode_command
    from hyperframes_desktop.render.formats import FORMATS
    from hyperframes_desktop.render.kept_heap import MALLOC_TUNABLES

    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    width, height, count = 64, 36, 6
    frames = b"".join(
        bytes([i * 40 % 256, 90, 200 - i * 20, 255]) * width * height for i in range(count)
    )

    def command(out: Path) -> list[str]:
        return encode_command(
            tools.find_tool("ffmpeg"), width, height, Fraction(30), FORMATS["mp4"], "draft", out
        )

    read_end, write_end = os.pipe()
    encoder = EncoderProcess(
        command(tmp_path / "ours.mp4"), width * height * 4, count, queue.Queue()
    )
    encoder.start([read_end])
    assert encoder.ffmpeg is not None
    environ = Path(f"/proc/{encoder.ffmpeg.pid}/environ").read_bytes().split(b"\0")
    # what the C library left in the process's environment block: the first tunable at least
    first = MALLOC_TUNABLES.split(":")[0]
    assert any(entry.startswith(f"GLIBC_TUNABLES={first}".encode()) for entry in environ)
    os.write(write_end, frames)
    os.close(write_end)
    assert encoder.ffmpeg.wait(timeout=60) == 0
    os.close(read_end)

    plain = command(tmp_path / "plain.mp4")
    subprocess.run(plain, input=frames, check=True, timeout=60, env=tools.clean_env())
    assert (tmp_path / "ours.mp4").read_bytes() == (tmp_path / "plain.mp4").read_bytes()
