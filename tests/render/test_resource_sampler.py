"""The render's memory sampler finds the whole process tree from the tree's own /proc
children lists and sees a descendant's memory (processes.py)."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from hyperframes_desktop.render.processes import ResourceSampler, _family

_GRANDCHILD = (
    "import subprocess, sys, time; "
    "p = subprocess.Popen([sys.executable, '-c', "
    "'b = bytearray(160 * 2**20); import time; time.sleep(4)']); p.wait()"
)


def test_the_family_is_every_descendant_including_grandchildren() -> None:
    child = subprocess.Popen([sys.executable, "-c", _GRANDCHILD])
    try:
        me = psutil.Process()
        deadline = time.monotonic() + 10
        while len(me.children(recursive=True)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        expected = {me.pid, *(p.pid for p in me.children(recursive=True))}
        assert len(expected) >= 3
        assert {p.pid for p in _family(me)} == expected
    finally:
        child.kill()
        child.wait()


def test_the_sampler_sees_a_grandchild_s_memory() -> None:
    sampler = ResourceSampler(None, interval=0.05)
    sampler.start()
    time.sleep(0.3)
    before = sampler.peak_rss
    child = subprocess.Popen([sys.executable, "-c", _GRANDCHILD])
    try:
        time.sleep(2.5)  # the family is looked up again every second
    finally:
        sampler.stop()
        child.kill()
        child.wait()
    assert sampler.peak_rss - before > 140 * 2**20
    assert 0 < sampler.peak_pss <= sampler.peak_rss
