"""The installer end to end: build the bundle and the .deb, install it, use it, remove it.

Takes a few minutes and installs a system package (replacing, and in the end purging, any
installed hyperframes-desktop), so it runs only when asked:
``HYPERFRAMES_PACKAGING_TESTS=1 python -m pytest -m packaging`` as root on Debian/Ubuntu.
The build goes to build/packaging-test/ (not dist/, so a release build there is kept) with a
fake telemetry key and a host nobody listens on, to prove that build-time injection works.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
PKG = "hyperframes-desktop"
OPT = Path("/opt") / PKG
LAUNCHER = Path("/usr/bin") / PKG
RESOURCES = OPT / "_internal" / "hyperframes_desktop" / "resources"  # as in a wheel
FAKE_KEY = "phc_packagingTestKeyNotReal0123456789"
FAKE_HOST = "http://127.0.0.1:9"
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# Variables that would make the installed app behave differently from a user's machine.
_DROP_ENV = {
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "LD_LIBRARY_PATH",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "DO_NOT_TRACK",
    "HYPERFRAMES_NO_TELEMETRY",
    "HYPERFRAMES_POSTHOG_KEY",
    "HYPERFRAMES_POSTHOG_HOST",
    "HYPERFRAMES_TELEMETRY_DEV",
    "HYPERFRAMES_FFMPEG_PATH",
    "HYPERFRAMES_FFPROBE_PATH",
    "HYPERFRAMES_SCREENSHOT",
}

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(
        os.environ.get("HYPERFRAMES_PACKAGING_TESTS") != "1",
        reason="set HYPERFRAMES_PACKAGING_TESTS=1 to build and install the package (minutes)",
    ),
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or shutil.which("dpkg") is None,
        reason="the .deb needs Debian's dpkg",
    ),
    pytest.mark.skipif(
        hasattr(os, "geteuid") and os.geteuid() != 0, reason="installing a .deb needs root"
    ),
]


def _run(cmd, *, env=None, timeout=600, check=True, cwd=ROOT) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


def _installed() -> bool:
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PKG], capture_output=True, text=True, check=False
    )
    return "install ok installed" in proc.stdout


def _purge() -> None:
    subprocess.run(["dpkg", "--purge", PKG], capture_output=True, check=False)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """The user's XDG dirs for every run of the installed app (a config dir that the
    uninstall must leave alone lives here)."""
    base = tmp_path_factory.mktemp("installed-home")
    for sub in ("config", "data", "cache", "state"):
        (base / sub).mkdir()
    return base


@pytest.fixture(scope="module")
def app_env(home):
    def make(**extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update(
            PATH=SYSTEM_PATH,  # the installed launcher, not the venv's console script
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_STATE_HOME=str(home / "state"),
            QT_QPA_PLATFORM="offscreen",
            HYPERFRAMES_NO_TELEMETRY="1",
        )
        env.update(extra)
        return env

    return make


@pytest.fixture(scope="module")
def deb(tmp_path_factory) -> Path:
    """Build the bundle and the .deb (telemetry key and host injected) and install it."""
    out = ROOT / "build" / "packaging-test"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPERFRAMES_BUILD_")}
    env.update(
        HYPERFRAMES_BUILD_POSTHOG_KEY=FAKE_KEY,
        HYPERFRAMES_BUILD_POSTHOG_HOST=FAKE_HOST,
        HYPERFRAMES_DIST_DIR=str(out / "dist"),
        HYPERFRAMES_WORK_DIR=str(out / "work"),
        # zstd packs in seconds where xz takes minutes; the content is the same.
        HYPERFRAMES_DEB_COMPRESSION=os.environ.get("HYPERFRAMES_DEB_COMPRESSION", "zstd"),
    )
    if sys.prefix != sys.base_prefix:  # build with the environment running the tests
        env["HYPERFRAMES_BUILD_VENV"] = sys.prefix
    _run(["bash", ROOT / "packaging" / "build.sh"], env=env, timeout=1500)
    _run(["bash", ROOT / "packaging" / "build-deb.sh"], env=env, timeout=1500)
    debs = sorted((out / "dist").glob(f"{PKG}_*.deb"))
    assert len(debs) == 1, debs

    apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", str(debs[0])]
    if _run(install, env=apt_env, timeout=900, check=False).returncode != 0:
        _run(["apt-get", "update", "-q"], env=apt_env, timeout=600)  # dependencies to fetch
        _run(install, env=apt_env, timeout=900)
    assert _installed()
    yield debs[0]
    if _installed() or OPT.exists():
        _purge()


def _version_of(deb_path: Path) -> str:
    return _run(["dpkg-deb", "-f", deb_path, "Version"]).stdout.strip()


def test_package_metadata_and_files(deb):
    fields = _run(["dpkg-deb", "-f", deb, "Package", "Depends", "Architecture"]).stdout
    depends = {d.split()[0] for d in re.search(r"Depends: (.*)", fields).group(1).split(", ")}
    assert {"ffmpeg", "libnss3", "libxkbcommon0", "libgbm1", "libasound2"} <= depends
    files = _run(["dpkg", "-L", PKG]).stdout.splitlines()
    for needed in (
        f"/opt/{PKG}/{PKG}",
        f"/usr/bin/{PKG}",
        f"/usr/share/applications/{PKG}.desktop",
        f"/usr/share/icons/hicolor/48x48/apps/{PKG}.png",
        f"/usr/share/icons/hicolor/128x128/apps/{PKG}.png",
        f"/usr/share/icons/hicolor/256x256/apps/{PKG}.png",
        f"/usr/share/icons/hicolor/scalable/apps/{PKG}.svg",
    ):
        assert needed in files
    assert LAUNCHER.resolve() == (OPT / PKG)
    if shutil.which("desktop-file-validate"):
        _run(["desktop-file-validate", f"/usr/share/applications/{PKG}.desktop"])
    bundled = list(OPT.rglob("QtWebEngineProcess"))
    assert bundled and os.access(bundled[0], os.X_OK)
    assert (RESOURCES / "demo" / "index.html").is_file()


def test_every_bundled_binary_finds_its_libraries(deb):
    """What the bundle does not carry, the package's dependencies installed."""
    internal = OPT / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    missing = []
    for path in [OPT / PKG, *internal.rglob("*.so*")]:
        if path.is_symlink() or not path.is_file() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = _run(["ldd", path], env=env, check=False).stdout
        missing += [f"{path}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    assert not missing, "\n".join(missing)


def test_installed_launcher_reports_the_version(deb, app_env):
    out = _run([LAUNCHER, "--version"], env=app_env()).stdout.strip()
    assert out == f"{PKG} {_version_of(deb)}"


def test_installed_app_renders_the_bundled_demo(deb, app_env, tmp_path):
    output = tmp_path / "demo.mp4"
    demo = RESOURCES / "demo"
    _run([LAUNCHER, "render", demo, "-o", output, "--quality", "draft"], env=app_env(), timeout=600)
    probe_args = "-v error -select_streams v:0 -count_frames -of json -show_entries"
    fields = "stream=codec_name,nb_read_frames,width,height"
    probe = _run(["ffprobe", *probe_args.split(), fields, output], env=app_env())
    stream = json.loads(probe.stdout)["streams"][0]
    assert stream["codec_name"] == "h264"
    assert int(stream["nb_read_frames"]) == 120
    assert (stream["width"], stream["height"]) == (1280, 720)
    assert not list(demo.glob("renders")), "rendering must not write into the installed bundle"


def test_installed_app_is_a_render_farm(deb, app_env, tmp_path):
    """A farm from the .deb alone: farm-scheduler and two farm-worker (their Nanny spawns the
    worker process and chunks re-enter the frozen executable) render 40 frames of the demo;
    SIGTERM by process id stops them and leaves nothing running."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - lives with the process
        env = app_env(HYPERFRAMES_FARM_CACHE=str(tmp_path / f"cache-{name}"))
        proc = subprocess.Popen([str(LAUNCHER), *args], env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        procs.append(proc)
        return proc

    try:
        start("scheduler", "farm-scheduler", "--host", "127.0.0.1", "--port", str(port))
        for name in ("w1", "w2"):
            start(name, "farm-worker", address, "--name", name, "--host", "127.0.0.1")
        deadline = time.monotonic() + 120
        while not all(
            "Farm worker" in (tmp_path / f"{n}.log").read_text(errors="replace")
            for n in ("w1", "w2")
        ):
            assert all(p.poll() is None for p in procs), [
                (tmp_path / f"{n}.log").read_text(errors="replace") for n in ("w1", "w2")
            ]
            assert time.monotonic() < deadline, "the workers did not connect"
            time.sleep(0.2)
        output = tmp_path / "farm.mp4"
        _run([LAUNCHER, "render", RESOURCES / "demo", "-o", output, "--farm", address,
              "--frames", "0-39", "--chunk-frames", "10"], env=app_env(), timeout=600)  # fmt: skip
        count = "-v error -select_streams v:0 -count_frames -of csv=p=0 -show_entries"
        probe = _run(["ffprobe", *count.split(), "stream=nb_read_frames", output])
        assert int(probe.stdout.strip()) == 40
        families = {p.pid: [psutil.Process(p.pid), *psutil.Process(p.pid).children(True)]
                    for p in procs}  # fmt: skip
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
            _, alive = psutil.wait_procs(families[proc.pid], timeout=10)
            assert not [a for a in alive if a.status() != psutil.STATUS_ZOMBIE]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_frozen_app_gives_ffmpeg_the_original_library_path(deb, app_env, tmp_path):
    """The bundle's loader prepends its own folder to LD_LIBRARY_PATH; FFmpeg must get the
    user's value back (from LD_LIBRARY_PATH_ORIG), never the bundle's libraries."""
    seen = tmp_path / "ffmpeg-env.txt"
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "${{LD_LIBRARY_PATH-<unset>}}" >> "{seen}"\n'
        f'exec "{shutil.which("ffmpeg", path=SYSTEM_PATH)}" "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    env = app_env(LD_LIBRARY_PATH="/hf-user-libs", HYPERFRAMES_FFMPEG_PATH=str(wrapper))
    demo = RESOURCES / "demo"
    _run([LAUNCHER, "render", demo, "-o", tmp_path / "out.mp4", "--quality", "draft"], env=env)
    values = set(seen.read_text(encoding="utf-8").split())
    assert values == {"/hf-user-libs"}, values


def test_installed_studio_starts_offscreen_and_quits(deb, app_env, tmp_path):
    shot = tmp_path / "studio.png"
    proc = _run(
        ["timeout", "--kill-after=10", "240", LAUNCHER],
        env=app_env(HYPERFRAMES_SCREENSHOT=str(shot)),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", proc.stderr[-4000:]


def test_installed_doctor_finds_the_bundled_resources(deb, app_env):
    """The bundle finds its resources where a wheel has them (resource_paths), and the menu
    entry is the one in resources/."""
    report = json.loads(_run([LAUNCHER, "doctor", "--json"], env=app_env()).stdout)
    checks = {c["id"]: c for c in report["checks"]}
    assert report["ok"] is True, report["blocking"]
    assert checks["app"]["data"]["install"] == "bundle"
    assert Path(checks["fonts"]["data"]["folder"]) == RESOURCES / "fonts"
    assert checks["ffmpeg"]["data"]["source"] == "PATH"  # the system's, never imageio's
    installed_entry = Path(f"/usr/share/applications/{PKG}.desktop").read_bytes()
    assert installed_entry == (ROOT / "resources" / f"{PKG}.desktop").read_bytes()
    assert installed_entry == (RESOURCES / f"{PKG}.desktop").read_bytes()


def _frozen_build_config() -> dict[str, object]:
    """The telemetry build config compiled into the installed executable."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    archive = readers.CArchiveReader(str(OPT / PKG))
    pyz = archive.open_embedded_archive("PYZ.pyz")
    code = pyz.extract("hyperframes_desktop.telemetry.build_config")
    namespace: dict[str, object] = {}
    exec(code, namespace)
    return {k: v for k, v in namespace.items() if k.isupper()}


def test_installed_app_reports_the_injected_telemetry_build(deb, app_env):
    assert _frozen_build_config() == {
        "POSTHOG_KEY": FAKE_KEY,
        "POSTHOG_HOST": FAKE_HOST,
        "TELEMETRY_COMPILED_OUT": False,
    }
    env = app_env()
    del env["HYPERFRAMES_NO_TELEMETRY"]
    status = _run([LAUNCHER, "telemetry", "status"], env=env).stdout
    # A key is configured and this is no source checkout: only the notice is missing.
    assert "no analytics key" not in status and "unconfigured build" not in status, status
    assert "dev mode" not in status, status
    assert re.search(r"Telemetry:\s+off", status), status
    enabled = _run([LAUNCHER, "telemetry", "enable"], env=env).stdout
    assert re.search(r"Telemetry:\s+on", enabled), enabled
    status = _run([LAUNCHER, "telemetry", "status"], env=env).stdout
    assert re.search(r"Telemetry:\s+on", status), status


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_zz_uninstall_removes_the_bundle_and_keeps_user_config(deb, app_env, home):
    # The runs above created the user's config; give it something of the user's own too.
    config_dir = home / "config" / PKG
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "mine.txt").write_text("user data", encoding="utf-8")
    before = _snapshot(home / "config")
    assert (config_dir / "config.json").is_file()

    _run(["dpkg", "-r", PKG])
    assert not OPT.exists()
    assert not LAUNCHER.exists() and not LAUNCHER.is_symlink()
    assert not Path(f"/usr/share/applications/{PKG}.desktop").exists()
    assert not Path(f"/usr/share/icons/hicolor/256x256/apps/{PKG}.png").exists()
    _run(["dpkg", "--purge", PKG])
    assert not _installed()
    assert _snapshot(home / "config") == before
