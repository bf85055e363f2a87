"""glibc's allocator for our frame-sized children: frames up to 32 MB come from (and go back
to) the heap, which is kept, instead of fresh mappings per frame that the kernel must zero.

Both ends of the frame pipe allocate a frame-sized buffer per frame: FFmpeg reads each raw
frame into a newly allocated packet, and a capture process's grab makes an 8 MB image per
1080p frame (and Qt Quick's software scene graph its own). With glibc's defaults, a freed
block that size is given back to the kernel (an unmapped mapping, or the heap's trimmed top)
and the next frame's faults it in again, each page zeroed: 2-3 ms a frame in FFmpeg, 3 ms a
frame on a capture process's main thread (perf: ``clear_page_erms`` and page faults). The
bytes are the same (only where memory comes from changes); other C libraries ignore the
variable, and a user's own ``GLIBC_TUNABLES`` is kept as it is.
"""

from __future__ import annotations

import os

#: 32 MiB (33 554 432 bytes): a 4K BGRA frame with the capture's strip rows (3840 x 2164 x 4 =
#: 33 239 040 bytes) is just below it, so frames up to 4K stay in the heap. The trim threshold
#: keeps up to 128 MiB of freed heap top.
MALLOC_TUNABLES = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728"


def kept_heap_env() -> dict[str, str]:
    """Extra environment for a child that allocates a frame-sized buffer per frame."""
    return {} if "GLIBC_TUNABLES" in os.environ else {"GLIBC_TUNABLES": MALLOC_TUNABLES}
