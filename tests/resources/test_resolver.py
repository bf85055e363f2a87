"""The resolver against the fake npm registry (real tarballs on 127.0.0.1)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hyperframes_desktop.render.resources import Answer, Refusal, RefusalKind, Resolver
from hyperframes_desktop.render.resources.settings import ResolverSettings

GSAP = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"


def make_resolver(registry_url: str, cache: Path, **changes) -> Resolver:
    return Resolver(ResolverSettings(registry=registry_url, cache_dir=cache, **changes))


@pytest.fixture
def resolver(npm_registry, tmp_path: Path) -> Resolver:
    return make_resolver(npm_registry.url, tmp_path / "cache")


def test_exact_version_file_is_the_packages_file(resolver: Resolver) -> None:
    answer = resolver.resolve(GSAP)
    assert isinstance(answer, Answer), answer
    assert b"GSAP 3.14.2" in answer.body[:400]
    assert answer.content_type == "text/javascript"
    assert answer.npm_file == "gsap@3.14.2/dist/gsap.min.js"
    assert any(url.endswith("gsap-3.14.2.tgz") for url in resolver.fetched)


def test_a_range_gives_the_highest_published_match(resolver: Resolver) -> None:
    answer = resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js")
    assert isinstance(answer, Answer) and answer.npm_file.startswith("gsap@3.14.2/")
    older = resolver.resolve("https://unpkg.com/gsap@~3.12.0/dist/gsap.min.js")
    assert isinstance(older, Answer) and b"GSAP 3.12.5" in older.body[:400]


def test_a_dist_tag_and_no_version_give_latest(npm_registry, resolver: Resolver) -> None:
    npm_registry.set_tag("gsap", "legacy", "3.12.5")
    tagged = resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@legacy/dist/gsap.min.js")
    assert isinstance(tagged, Answer) and tagged.npm_file.startswith("gsap@3.12.5/")
    latest = resolver.resolve("https://cdn.jsdelivr.net/npm/gsap/dist/gsap.min.js")
    assert isinstance(latest, Answer) and latest.npm_file.startswith("gsap@3.14.2/")


def test_no_path_gives_the_cdns_default_file(resolver: Resolver) -> None:
    d3 = resolver.resolve("https://cdn.jsdelivr.net/npm/d3@7")
    assert isinstance(d3, Answer) and d3.npm_file == "d3@7.9.0/dist/d3.min.js"
    topo = resolver.resolve("https://unpkg.com/topojson-client@3.1.0")
    assert isinstance(topo, Answer) and topo.npm_file.startswith("topojson-client@3.1.0/dist/")


def test_scoped_package(resolver: Resolver) -> None:
    url = "https://cdn.jsdelivr.net/npm/@fontsource/bebas-neue@5/files/bebas-neue-latin-400-normal.woff2"
    answer = resolver.resolve(url)
    assert isinstance(answer, Answer), answer
    assert answer.body[:4] == b"wOF2" and answer.content_type == "font/woff2"


def test_cdnjs_maps_to_the_npm_file_and_checks_integrity(resolver: Resolver) -> None:
    url = "https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.5/gsap.min.js"
    answer = resolver.resolve(url)
    assert isinstance(answer, Answer) and answer.npm_file == "gsap@3.12.5/dist/gsap.min.js"
    import base64
    import hashlib

    good = "sha384-" + base64.b64encode(hashlib.sha384(answer.body).digest()).decode()
    assert isinstance(resolver.resolve(url, integrity=good), Answer)
    wrong = resolver.resolve(url, integrity="sha384-" + "A" * 64)
    assert isinstance(wrong, Refusal) and wrong.kind is RefusalKind.INTEGRITY
    assert "integrity=" in wrong.message


def test_fetched_data_files_resolve_for_dynamic_requests(resolver: Resolver) -> None:
    url = "https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json"
    answer = resolver.resolve(url, dynamic=True)
    assert isinstance(answer, Answer) and answer.content_type == "application/json"
    assert answer.body.startswith(b'{"type":"Topology"')


def test_integrity_mismatch_is_refused_and_nothing_cached(npm_registry, tmp_path: Path) -> None:
    resolver = make_resolver(npm_registry.url, tmp_path / "cache")
    with npm_registry.misbehaving(bad_integrity={"gsap@3.14.2"}):
        refusal = resolver.resolve(GSAP)
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.INTEGRITY
    assert "gsap@3.14.2" in refusal.message and "nothing was cached" in refusal.message
    assert not list((tmp_path / "cache").rglob("blobs/*/*"))
    assert not resolver.is_cached(GSAP)


def test_a_hanging_registry_fails_within_the_timeout(npm_registry, tmp_path: Path) -> None:
    resolver = make_resolver(npm_registry.url, tmp_path / "cache", timeout_s=1.0)
    started = time.monotonic()
    with npm_registry.misbehaving(hang={"gsap"}):
        refusal = resolver.resolve(GSAP)
    assert time.monotonic() - started < 5
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.FAILED
    assert "did not finish within 1 s" in refusal.message and "gsap" in refusal.message


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("https://cdn.jsdelivr.net/npm/no-such-package-hf@1/x.js", '"no-such-package-hf"'),
        ("https://cdn.jsdelivr.net/npm/gsap@9.9.9/dist/gsap.min.js", 'matching "9.9.9"'),
        ("https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/nope.js", '"dist/nope.js"'),
    ],
)
def test_unknown_package_version_or_file_is_a_sentence(resolver: Resolver, url, named) -> None:
    refusal = resolver.resolve(url)
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.MISSING
    assert named in refusal.message and "Fix:" in refusal.message


def test_offline_answers_from_the_cache_only(npm_registry, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = make_resolver(npm_registry.url, cache, offline=True)
    refusal = cold.resolve(GSAP)
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.OFFLINE
    assert "gsap@3.14.2" in refusal.message and cold.fetched == []
    assert isinstance(make_resolver(npm_registry.url, cache).resolve(GSAP), Answer)
    before = len(npm_registry.requests())
    warm = make_resolver("http://127.0.0.1:9", cache, offline=True)
    answer = warm.resolve(GSAP)
    assert isinstance(answer, Answer) and warm.is_cached(GSAP)
    assert warm.fetched == [] and len(npm_registry.requests()) == before


def test_a_range_stays_on_the_version_first_resolved(npm_registry, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    url = "https://cdn.jsdelivr.net/npm/d3@7"
    assert isinstance(make_resolver(npm_registry.url, cache).resolve(url), Answer)
    again = make_resolver(npm_registry.url, cache)
    assert isinstance(again.resolve(url), Answer) and again.fetched == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/steal",
        "https://localhost/x.png",
        "https://192.168.1.10/x.png",
        "http://cdn.example.com/lib.js",
        "https://[::1]/x.js",
        "ftp://example.com/x",
    ],
)
def test_everything_else_is_blocked(resolver: Resolver, url: str) -> None:
    refusal = resolver.resolve(url)
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.BLOCKED
    assert url in refusal.message and resolver.fetched == []


def test_dynamic_requests_to_other_hosts_are_blocked(resolver: Resolver) -> None:
    refusal = resolver.resolve("https://api.example.com/data.json", dynamic=True)
    assert isinstance(refusal, Refusal) and refusal.kind is RefusalKind.BLOCKED
    assert "https://api.example.com/data.json" in refusal.message and resolver.fetched == []


def test_static_https_is_fetched_through_the_test_override(tmp_path: Path) -> None:
    from support.static_server import serve_folder

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "pic.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with serve_folder(tmp_path / "site") as origin:
        resolver = Resolver(
            ResolverSettings(
                cache_dir=tmp_path / "cache",
                overrides=(("https://media.example.com", origin),),
            )
        )
        answer = resolver.resolve("https://media.example.com/pic.svg")
    assert isinstance(answer, Answer) and answer.body.startswith(b"<svg")
    assert resolver.fetched == ["https://media.example.com/pic.svg"]
    offline = Resolver(ResolverSettings(cache_dir=tmp_path / "cache", offline=True))
    assert isinstance(offline.resolve("https://media.example.com/pic.svg"), Answer)


def test_registry_is_the_one_npm_uses(tmp_path: Path) -> None:
    from hyperframes_desktop.render.resources.settings import DEFAULT_REGISTRY, npm_registry

    npmrc = tmp_path / "npmrc"
    npmrc.write_text("//registry.corp/:_authToken=secret\nregistry=https://registry.corp/\n")
    assert npm_registry({"NPM_CONFIG_USERCONFIG": str(npmrc)}) == "https://registry.corp"
    env = {"npm_config_registry": "https://mirror.example/", "NPM_CONFIG_USERCONFIG": str(npmrc)}
    assert npm_registry(env) == "https://mirror.example"
    empty = {"NPM_CONFIG_USERCONFIG": str(tmp_path / "none")}
    assert npm_registry(empty) == DEFAULT_REGISTRY
