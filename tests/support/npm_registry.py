"""A fake npm registry on 127.0.0.1 for tests, serving REAL package tarballs.

It speaks the part of the registry protocol the resolver (and npm) use: ``GET /<name>``
answers the packument (``versions[v].dist.{tarball,integrity,shasum}`` and ``dist-tags``),
``GET /<name>/-/<file>.tgz`` the tarball. Tarballs are the real ones from
https://registry.npmjs.org, downloaded ONCE into the repository's git-ignored
``.cache/npm/`` by the test set-up (never committed).

Use (the session fixture ``npm_registry`` in tests/conftest.py does this for you)::

    registry = FakeNpmRegistry.start(state_dir)   # its own detached process; .pid, .url
    registry.add_real("gsap", "3.14.2")            # download once, then serve it
    with registry.misbehaving(bad_integrity={"gsap@3.14.2"}, hang={"d3"}):
        ...                                        # packument lies / never answers
    registry.stop()                                # by pid

Point the resolver at it with ``NPM_CONFIG_REGISTRY=registry.url``. ``registry.requests()``
lists the paths asked for so far (to check that a warm cache asks nothing).

The server runs as ``python npm_registry.py serve STATE_DIR``; its configuration is
``STATE_DIR/config.json`` (re-read on every request), written atomically by the handle.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TARBALL_CACHE = REPO_ROOT / ".cache" / "npm"
PUBLIC_REGISTRY = "https://registry.npmjs.org"

#: Packages the shared session fixture serves (each downloaded once, a few MB in all).
DEFAULT_PACKAGES = (
    ("gsap", "3.14.2"),
    ("gsap", "3.12.5"),
    ("d3", "7.9.0"),
    ("topojson-client", "3.1.0"),
    ("us-atlas", "3.0.1"),
    ("@fontsource/bebas-neue", "5.2.7"),
    ("@fontsource/anton", "5.3.0"),
)


def tarball_name(name: str, version: str) -> str:
    return f"{name.rsplit('/', 1)[-1]}-{version}.tgz"


def real_tarball(name: str, version: str) -> Path:
    """The registry's tarball of ``name@version`` in ``.cache/npm/`` (downloaded if missing)."""
    target = TARBALL_CACHE / name / tarball_name(name, version)
    if target.is_file():
        return target
    url = f"{PUBLIC_REGISTRY}/{name}/-/{tarball_name(name, version)}"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as exc:
        raise RuntimeError(f"cannot download {url} ({exc}); the tests need it once") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return target


def _write_json(path: Path, data: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


class FakeNpmRegistry:
    """Handle of a running fake registry process."""

    def __init__(self, state_dir: Path, pid: int, url: str) -> None:
        self.state_dir = state_dir
        self.pid = pid
        self.url = url
        self._config: dict = {"packages": {}, "bad_integrity": [], "hang": [], "tags": {}}
        self._save()

    @classmethod
    def start(cls, state_dir: Path) -> FakeNpmRegistry:
        """Start the server detached (not a child of this process, so tests that look for
        leftover children of a render do not find it); it writes its pid and port."""
        state_dir.mkdir(parents=True, exist_ok=True)
        _write_json(state_dir / "config.json", {"packages": {}})
        # not traceable to any one test either: no marker, no test's temp folder
        env = {k: v for k, v in os.environ.items() if k not in ("HF_TEST_MARKER", "TMPDIR")}
        launcher = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "launch", str(state_dir)],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        launcher.wait(timeout=20)
        port_file, pid_file = state_dir / "port", state_dir / "pid"
        deadline = time.monotonic() + 20
        while not (port_file.is_file() and pid_file.is_file()):
            if time.monotonic() > deadline:
                raise RuntimeError("the fake npm registry did not start")
            time.sleep(0.02)
        pid = int(pid_file.read_text())
        return cls(state_dir, pid, f"http://127.0.0.1:{port_file.read_text().strip()}")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    # ---- what it serves ----------------------------------------------------------------------
    def add_tarball(self, name: str, version: str, tarball: Path) -> None:
        self._config["packages"].setdefault(name, {})[version] = str(tarball)
        self._save()

    def add_real(self, name: str, version: str) -> None:
        self.add_tarball(name, version, real_tarball(name, version))

    def set_tag(self, name: str, tag: str, version: str) -> None:
        self._config["tags"].setdefault(name, {})[tag] = version
        self._save()

    @contextlib.contextmanager
    def misbehaving(
        self, *, bad_integrity: set[str] = frozenset(), hang: set[str] = frozenset()
    ) -> Iterator[None]:
        """``bad_integrity``: ``name@version`` whose packument gives a wrong sha512;
        ``hang``: package names whose packument and tarballs are never answered."""
        self._config["bad_integrity"] = sorted(bad_integrity)
        self._config["hang"] = sorted(hang)
        self._save()
        try:
            yield
        finally:
            self._config["bad_integrity"], self._config["hang"] = [], []
            self._save()

    def requests(self) -> list[str]:
        log = self.state_dir / "requests.log"
        return log.read_text(encoding="utf-8").splitlines() if log.is_file() else []

    def _save(self) -> None:
        _write_json(self.state_dir / "config.json", self._config)


# ---- the server process --------------------------------------------------------------------------
def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _serve(state_dir: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import unquote

    def config() -> dict:
        return json.loads((state_dir / "config.json").read_text(encoding="utf-8"))

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            with open(state_dir / "requests.log", "a", encoding="utf-8") as log:
                log.write(self.path + "\n")
            cfg = config()
            path = unquote(self.path.split("?", 1)[0]).lstrip("/")
            name, sep, file = path.partition("/-/")
            if name in cfg.get("hang", []):
                time.sleep(3600)
                return
            versions = cfg["packages"].get(name)
            if not versions:
                return self._send(404, b'{"error":"Not found"}', "application/json")
            if sep:
                for version, tarball in versions.items():
                    if file == tarball_name(name, version):
                        return self._send(200, Path(tarball).read_bytes(), "application/gzip")
                return self._send(404, b'{"error":"Not found"}', "application/json")
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            packument: dict = {"name": name, "versions": {}, "dist-tags": {}}
            for version, tarball in versions.items():
                data = Path(tarball).read_bytes()
                bad = f"{name}@{version}" in cfg.get("bad_integrity", [])
                packument["versions"][version] = {
                    "name": name,
                    "version": version,
                    "dist": {
                        "tarball": f"{host}/{name}/-/{tarball_name(name, version)}",
                        "integrity": _integrity(data + b"tampered" if bad else data),
                        "shasum": hashlib.sha1(data).hexdigest(),
                    },
                }
            latest = max(versions, key=lambda v: tuple(int(p) for p in v.split(".")[:3]))
            packument["dist-tags"] = {"latest": latest, **cfg.get("tags", {}).get(name, {})}
            self._send(200, json.dumps(packument).encode(), "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    (state_dir / "port.partial").write_text(str(server.server_address[1]))
    os.replace(state_dir / "port.partial", state_dir / "port")
    server.serve_forever()


def _launch(state_dir: Path) -> None:
    """Start the server as a grandchild, record its pid, and return at once."""
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "serve", str(state_dir)],
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (state_dir / "pid.partial").write_text(str(server.pid))
    os.replace(state_dir / "pid.partial", state_dir / "pid")


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "serve":
    _serve(Path(sys.argv[2]))
elif __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "launch":
    _launch(Path(sys.argv[2]))
