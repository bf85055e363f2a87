#!/usr/bin/env python3
"""HyperFrames' own regression fixtures, rendered by this engine and by the HyperFrames CLI
(the peer, ../shared/bench/) on this machine, compared the way HyperFrames'
``packages/producer/src/regression-harness.ts`` compares a render with its golden video.

    .venv/bin/python bench/hf_conformance.py HF_CHECKOUT [--only a,b] [--prefetch-cdn]
        [--write-results] [--peer-only]

HF_CHECKOUT is a checkout of HyperFrames' repository, fetched by hand and never committed.
For every ``packages/producer/tests/<fixture>/`` with a ``meta.json``:

- skipped, with the reason: files stored as Git LFS pointers, resources on hosts this machine
  cannot reach (storage buckets, map tiles), no ``minPsnr`` threshold;
- ``--prefetch-cdn``: until the resource resolver lands, CDN scripts and stylesheets
  (jsDelivr, unpkg, cdnjs) are fetched from the npm registry (same package, version and file)
  into a scratch copy that BOTH renderers get; without it such fixtures are skipped;
- Google Fonts links are left as they are: the peer cannot reach them here, so ours renders
  with ``HYPERFRAMES_HF_OFFLINE_FONTS=1`` (HyperFrames' offline fonts: its embedded static
  faces only, Google Fonts stylesheets unanswered) and ``HYPERFRAMES_FRAME_TIMEOUT_S=120``;
- a symlink of ``src/`` leading out of it (``shared -> ../shared``) points, in the scratch
  copy, at a copy of its target by absolute path, so it still resolves for both renderers;
  HyperFrames follows such links, ours leaves them out unless the user allows it, so ours
  renders such a fixture with ``--follow-outside-links`` (the user's grant for one run), and
  the fixture's row says so;
- both render ``renderConfig`` (fps, format, variables, workers) at ``--quality high``, the
  peer with ``--no-browser-gpu``; the peer's output is cached under ``.cache/hf-conformance/``
  (keyed by the fixture's bytes and the flags), so reruns only render ours;
- compared as the harness does: 100 checkpoints over the shorter video's duration
  (``i * (duration - 1/fps) / 100``, frame ``round(t * fps)``), PSNR per checkpoint in one
  FFmpeg pass, a checkpoint fails below ``minPsnr``, the fixture passes with at most
  ``maxFrameFailures`` failed checkpoints; and here, also, equal frame counts. Audio is not
  compared (every usable fixture has ``minAudioCorrelation`` 0).

``--write-results`` replaces this script's section of bench/RESULTS.md with the table.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

# Timings and comparisons are of fresh renders: a render-cache hit would skip the capture.
os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
SHARED = next(
    (p / "shared" for p in REPO.parents if (p / "shared" / "bench").is_dir()),
    REPO.parent / "shared",
)
CACHE = REPO / ".cache" / "hf-conformance"
RESULTS = REPO / "bench" / "RESULTS.md"
SECTION = "## HyperFrames' regression fixtures — `bench/hf_conformance.py`"
REGISTRY = "https://registry.npmjs.org"
LFS_MAGIC = b"version https://git-lfs.github.com/spec/v1"
TEXT_SUFFIXES = {".html", ".htm", ".css", ".js", ".mjs", ".json", ".svg"}
#: Hosts neither renderer can reach here, and whose absence both handle the same way.
IGNORED_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com", "www.w3.org"}
_URL = re.compile(r"""https?://[^\s"'()<>`\\]+""")
_CDN = [
    # (pattern, package, version, file) from a CDN URL
    re.compile(
        r"https?://cdn\.jsdelivr\.net/npm/(?P<pkg>@?[^@/]+(?:/[^@/]+)?)@(?P<ver>[^/]+)/(?P<file>[^\s\"'()<>`]+)"
    ),
    re.compile(
        r"https?://unpkg\.com/(?P<pkg>@?[^@/]+(?:/[^@/]+)?)@(?P<ver>[^/]+)/(?P<file>[^\s\"'()<>`]+)"
    ),
    re.compile(
        r"https?://cdnjs\.cloudflare\.com/ajax/libs/(?P<pkg>gsap)/(?P<ver>[^/]+)/(?P<file>[^\s\"'()<>`]+)"
    ),
]
#: cdnjs keeps a package's dist files at its top level.
_CDNJS_DIR = {"gsap": "dist/"}


@dataclass
class Fixture:
    name: str
    folder: Path
    meta: dict
    skip: str | None = None
    cdn: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # url -> (pkg, ver, file)


@dataclass
class Outcome:
    name: str
    status: str  # pass, FAIL, skip, error, peer failed
    detail: str
    ours_frames: int | None = None
    peer_frames: int | None = None
    failed: int | None = None
    min_psnr: float | None = None
    row: str | None = None  # kept as written from an earlier table (``--only`` runs)


# --------------------------------------------------------------------------- discovery


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _resource_urls(path: Path, text: str) -> list[str]:
    """URLs a file loads: everything in HTML/CSS, and in scripts that are not vendored
    libraries (big or .min.js files carry licence URLs in comments)."""
    if path.suffix in (".js", ".mjs") and (path.name.endswith(".min.js") or len(text) > 100_000):
        return []
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("//", "*", "/*"))]
    return _URL.findall("\n".join(lines))


def classify(folder: Path, prefetch_cdn: bool) -> Fixture:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    fixture = Fixture(folder.name, folder, meta)
    src = folder / "src"
    if not isinstance(meta.get("minPsnr"), int | float):
        fixture.skip = "no minPsnr threshold in meta.json"
        return fixture
    if not (src / "index.html").is_file():
        fixture.skip = "no src/index.html"
        return fixture
    lfs, hosts = [], set()
    for path in _files(src):
        with path.open("rb") as fh:
            if fh.read(len(LFS_MAGIC)) == LFS_MAGIC:
                lfs.append(path.relative_to(src).as_posix())
                continue
        if path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in _resource_urls(path, text):
            host = url.split("/")[2].split(":")[0]
            if host in IGNORED_HOSTS or host in ("localhost", "minio", "127.0.0.1"):
                continue
            cdn = next((m for p in _CDN if (m := p.match(url))), None)
            if cdn is not None and prefetch_cdn:
                fixture.cdn[url] = (cdn["pkg"], cdn["ver"], cdn["file"])
            else:
                hosts.add(host)
    if lfs:
        fixture.skip = f"Git LFS pointers: {', '.join(lfs[:2])}{' …' if len(lfs) > 2 else ''}"
    elif hosts:
        fixture.skip = f"needs unreachable host(s): {', '.join(sorted(hosts))}"
    return fixture


# --------------------------------------------------------------------------- npm prefetch


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def _npm_version(pkg: str, spec: str) -> str:
    """A concrete version for ``spec`` (exact, or a major/minor prefix like "7", "3")."""
    if re.fullmatch(r"\d+\.\d+\.\d+.*", spec):
        return spec
    doc = json.loads(_get(f"{REGISTRY}/{pkg.replace('/', '%2F')}"))
    if spec in doc.get("dist-tags", {}):
        return doc["dist-tags"][spec]
    candidates = [v for v in doc["versions"] if re.fullmatch(r"\d+\.\d+\.\d+", v)]
    candidates = [v for v in candidates if v == spec or v.startswith(spec + ".")]
    return max(candidates, key=lambda v: tuple(int(x) for x in v.split(".")))


def npm_file(pkg: str, spec: str, file: str) -> Path:
    """``file`` of npm package ``pkg@spec``, from the registry's tarball, cached."""
    version = _npm_version(pkg, spec)
    root = CACHE / "npm" / f"{pkg.replace('/', '+')}@{version}"
    if not (root / ".complete").exists():
        base = pkg.split("/")[-1]
        tarball = _get(f"{REGISTRY}/{pkg}/-/{base}-{version}.tgz")
        tmp = Path(tempfile.mkdtemp(dir=CACHE))
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.startswith("package/"):
                    data = archive.extractfile(member)
                    target = tmp / member.name[len("package/") :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data.read() if data else b"")
        (tmp / ".complete").write_text(version)
        if root.exists():
            shutil.rmtree(tmp)
        else:
            root.parent.mkdir(parents=True, exist_ok=True)
            tmp.rename(root)
    path = root / file
    if not path.is_file():
        raise FileNotFoundError(f"{pkg}@{version} has no {file}")
    return path


def links_out(src: Path) -> list[str]:
    """The symlinks of ``src`` (relative, POSIX) that lead out of it."""
    found = []
    for link in sorted(p for p in src.rglob("*") if p.is_symlink()):
        if not (link.parent / os.readlink(link)).resolve().is_relative_to(src.resolve()):
            found.append(link.relative_to(src).as_posix())
    return found


def _relink_outside(src: Path, dest: Path, linked: Path) -> None:
    """A symlink of ``src`` that leads out of it (``shared -> ../shared``) would dangle in a
    copy: its target is copied to ``linked`` and the copy's link points there by absolute
    path, so it still resolves after the peer script copies the project again."""
    for link in sorted(p for p in src.rglob("*") if p.is_symlink()):
        target = (link.parent / os.readlink(link)).resolve()
        if target.is_relative_to(src.resolve()) or not target.exists():
            continue
        copy = linked / link.relative_to(src)
        if copy.exists() or copy.is_symlink():
            shutil.rmtree(copy) if copy.is_dir() else copy.unlink()
        copy.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            shutil.copytree(target, copy)
        else:
            shutil.copyfile(target, copy)
        mirror = dest / link.relative_to(src)
        mirror.unlink()
        mirror.symlink_to(copy.resolve())


def scratch_copy(fixture: Fixture, work: Path) -> Path:
    """The fixture's src/ copied to ``work``, its CDN URLs pointing at npm files in it."""
    dest = work / fixture.name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(fixture.folder / "src", dest, symlinks=True)
    _relink_outside(fixture.folder / "src", dest, work / "_linked" / fixture.name)
    if not fixture.cdn:
        return dest
    local: dict[str, str] = {}
    for url, (pkg, ver, file) in fixture.cdn.items():
        if "cdnjs.cloudflare.com" in url:
            file = _CDNJS_DIR.get(pkg, "") + file
        source = npm_file(pkg, ver, file)
        rel = Path("_npm") / f"{pkg.replace('/', '+')}@{ver}" / file
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest / rel)
        local[url] = rel.as_posix()
    for path in _files(dest):
        if path.suffix.lower() not in TEXT_SUFFIXES or "_npm" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        new = text
        for url, rel in local.items():
            if url in new:
                new = new.replace(url, os.path.relpath(dest / rel, path.parent))
        if new != text:
            path.write_text(new, encoding="utf-8", errors="surrogateescape")
    return dest


# --------------------------------------------------------------------------- rendering


def _render_flags(meta: dict) -> tuple[list[str], str]:
    config = meta.get("renderConfig") or {}
    fmt = config.get("format", "mp4")
    flags = ["--fps", str(config.get("fps", 30)), "--quality", "high", "--format", fmt]
    if config.get("variables"):
        flags += ["--variables", json.dumps(config["variables"])]
    return flags, fmt


def _digest(folder: Path, extra: str) -> str:
    h = hashlib.sha256(extra.encode())
    for path in _files(folder):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for link in sorted(p for p in folder.rglob("*") if p.is_symlink() and p.is_dir()):
        h.update(f"{link.relative_to(folder).as_posix()} -> {_digest(link.resolve(), '')}".encode())
    return h.hexdigest()[:16]


def render_peer(fixture: Fixture, project: Path, log: Path) -> tuple[Path | None, str]:
    flags, fmt = _render_flags(fixture.meta)
    workers = str((fixture.meta.get("renderConfig") or {}).get("workers", 1))
    flags += ["--workers", workers, "--no-browser-gpu"]
    key = _digest(project, " ".join(flags) + " hyperframes@0.8.170")
    cached = CACHE / "peer" / f"{fixture.name}-{key}.{fmt}"
    if cached.exists():
        return cached, "cached"
    cached.parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_name(cached.stem + ".partial." + fmt)
    env = {**os.environ, "PEER_ISOLATED_HOME": "1", "PEER_LOG": str(log)}
    script = SHARED / "bench" / "peer-render.sh"
    proc = subprocess.run(
        ["bash", str(script), str(project), str(partial), *flags],
        env=env, capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip
    if proc.returncode != 0 or not partial.exists():
        tail = log.read_text(errors="replace")[-400:] if log.exists() else proc.stderr[-400:]
        return None, "peer failed: " + " ".join(tail.split())[-300:]
    partial.rename(cached)
    return cached, "rendered"


def render_ours(fixture: Fixture, project: Path, out: Path) -> str | None:
    flags, _ = _render_flags(fixture.meta)
    if links_out(fixture.folder / "src"):
        flags.append("--follow-outside-links")  # HyperFrames follows them; ours on a grant
    # The peer runs offline here: no Google Fonts, so HyperFrames embeds only its static
    # faces and the page's Google Fonts stylesheets fail. Ours renders under the same font
    # conditions (render/fonts/faces.py, HYPERFRAMES_HF_OFFLINE_FONTS).
    # A full-frame software-WebGL shader (spanish-empire) can take over 15 s a frame on a
    # loaded 2-core machine: the runner waits longer than a render does by default.
    env = {**os.environ, "HYPERFRAMES_HF_OFFLINE_FONTS": "1", "HYPERFRAMES_FRAME_TIMEOUT_S": "120"}
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o", str(out),
         *flags],
        capture_output=True, text=True, timeout=1800, check=False, cwd=str(REPO), env=env,
    )  # fmt: skip
    if proc.returncode != 0:
        return "ours failed: " + " ".join((proc.stderr or proc.stdout).split())[-300:]
    return None


# --------------------------------------------------------------------------- comparison


def _probe(path: Path) -> tuple[int, float]:
    """(decoded frame count, video stream duration in seconds)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
         "-show_entries", "stream=nb_read_frames,duration", "-of", "json", str(path)],
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout  # fmt: skip
    stream = json.loads(out)["streams"][0]
    return int(stream.get("nb_read_frames", 0)), float(stream.get("duration") or 0)


def psnr_at_frames(ours: Path, peer: Path, frames: list[int]) -> dict[int, float]:
    wanted = sorted(set(frames))
    select = "+".join(f"eq(n\\,{f})" for f in wanted)
    with tempfile.TemporaryDirectory() as tmp:
        stats = Path(tmp) / "psnr.log"

        def stream(i: int, label: str) -> str:
            return f"[{i}:v]select='{select}',settb=1/1,setpts=N[{label}]"

        psnr = f"[a][b]psnr=shortest=1:repeatlast=0:stats_file={stats}"
        graph = f"{stream(0, 'a')};{stream(1, 'b')};{psnr}"
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(ours), "-i", str(peer),
             "-filter_complex", graph, "-f", "null", "-"],
            check=True, capture_output=True, timeout=1800,
        )  # fmt: skip
        values = []
        for line in stats.read_text().splitlines():
            match = re.search(r"(?:^|\s)psnr_avg:(\S+)", line)
            if match:
                raw = match.group(1).lower()
                values.append(float("inf") if raw == "inf" else float(raw))
    if len(values) != len(wanted):
        raise RuntimeError(f"PSNR for {len(values)} of {len(wanted)} frames")
    return dict(zip(wanted, values, strict=True))


def compare(fixture: Fixture, ours: Path, peer: Path) -> Outcome:
    fps = float(Fraction(str((fixture.meta.get("renderConfig") or {}).get("fps", 30))))
    ours_n, ours_d = _probe(ours)
    peer_n, peer_d = _probe(peer)
    sample = max(0.0, min(ours_d, peer_d) - 1 / fps)
    times = [sample * i / 100 for i in range(100)]
    frames = [max(0, round(t * fps)) for t in times]
    by_frame = psnr_at_frames(ours, peer, frames)
    floor = float(fixture.meta["minPsnr"])
    values = [by_frame[f] for f in frames]
    failed = sum(v < floor for v in values)
    allowed = int(fixture.meta.get("maxFrameFailures", 0))
    ok = failed <= allowed and ours_n == peer_n
    detail = f"{failed}/100 below {floor:g} dB (allowed {allowed})"
    if ours_n != peer_n:
        detail += f"; frame counts differ ({ours_n} vs {peer_n})"
    return Outcome(fixture.name, "pass" if ok else "FAIL", detail, ours_n, peer_n, failed,
                   min(values))  # fmt: skip


# --------------------------------------------------------------------------- report


def table(outcomes: list[Outcome], prefetch: bool) -> str:
    usable = [o for o in outcomes if o.status != "skip"]
    peer_failed = sum(o.status == "peer failed" for o in usable)
    passed = sum(o.status == "pass" for o in usable)
    lines = [
        SECTION,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on this machine (2 cores, no "
        "GPU): ours vs HyperFrames CLI 0.8.170 (`--quality high --no-browser-gpu`), both "
        "at the fixture's renderConfig. "
        + (
            "CDN scripts/styles were pre-fetched from the npm registry into the scratch copy "
            "both renderers got (`--prefetch-cdn`, until the resource resolver lands). "
            if prefetch
            else ""
        )
        + "Google Fonts links stay as written: the peer cannot reach them here, so ours "
        "renders under the same font conditions (`HYPERFRAMES_HF_OFFLINE_FONTS=1`: only the "
        "static faces HyperFrames embeds, Google Fonts unanswered). Symlinks leading out of a "
        "fixture's `src/` point at a copy of their target, so both renderers can follow them; "
        "HyperFrames follows them, ours only with the user's grant, so ours renders such a "
        "fixture with `--follow-outside-links` (its row says so).",
        "",
        f"**{passed} of {len(usable)} usable fixtures pass** at HyperFrames' own thresholds "
        f"(+ equal frame counts); the peer itself failed {peer_failed} of them; "
        f"{len(outcomes) - len(usable)} fixtures skipped.",
        "",
        "| fixture | result | frames ours / peer | min PSNR | detail |",
        "|---|---|---|---|---|",
    ]
    order = {"FAIL": 0, "error": 1, "peer failed": 2, "pass": 3, "skip": 4}
    for o in sorted(outcomes, key=lambda o: (order[o.status], o.name)):
        if o.row is not None:
            lines.append(o.row)
            continue
        frames = "" if o.ours_frames is None else f"{o.ours_frames} / {o.peer_frames or '—'}"
        low = "" if o.min_psnr is None else f"{o.min_psnr:.1f}".replace("inf", "inf")
        lines.append(f"| {o.name} | {o.status} | {frames} | {low} | {o.detail} |")
    return "\n".join(lines) + "\n"


def earlier_rows(ran: set[str]) -> list[Outcome]:
    """The rows of the table in bench/RESULTS.md for fixtures this run did not render, so an
    ``--only`` run updates its own rows and keeps the others."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start = current.find(SECTION)
    if start == -1:
        return []
    end = current.find("\n## ", start + len(SECTION))
    kept = []
    for line in current[start : end if end != -1 else None].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not line.startswith("| ") or cells[0] in ("fixture", "---"):
            continue
        if cells[0] in ran or cells[1] not in ("pass", "FAIL", "skip", "error", "peer failed"):
            continue
        kept.append(Outcome(cells[0], cells[1], cells[4], row=line))
    return kept


def write_results(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    start = current.find(SECTION)
    if start == -1:
        new = current.rstrip("\n") + "\n\n" + text
    else:
        end = current.find("\n## ", start + len(SECTION))
        new = current[:start] + text + (current[end + 1 :] if end != -1 else "")
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a checkout of HyperFrames' repository")
    parser.add_argument("--only", help="comma-separated fixture names")
    parser.add_argument(
        "--prefetch-cdn",
        action="store_true",
        help="fetch CDN scripts from the npm registry into the scratch copy",
    )
    parser.add_argument(
        "--peer-only",
        action="store_true",
        help="only render (and cache) the peer's goldens; start this early, it is slow",
    )
    parser.add_argument(
        "--write-results",
        action="store_true",
        help="replace this script's section of bench/RESULTS.md",
    )
    args = parser.parse_args(argv)
    tests = args.checkout / "packages" / "producer" / "tests"
    if not tests.is_dir():
        print(f"{tests} does not exist: give a checkout of HyperFrames' repo", file=sys.stderr)
        return 2
    only = set(args.only.split(",")) if args.only else None
    folders = sorted(p.parent for p in tests.glob("*/meta.json"))
    outcomes: list[Outcome] = []
    work = CACHE / "work"
    out_dir = CACHE / "ours"
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        if only and folder.name not in only:
            continue
        fixture = classify(folder, args.prefetch_cdn)
        if fixture.skip:
            outcomes.append(Outcome(fixture.name, "skip", fixture.skip))
            print(f"{fixture.name}: skip ({fixture.skip})", flush=True)
            continue
        try:
            project = scratch_copy(fixture, work)
            _, fmt = _render_flags(fixture.meta)
            peer, how = render_peer(fixture, project, CACHE / "logs" / f"{fixture.name}.log")
            if args.peer_only:
                outcomes.append(Outcome(fixture.name, "pass" if peer else "peer failed", how))
                print(f"{fixture.name}: peer {how}", flush=True)
                continue
            ours = out_dir / f"{fixture.name}.{fmt}"
            ours.unlink(missing_ok=True)
            t0 = time.monotonic()
            failure = render_ours(fixture, project, ours)
            if peer is None:  # nothing to compare with: say what ours did
                frames = None if failure else _probe(ours)[0]
                said = failure or f"ours rendered {frames} frames"
                outcomes.append(Outcome(fixture.name, "peer failed", f"{how}; {said}", frames))
            elif failure:
                outcomes.append(Outcome(fixture.name, "FAIL", failure))
            else:
                outcome = compare(fixture, ours, peer)
                outcome.detail += f"; ours {time.monotonic() - t0:.0f} s, peer {how}"
                if links := links_out(fixture.folder / "src"):
                    outcome.detail += (
                        f"; ours with --follow-outside-links (links out of src/: "
                        f"{', '.join(links)})"
                    )
                outcomes.append(outcome)
        except Exception as exc:  # one fixture's trouble must not stop the run
            outcomes.append(Outcome(fixture.name, "error", f"{type(exc).__name__}: {exc}"[:300]))
        last = outcomes[-1]
        print(f"{last.name}: {last.status} ({last.detail})", flush=True)
    if only and args.write_results:
        outcomes += earlier_rows({o.name for o in outcomes})
    report = table(outcomes, args.prefetch_cdn)
    print(report)
    if args.write_results:
        write_results(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
