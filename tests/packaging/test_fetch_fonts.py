"""scripts/fetch_fonts.py against a loopback registry: packument + tarball + integrity.

The registry is a ThreadingHTTPServer on 127.0.0.1 started and stopped here; the package is
a small tarball built in the test (the real ones are exercised by bootstrap and the font
tests)."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE, VERSION = "@fontsource/probe-sans", "1.0.0"


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "fetch_fonts", REPO / "scripts" / "fetch_fonts.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


fetch_fonts = _load_script()


def _tarball() -> bytes:
    metadata = {
        "id": "probe-sans",
        "family": "Probe Sans",
        "subsets": ["latin", "latin-ext", "greek"],
        "weights": [300, 400, 700],
        "styles": ["normal", "italic"],
    }
    files = {
        "package/package.json": json.dumps({"name": PACKAGE, "version": VERSION}),
        "package/LICENSE": "SIL OPEN FONT LICENSE Version 1.1",
        "package/metadata.json": json.dumps(metadata),
        "package/unicode.json": json.dumps({"latin": "U+0000-00FF"}),
        "package/README.md": "not kept",
    }
    for weight in (300, 400, 700):
        for style in ("normal", "italic"):
            for subset in ("latin", "latin-ext", "greek"):
                name = f"package/files/probe-sans-{subset}-{weight}-{style}.woff2"
                files[name] = f"wOF2 {subset} {weight} {style}"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class Registry:
    def __init__(self, tarball: bytes, served: bytes) -> None:
        self.tarball, self.served, self.requests = tarball, served, []


@pytest.fixture
def registry() -> Iterator[tuple[str, Registry]]:
    good = _tarball()
    state = Registry(good, good)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            if unquote(self.path) == "/@fontsource/probe-sans":
                dist = {
                    "tarball": f"{host}/probe.tgz",
                    "integrity": _integrity(state.tarball),
                }
                body = json.dumps({"versions": {VERSION: {"dist": dist}}}).encode()
            elif self.path == "/probe.tgz":
                body = state.served
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _lock(tmp_path: Path, integrity: str) -> dict:
    return {
        "weights": [400, 700, 900],
        "subsets": ["latin", "latin-ext"],
        "packages": [{"package": PACKAGE, "version": VERSION, "integrity": integrity}],
    }


def test_extracts_the_weights_and_subsets_asked_for_and_is_idempotent(
    registry: tuple[str, Registry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, state = registry
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", url)
    assert fetch_fonts.registry_url() == url
    lock_file = tmp_path / "bundled.json"
    lock_file.write_text(json.dumps(_lock(tmp_path, _integrity(state.tarball))))
    monkeypatch.setattr(fetch_fonts, "LOCK", lock_file)
    dest = tmp_path / "npm"
    assert fetch_fonts.fetch_all(dest, quiet=True) == 1
    root = dest / PACKAGE
    kept = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert kept == sorted(
        [
            "LICENSE",
            "integrity.txt",
            "metadata.json",
            "package.json",
            "unicode.json",
            *(
                f"files/probe-sans-{subset}-{weight}-{style}.woff2"
                for weight in (400, 700)  # 900 does not exist, 300 not asked for
                for style in ("normal", "italic")
                for subset in ("latin", "latin-ext")  # greek not asked for
            ),
        ]
    )
    asked = len(state.requests)
    assert fetch_fonts.fetch_all(dest, quiet=True) == 0
    assert len(state.requests) == asked, "a second run must not touch the network"


def test_a_tarball_that_does_not_match_its_integrity_is_refused(
    registry: tuple[str, Registry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, state = registry
    state.served = state.tarball[:-10] + b"0123456789"
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", url)
    lock_file = tmp_path / "bundled.json"
    lock_file.write_text(json.dumps(_lock(tmp_path, _integrity(state.tarball))))
    monkeypatch.setattr(fetch_fonts, "LOCK", lock_file)
    dest = tmp_path / "npm"
    with pytest.raises(fetch_fonts.FetchError, match=r"@fontsource/probe-sans.*integrity"):
        fetch_fonts.fetch_all(dest, quiet=True)
    assert not (dest / PACKAGE).exists()
    assert [p.name for p in dest.iterdir()] == [], "no partial folder left"


def test_a_registry_whose_integrity_differs_from_the_pin_is_refused(
    registry: tuple[str, Registry], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _state = registry
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", url)
    lock_file = tmp_path / "bundled.json"
    lock_file.write_text(json.dumps(_lock(tmp_path, "sha512-" + "A" * 86 + "==")))
    monkeypatch.setattr(fetch_fonts, "LOCK", lock_file)
    with pytest.raises(fetch_fonts.FetchError, match="differs from the pinned"):
        fetch_fonts.fetch_all(tmp_path / "npm", quiet=True)


def test_the_pinned_list_covers_the_18_families(tmp_path: Path) -> None:
    lock = json.loads((REPO / "resources" / "fonts" / "bundled.json").read_text())
    names = {entry["package"] for entry in lock["packages"]}
    from hyperframes_desktop.project.font_families import BUNDLED_FAMILIES

    assert {f"@fontsource/{slug}" for slug in BUNDLED_FAMILIES.values()} <= names
    assert all(entry["integrity"].startswith("sha512-") for entry in lock["packages"])
