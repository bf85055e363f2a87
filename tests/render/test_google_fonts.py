"""Google Fonts stylesheets answered from real @fontsource packages (render/fonts/google.py).

The packages are the registry's own tarballs, fetched once into the git-ignored .cache/; the
``NpmFiles`` the resolver would pass is played by one that reads them (tests/support).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.fontsource import TarballNpm, _members

from hyperframes_desktop.project.google_fonts import parse_google_fonts_url
from hyperframes_desktop.render.fonts import (
    bundled_font_file,
    google_fonts_css,
    is_google_fonts_url,
)
from hyperframes_desktop.render.resources.errors import RefusalKind
from hyperframes_desktop.render.resources.resolver import Resolver
from hyperframes_desktop.render.resources.settings import ResolverSettings

GF = "https://fonts.googleapis.com"
RULE = re.compile(r"@font-face \{([^}]*)\}")
URL = re.compile(
    r"^url\(https://cdn\.jsdelivr\.net/npm/(@fontsource/[a-z0-9-]+)@([0-9.]+)/(files/[^)]+)\) "
    r"format\('woff2'\)$"
)


def _rules(css: str) -> list[dict[str, str]]:
    out = []
    for body in RULE.findall(css):
        fields = {}
        for line in body.strip().splitlines():
            name, _, value = line.strip().rstrip(";").partition(":")
            fields[name.strip()] = value.strip()
        out.append(fields)
    return out


def _faces(css: str) -> set[tuple[str, str, str]]:
    return {(r["font-family"], r["font-style"], r["font-weight"]) for r in _rules(css)}


@pytest.fixture(scope="module")
def npm() -> TarballNpm:
    return TarballNpm()


def test_css2_weights_subsets_and_unicode_ranges_come_from_the_package(npm: TarballNpm) -> None:
    answer = google_fonts_css(f"{GF}/css2?family=Montserrat:wght@400;700&display=swap", npm)
    assert answer.missing_families == ()
    rules = _rules(answer.css)
    ranges = json.loads(_members("@fontsource/montserrat")["unicode.json"])
    assert len(rules) == 2 * len(ranges)  # every subset of each weight
    assert _faces(answer.css) == {
        ("'Montserrat'", "normal", "400"),
        ("'Montserrat'", "normal", "700"),
    }
    for rule in rules:
        package, version, path = URL.match(rule["src"]).groups()  # type: ignore[union-attr]
        assert npm.has(package, version, path), path
        subset = path.split("montserrat-", 1)[1].rsplit("-", 2)[0]
        assert rule["unicode-range"] == ranges[subset]
        assert rule["font-display"] == "block"  # whatever display= says: never a fallback
    # Google's order within a weight: latin last, so it wins where ranges overlap.
    names = re.findall(r"/\* montserrat-(\S+) \*/", answer.css)
    assert names[len(ranges) - 1] == "latin-400-normal" and names[-1] == "latin-700-normal"


def test_css2_italic_axis_ranges_and_several_families(npm: TarballNpm) -> None:
    url = (
        f"{GF}/css2?family=Montserrat:ital,wght@0,400;1,700&family=Lato:wght@100..400"
        "&family=Bebas+Neue&display=block"
    )
    answer = google_fonts_css(url, npm)
    assert answer.missing_families == ()
    assert _faces(answer.css) == {
        ("'Montserrat'", "normal", "400"),
        ("'Montserrat'", "italic", "700"),
        ("'Lato'", "normal", "100"),
        ("'Lato'", "normal", "300"),
        ("'Lato'", "normal", "400"),
        ("'Bebas Neue'", "normal", "400"),
    }


def test_the_older_css_api(npm: TarballNpm) -> None:
    url = f"{GF}/css?family=Lato:400,700i,bolditalic|Bebas+Neue&subset=latin,latin-ext"
    answer = google_fonts_css(url, npm)
    assert _faces(answer.css) == {
        ("'Lato'", "normal", "400"),
        ("'Lato'", "italic", "700"),
        ("'Bebas Neue'", "normal", "400"),
    }


def test_text_and_display_are_harmless(npm: TarballNpm) -> None:
    plain = google_fonts_css(f"{GF}/css2?family=Bebas+Neue", npm)
    with_text = google_fonts_css(
        f"{GF}/css2?family=Bebas+Neue&text=Hello%20World&display=swap", npm
    )
    assert plain == with_text and plain.css


def test_a_family_without_a_package_is_missing_and_the_rest_still_served(
    npm: TarballNpm,
) -> None:
    url = f"{GF}/css2?family=No+Such+Family:wght@400&family=Bebas+Neue&family=Lato:wght@950"
    answer = google_fonts_css(url, npm)
    # Lato has no 950: nothing to serve for it, so it falls back too.
    assert answer.missing_families == ("No Such Family", "Lato")
    assert _faces(answer.css) == {("'Bebas Neue'", "normal", "400")}
    assert ("resolve_version", "@fontsource/no-such-family", "latest") in npm.calls


class BundledOnly:
    """``NpmFiles`` with no registry at all: only the bundled copies."""

    def read(self, package: str, spec: str, path: str) -> bytes | None:
        found = bundled_font_file(package, spec, path)
        return found.read_bytes() if found else None

    def resolve_version(self, package: str, spec: str) -> str | None:
        return None


def test_a_bundled_family_is_answered_offline_from_the_bundled_files() -> None:
    answer = google_fonts_css(f"{GF}/css2?family=Montserrat:wght@400;700;900", BundledOnly())
    assert answer.missing_families == ()
    bundled = 0
    for rule in _rules(answer.css):
        package, version, path = URL.match(rule["src"]).groups()  # type: ignore[union-attr]
        if "-latin-" in path or "-latin-ext-" in path:
            assert bundled_font_file(package, version, path) is not None, path
            bundled += 1
    assert bundled == 6
    gone = google_fonts_css(f"{GF}/css2?family=Bebas+Neue", BundledOnly())
    assert gone.missing_families == ("Bebas Neue",) and gone.css == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{GF}/css2?family=Inter", True),
        (f"{GF}/css?family=Lato", True),
        ("http://fonts.googleapis.com/css2?family=Inter", True),
        ("//fonts.googleapis.com/css2?family=Inter", True),
        ("https://FONTS.GOOGLEAPIS.COM/css2?family=Inter", True),
        ("https://fonts.gstatic.com/s/inter/v1/x.woff2", False),
        ("https://fonts.googleapis.com/icon?family=Material+Icons", False),
        ("https://evil.example/fonts.googleapis.com/css2?family=Inter", False),
        ("https://fonts.googleapis.com.evil.example/css2?family=Inter", False),
        ("file:///fonts.googleapis.com/css2", False),
    ],
)
def test_is_google_fonts_url(url: str, expected: bool) -> None:
    assert is_google_fonts_url(url) is expected


def test_parse_keeps_family_names_and_entities() -> None:
    url = f"{GF}/css2?family=Open+Sans:wght@400&amp;family=IBM%20Plex%20Mono&display=swap"
    assert [r.family for r in parse_google_fonts_url(url)] == ["Open Sans", "IBM Plex Mono"]


def test_offline_hf_fonts_leave_google_fonts_unanswered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With HYPERFRAMES_HF_OFFLINE_FONTS (the conformance runner's mode), a Google Fonts
    stylesheet fails as it does for HyperFrames offline, even for a bundled family."""
    url = f"{GF}/css2?family=Montserrat:wght@400"
    settings = ResolverSettings(cache_dir=tmp_path / "cache", offline=True)
    monkeypatch.setenv("HYPERFRAMES_HF_OFFLINE_FONTS", "1")
    refused = Resolver(settings).resolve(url)
    assert getattr(refused, "kind", None) is RefusalKind.OFFLINE
    assert "HYPERFRAMES_HF_OFFLINE_FONTS" in refused.message
    monkeypatch.delenv("HYPERFRAMES_HF_OFFLINE_FONTS")
    assert b"Montserrat" in Resolver(settings).resolve(url).body
