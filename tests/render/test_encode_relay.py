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
