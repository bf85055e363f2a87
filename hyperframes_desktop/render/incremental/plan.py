"""Which frames a cached render reuses, and how it cuts the frames it captures.

**Chunks start where clips start and end.** A timeline move of a clip changes frames from
its old start on (and from its old end on), so the render cuts its frames at every clip's
first and last frame, root and nested (:func:`clip_cuts`), then cuts each piece into chunks
of at most ``size`` frames counted from the piece's start (:func:`cut_range`). The chunk a
move breaks therefore starts where the changed frames start, wherever the clip was: the
first 10-frame move of a clip re-captures one 10-frame chunk, where a fixed grid from frame 0
re-captured two whenever the clip did not start on the grid (9 start frames in 10). Where
the changed frames end inside a chunk (one counted from another clip's boundary), the rest
of that chunk is captured too: an H.264 segment cannot be cut after its IDR frame.

**Any cached segment whose frames all match is reused** (:func:`cover`), whatever range it
covers: the render does not look up its own chunks' ranges but picks, among every entry of
its settings, the non-overlapping ones whose frames' fingerprints are all today's, covering
as many frames as possible (fewest segments on a tie), and captures only the gaps, cut at
today's clip boundaries. After an edit moved boundaries, the segments it did not touch are
still reused although today's plan would cut them elsewhere, and the chunks captured again
start at the clip's new start, so its next move is cut there too.

**Pieces shorter than** :data:`MIN_PIECE_SECONDS` (clips staggered a few frames apart) are
merged into the piece before them: each chunk is a closed segment opened by an IDR frame
(about 30 kB at 1080p, as much as 5-10 of its P frames) and started by an FFmpeg of its own,
so a 1-2 frame chunk would cost more than re-capturing those frames with a neighbour's edit.
The encoder, segment and join path accepts a chunk of any length (one frame included), so
this is about cost, not a limit; a range's first piece is kept as it is (the piece before
it, if any, is a reused segment).

A piece's last chunk is left as short as it is. Joining a last chunk of half a chunk or less
to the one before it was tried (session 8): the nested 1080p sample then had 14-15 segments
instead of 16-17 (cached MP4 1.00-1.03 MB instead of 1.05-1.08), but the bench's unaligned
10-frame moves re-captured 10, 15, 15, 15 frames instead of 10, 10, 15, 15, and 13.6 a move
instead of 12.7 over ten start offsets (a 15-frame warm edit measured 3.9x at load 7): the
re-render's speed is what the issue sets a target for.

The plan is made once every frame's fingerprint is in: the fingerprint pass feeds the whole
range to each worker as one piece (fingerprint_pass), so the fingerprints arrive together
and waiting for all of them costs nothing over waiting for the first chunk's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.model import Clip, MediaElement
from hyperframes_desktop.project.timeline.model import frame_at

#: a piece between two clip boundaries shorter than this is merged into the piece before it
MIN_PIECE_SECONDS = 0.1


def min_piece_frames(fps: float) -> int:
    return max(1, round(fps * MIN_PIECE_SECONDS))


def clip_cuts(comp: Composition) -> list[int]:
    """The frames at which a visible clip of ``comp`` starts or ends (its first frame and the
    frame after its last), nested compositions' clips included (inside their host's window,
    in root frames). Audio clips show nothing and are left out."""
    cuts: set[int] = set()
    _collect(comp, 0.0, (0.0, comp.duration), cuts)
    return sorted(cuts)


def _collect(comp: Composition, origin: float, window: tuple[float, float], cuts: set[int]) -> None:
    items: list[Clip] = [*comp.clips, *comp.media, *comp.hosts]
    for item in items:
        if isinstance(item, MediaElement) and item.tag == "audio":
            continue
        local_end = item.end if item.end is not None else comp.duration
        start = max(window[0], origin + item.start)
        end = min(window[1], origin + local_end)
        if end <= start:
            continue
        cuts.add(frame_at(start, comp.fps))
        cuts.add(frame_at(end, comp.fps))
    for host in comp.hosts:
        local_end = host.end if host.end is not None else comp.duration
        start = max(window[0], origin + host.start)
        end = min(window[1], origin + local_end)
        if end > start:
            _collect(host.child, origin + host.start - host.playback_start, (start, end), cuts)


def cut_range(frames: range, cuts: Iterable[int], size: int, min_piece: int = 1) -> list[range]:
    """``frames`` cut at every cut inside it (a piece shorter than ``min_piece`` joins the
    one before it), each piece then cut into chunks of ``size`` frames from its start."""
    if not len(frames):
        return []
    edges = sorted({c for c in cuts if frames.start < c < frames.stop})
    pieces: list[list[int]] = []
    for start, stop in zip([frames.start, *edges], [*edges, frames.stop], strict=True):
        if pieces and stop - start < min_piece:
            pieces[-1][1] = stop
        else:
            pieces.append([start, stop])
    step = max(1, size)
    return [
        range(first, min(stop, first + step))
        for start, stop in pieces
        for first in range(start, stop, step)
    ]


@dataclass(frozen=True)
class Candidate:
    """A cached segment: its entry's key and the frames it covers (inclusive)."""

    key: str
    start: int
    end: int
    fingerprints: tuple[str, ...]

    @property
    def frames(self) -> range:
        return range(self.start, self.end + 1)


def matching(
    candidates: Iterable[Candidate], wanted: range, prints: dict[int, str]
) -> list[Candidate]:
    """The candidates inside ``wanted`` whose every frame has today's (known) fingerprint."""
    found = []
    for cand in candidates:
        if cand.start < wanted.start or cand.end >= wanted.stop or cand.end < cand.start:
            continue
        if len(cand.fingerprints) != cand.end - cand.start + 1:
            continue
        if all(
            value and prints.get(frame) == value
            for frame, value in zip(cand.frames, cand.fingerprints, strict=True)
        ):
            found.append(cand)
    return found


def cover(wanted: range, usable: Sequence[Candidate]) -> list[Candidate]:
    """Non-overlapping ``usable`` segments covering as many frames of ``wanted`` as can be,
    with as few segments as can be among those; in frame order."""
    ending: dict[int, list[Candidate]] = {}
    for cand in usable:
        ending.setdefault(cand.end, []).append(cand)
    # best[i]: the best (frames covered, -segments) over wanted[:i]; how[i]: its last segment
    best: list[tuple[int, int]] = [(0, 0)] * (len(wanted) + 1)
    how: list[Candidate | None] = [None] * (len(wanted) + 1)
    for i, frame in enumerate(wanted, start=1):
        best[i], how[i] = best[i - 1], None
        for cand in ending.get(frame, ()):
            before = best[cand.start - wanted.start]
            score = (before[0] + len(cand.frames), before[1] - 1)
            if score > best[i]:
                best[i], how[i] = score, cand
    chosen: list[Candidate] = []
    i = len(wanted)
    while i > 0:
        cand = how[i]
        if cand is None:
            i -= 1
        else:
            chosen.append(cand)
            i = cand.start - wanted.start
    return chosen[::-1]


def gaps(wanted: range, chosen: Sequence[Candidate]) -> list[range]:
    """The frames of ``wanted`` no chosen segment covers, as maximal ranges."""
    found, at = [], wanted.start
    for cand in chosen:
        if cand.start > at:
            found.append(range(at, cand.start))
        at = cand.end + 1
    if at < wanted.stop:
        found.append(range(at, wanted.stop))
    return found
