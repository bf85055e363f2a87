"""Bundled fonts: the @font-face rules, the preload script, and what the capture worker paints.

The render checks drive the real capture worker on small compiled pages and read its raw BGRA
frames straight from the pipe (no encoder in between), so pixels can be compared exactly:
text in a mapped family ("DejaVu Sans", "Arial", "DejaVu Serif" …) must paint exactly like the
bundled font under its own name, and unlike the same family without the bundled fonts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from support import write_project

from hyperframes_desktop import resource_paths
from hyperframes_desktop.project import load_composition
from hyperframes_desktop.project.font_families import BUNDLED_FAMILIES, FAMILY_NAMES
from hyperframes_desktop.render import fonts, tools
from hyperframes_desktop.render.compile import CompiledPage, compile_page
from hyperframes_desktop.render.fonts import (
    BundledFontsMissing,
    bundled_font_file,
    bundled_fonts_dir,
    font_face_css,
    font_preload_js,
    mapped_families,
    packages,
    typefaces,
)
from hyperframes_desktop.render.fonts.generic import promote_generic_families
from hyperframes_desktop.render.processes import kill_tree
from hyperframes_desktop.render.worker.protocol import CaptureJob
from hyperframes_desktop.resource_paths import REINSTALL_FIX

RULE = re.compile(r"@font-face\{([^}]*)\}")
GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math"}


def _rules(css: str) -> list[dict[str, str]]:
    parsed = []
    for body in RULE.findall(css):
        fields = {}
        for decl in body.split(";"):
            name, _, value = decl.partition(":")
            fields[name.strip()] = value.strip()
        parsed.append(fields)
    return parsed


def _url_path(src: str) -> Path:
    match = re.fullmatch(r'url\("([^"]+)"\) format\("woff2"\)', src)
    assert match, src
    url = urlparse(match.group(1))
    assert url.scheme == "file"
    return Path(unquote(url.path))


# --------------------------------------------------------------------------- the CSS


def _faces_by_family(css: str) -> dict[str, list[dict[str, str]]]:
    by_family: dict[str, list[dict[str, str]]] = {}
    for rule in _rules(css):
        by_family.setdefault(rule["font-family"].strip('"'), []).append(rule)
    return by_family


def test_every_mapped_family_has_all_faces_with_existing_files() -> None:
    by_family = _faces_by_family(font_face_css())
    assert set(by_family) == set(FAMILY_NAMES)
    for family, rules in by_family.items():
        typeface = FAMILY_NAMES[family]
        faces = set()
        for rule in rules:
            path = _url_path(rule["src"])
            assert path.is_file(), path
            assert rule["font-display"] == "block"
            assert rule["unicode-range"].startswith("U+"), rule
            subset = "latin-ext" if "-latin-ext-" in path.name else "latin"
            faces.add((rule["font-weight"], rule["font-style"], subset))
            if path.parent.parent.parent.name == "@fontsource-variable":
                # the weights between HF's static ones, never a static weight
                assert typeface in ("Inter", "EB Garamond")
                assert rule["font-weight"] in {"100 300", "500 600", "800"}, rule
            else:
                assert path.parent.parent.name == BUNDLED_FAMILIES[typeface]
        subsets = {face[2] for face in faces}
        assert subsets == {"latin", "latin-ext"}, family
        weights = {face[0] for face in faces}
        if typeface not in ("Inter", "EB Garamond"):
            assert "400" in weights and weights <= {"400", "700", "900"}, (family, weights)
        else:
            assert {"400", "700"} <= weights, (family, weights)


def test_hyperframes_weights_and_italics_are_bundled() -> None:
    """The 18 families HF ships, at HF's weights (400/700/900 where the family has them),
    with italics where the family has one."""
    faces = typefaces()
    assert set(faces) == set(BUNDLED_FAMILIES)
    have = {
        family: {(f.weight[0], f.style) for f in package.faces} for family, package in faces.items()
    }
    for family in ("Montserrat", "Outfit", "Nunito", "Playfair Display", "Roboto", "Lato"):
        assert {400, 700, 900} <= {w for w, _ in have[family]}, family
    for family in ("Oswald", "Space Mono", "JetBrains Mono", "Source Code Pro", "Open Sans"):
        assert {400, 700} <= {w for w, _ in have[family]}, family
    assert (400, "italic") in have["Montserrat"] and (700, "italic") in have["Lato"]
    assert all(style == "normal" for _, style in have["Oswald"])  # no italic exists
    assert {(400, "italic"), (700, "italic")} <= have["EB Garamond"]


def test_mapped_families_names_the_bundled_typeface() -> None:
    families = mapped_families()
    assert families["DejaVu Sans"] == families["Arial"] == families["Helvetica"] == "Inter"
    assert families["DejaVu Serif"] == families["Times New Roman"] == "EB Garamond"
    assert families["Bebas Neue"] == "League Gothic"
    assert families["Courier New"] == "JetBrains Mono"
    assert families["Montserrat"] == "Montserrat"


def test_bundled_folder_carries_licences_and_readme() -> None:
    folder = bundled_fonts_dir()
    assert folder == Path(fonts.__file__).resolve().parents[3] / "resources" / "fonts"
    for package in packages():
        text = (package.folder / "LICENSE").read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE" in text.upper(), package.package
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for package in packages():
        assert package.package in readme and package.version in readme
    total = sum(p.stat().st_size for p in (folder / "npm").rglob("*.woff2"))
    assert total < 6_000_000


def test_bundled_font_file_serves_shipped_files_only() -> None:
    path = bundled_font_file("@fontsource/inter", None, "files/inter-latin-700-normal.woff2")
    assert path is not None and path.read_bytes()[:4] == b"wOF2"
    inter = next(p for p in packages() if p.package == "@fontsource/inter")
    assert bundled_font_file("@fontsource/inter", inter.version, "/metadata.json") is not None
    assert bundled_font_file("@fontsource/inter", "1.0.0", "metadata.json") is None
    greek = "files/inter-greek-400-normal.woff2"
    assert bundled_font_file("@fontsource/inter", None, greek) is None
    assert bundled_font_file("@fontsource/inter", None, "../montserrat/LICENSE") is None
    assert bundled_font_file("@fontsource/bebas-neue", None, "metadata.json") is None
    assert bundled_font_file("gsap", None, "package.json") is None
    variable = "files/inter-latin-wght-normal.woff2"
    assert bundled_font_file("@fontsource-variable/inter", None, variable) is not None


def _copy_fonts(dest: Path) -> Path:
    shutil.copytree(bundled_fonts_dir(), dest / "fonts")
    return dest


def test_resources_dir_argument_and_awkward_paths(tmp_path: Path) -> None:
    resources = _copy_fonts(tmp_path / 'odd "name" #1 50%')
    rules = _rules(font_face_css(resources))
    assert rules
    for rule in rules:
        path = _url_path(rule["src"])
        assert path.is_relative_to(resources / "fonts" / "npm")
        assert path.is_file()


def test_missing_files_are_a_clear_error(tmp_path: Path) -> None:
    resources = _copy_fonts(tmp_path / "res")
    shutil.rmtree(resources / "fonts" / "npm" / "@fontsource" / "lato")
    with pytest.raises(BundledFontsMissing, match=r"@fontsource/lato@") as caught:
        font_face_css(resources)
    assert "scripts/fetch_fonts.py" in str(caught.value)


def _install_layout(package: Path) -> Path:
    """A fake installed package holding a complete resources folder; returns resources/."""
    resources = _copy_fonts(package / "resources")
    (resources / "icons").mkdir()
    (resources / "icons" / "hyperframes-desktop.svg").write_text("<svg/>", encoding="utf-8")
    return resources


def test_installed_resources_come_before_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "hyperframes_desktop"
    installed = _install_layout(package)
    monkeypatch.setattr(resource_paths, "package_dir", lambda: package)
    assert bundled_fonts_dir() == installed / "fonts"
    assert str(installed / "fonts") in unquote(font_face_css())


def test_no_folder_found_says_once_what_is_missing_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "nowhere" / "hyperframes_desktop"
    monkeypatch.setattr(resource_paths, "package_dir", lambda: package)
    with pytest.raises(BundledFontsMissing) as caught:
        bundled_fonts_dir()
    message = str(caught.value)
    assert str(package / "resources" / "fonts") in message
    assert message.count("Fix:") == 1 and message.count(REINSTALL_FIX) == 1, message


def test_an_incomplete_install_names_the_missing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "hyperframes_desktop"
    installed = _install_layout(package)
    variable = installed / "fonts" / "npm" / "@fontsource-variable"
    (variable / "eb-garamond" / "integrity.txt").unlink()
    monkeypatch.setattr(resource_paths, "package_dir", lambda: package)
    with pytest.raises(BundledFontsMissing) as caught:
        font_face_css()
    message = str(caught.value)
    assert "@fontsource-variable/eb-garamond@5.2.7" in message
    assert message.count("Fix:") == 1 and message.count(REINSTALL_FIX) == 1, message


def test_preload_script_knows_every_mapped_family() -> None:
    script = font_preload_js()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert "window.__hf_fonts_loading" in script
    for family in FAMILY_NAMES:
        assert json.dumps(family.lower()) in script
    assert '"montserrat":["normal 400","normal 700","normal 900","italic 400"' in script


# --------------------------------------------------------------------------- rendering

WIDTH, ROW = 560, 48
TEXT = "Quartz jab 0123 Wavy"
EXT_TEXT = "Łódź Ŵęğ ŉĦ"
#: (font-family, weight, style, text). The late row's face (EB Garamond italic) is used by no
#: other row, so nothing loads it at page load unless the preload does.
ROWS = [
    ("'DejaVu Sans', sans-serif", 400, "normal", TEXT),
    ("Inter", 400, "normal", TEXT),
    ("'DejaVu Serif', serif", 700, "normal", TEXT),
    ("'EB Garamond'", 700, "normal", TEXT),
    ("Arial", 400, "italic", TEXT),
    ("Inter", 400, "italic", TEXT),
    ("Helvetica", 400, "normal", EXT_TEXT),
    ("Inter", 400, "normal", EXT_TEXT),
    # Families HF ships, used by name with no stylesheet linked, beside the bundled file
    # declared explicitly under another name.
    ("Montserrat", 700, "normal", TEXT),
    ("'Probe Montserrat'", 700, "normal", TEXT),
    ("'Bebas Neue', sans-serif", 400, "normal", TEXT),
    ("'Probe League Gothic'", 400, "normal", TEXT),
    # A generic first family: the longhand gets Inter first, as the HF compiler does; the
    # shorthand is left as written.
    ("!system-ui, sans-serif", 400, "normal", TEXT),
    ("!monospace", 400, "normal", TEXT),
    ("sans-serif", 400, "normal", TEXT),
    ("Georgia", 400, "italic", TEXT),  # late
]
#: (probe family, package, file) declared by the page itself.
PROBES = [
    ("Probe Montserrat", "@fontsource/montserrat", "files/montserrat-latin-700-normal.woff2", 700),
    (
        "Probe League Gothic",
        "@fontsource/league-gothic",
        "files/league-gothic-latin-400-normal.woff2",
        400,
    ),
]
LATE = len(ROWS) - 1
HEIGHT = ROW * len(ROWS)


def _page_html(late_from: float, timeline_after_fonts: bool) -> str:
    rows = []
    for i, (family, weight, style, text) in enumerate(ROWS):
        hidden = "display:none;" if i == LATE and late_from > 0 else ""
        font = f"font:{style} {weight} 32px/{ROW}px {family}"
        if family.startswith("!"):  # the longhand
            font = f"font:{style} {weight} 32px/{ROW}px serif;font-family:{family[1:]}"
        rows.append(
            f'<div id="row{i}" style="position:absolute;left:8px;top:{i * ROW}px;{hidden}'
            f'{font}">{text}</div>'
        )
    # A timeline-shaped object: shows the late row from ``late_from`` seconds. With
    # ``timeline_after_fonts`` it is registered only once every preloaded face has loaded, so
    # the worker waits for the preload; a failed preload throws, and the worker reports it.
    timeline = (
        "var tl={paused:function(){return true;},totalTime:function(t){"
        f"document.getElementById('row{LATE}').style.display=t>={late_from}?'block':'none';}}}};"
    )
    if timeline_after_fonts:
        register = (
            "window.__hf_fonts_loading.then(function(failed){"
            "if(failed.length){setTimeout(function(){throw new Error('fonts: '+failed);});return;}"
            "window.__timelines={fonts:tl};});"
        )
    else:
        register = "window.__timelines={fonts:tl};"
    probes = ""
    for family, package, file, weight in PROBES:
        path = bundled_font_file(package, None, file)
        assert path is not None, file
        probes += (
            f'@font-face{{font-family:"{family}";src:url("{path.as_uri()}") format("woff2");'
            f"font-weight:{weight}}}"
        )
    return (
        "<!doctype html><html><head><style>"
        f"{probes}html,body{{margin:0;background:#fff;color:#000}}"
        f"</style></head><body><div id=root data-composition-id=fonts data-width={WIDTH} "
        f'data-height={HEIGHT} data-duration="2" data-fps="1" '
        f'style="position:relative;width:{WIDTH}px;height:{HEIGHT}px;overflow:hidden">'
        f"{''.join(rows)}</div><script>{timeline}{register}</script></body></html>"
    )


def _capture(page: CompiledPage, scratch: Path) -> list[bytes]:
    """Every frame of ``page`` as raw BGRA bytes, straight from the capture worker."""
    read_end, write_end = os.pipe()
    job = CaptureJob(
        html_path=str(page.html_path),
        width=page.width,
        height=page.height,
        page_height=page.page_height,
        first_frame=0,
        end_frame=page.frame_count,
        fps_num=page.fps.numerator,
        fps_den=page.fps.denominator,
        out_fd=write_end,
        views=1,
        no_timeline=page.no_timeline,
        root_id=page.composition_id,
    )
    job_file = scratch / "capture-job.json"
    job_file.write_text(job.to_json(), encoding="utf-8")
    stderr = (scratch / "worker-stderr.txt").open("wb")
    try:
        worker = tools.launch(
            tools.worker_command(job_file),
            stdout=subprocess.PIPE,
            stderr=stderr,
            pass_fds=(write_end,),
        )
    finally:
        os.close(write_end)
        stderr.close()
    try:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        messages = worker.communicate(timeout=60)[0].decode(errors="replace")
    finally:
        kill_tree(worker)
    size = page.width * page.height * 4
    assert worker.returncode == 0 and len(data) == size * page.frame_count, messages
    return [data[i : i + size] for i in range(0, len(data), size)]


def _row(frame: bytes, index: int) -> bytes:
    stride = WIDTH * 4 * ROW
    return frame[index * stride : (index + 1) * stride]


def _ink(row: bytes) -> int:
    """How many pixels are darker than mid-grey (text on white)."""
    return sum(1 for i in range(0, len(row), 4) if row[i + 1] < 128)


def _mean_abs_diff(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


@dataclass
class Rendered:
    bundled: list[bytes]  # font_face_css() + font_preload_js(); the late row from frame 1
    reference: list[bytes]  # font_face_css() only; every row shown from the start
    system: list[bytes]  # no bundled fonts; every row shown from the start


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    root = tmp_path_factory.mktemp("fonts")
    out = {}
    for name, late_from, css, head in (
        ("bundled", 1.0, font_face_css(), font_preload_js()),
        ("reference", 0.0, font_face_css(), ""),
        ("system", 0.0, "", ""),
    ):
        html = _page_html(late_from, timeline_after_fonts=bool(head))
        project = write_project(root / name / "project", html)
        scratch = root / name / "scratch"
        scratch.mkdir()
        page = compile_page(
            load_composition(project), scratch / "page", extra_css=css, extra_head=head
        )
        out[name] = _capture(page, scratch)
    return Rendered(**out)


@pytest.mark.timeout(120)
def test_mapped_families_paint_exactly_as_the_bundled_fonts(rendered: Rendered) -> None:
    first = rendered.bundled[0]
    for mapped, bundled in ((0, 1), (2, 3), (4, 5), (6, 7)):
        assert _ink(_row(first, bundled)) > 500, f"row {bundled} painted no text"
        assert _row(first, mapped) == _row(first, bundled), (ROWS[mapped], ROWS[bundled])
    # the italic face is not the upright one, the serif not the sans
    assert _row(first, 5) != _row(first, 1)
    assert _row(first, 3) != _row(first, 1)


def _ink_span(row: bytes) -> tuple[int, int]:
    """The leftmost and rightmost inked columns of a row (its text's ink width)."""
    columns = [i // 4 % WIDTH for i in range(0, len(row), 4) if row[i + 1] < 128]
    return (min(columns), max(columns)) if columns else (0, 0)


@pytest.mark.timeout(120)
def test_families_hyperframes_ships_render_by_name_with_the_bundled_file(
    rendered: Rendered,
) -> None:
    """``font-family: Montserrat`` (and Bebas Neue, which HF draws with League Gothic) with no
    Google Fonts link: the glyphs are the bundled file's, not the machine's fallback."""
    bundled, system = rendered.bundled[0], rendered.system[0]
    for by_name, probe in ((8, 9), (10, 11)):
        assert _ink(_row(bundled, probe)) > 500, ROWS[probe]
        assert _ink_span(_row(bundled, by_name)) == _ink_span(_row(bundled, probe))
        assert _row(bundled, by_name) == _row(bundled, probe), ROWS[by_name]
        # without the bundled rules the same name paints in a fallback of another width
        assert _ink_span(_row(system, by_name)) != _ink_span(_row(bundled, by_name))
        assert _mean_abs_diff(_row(system, by_name), _row(bundled, by_name)) > 2.0


@pytest.mark.timeout(120)
def test_a_generic_first_family_renders_in_inter_as_hyperframes_renders_it(
    rendered: Rendered,
) -> None:
    bundled, system = rendered.bundled[0], rendered.system[0]
    inter = _row(bundled, 1)
    assert _row(bundled, 12) == inter and _row(bundled, 13) == inter
    assert _row(system, 12) != _row(bundled, 12)  # without it: the machine's own sans
    assert _ink(_row(bundled, 14)) > 500 and _row(bundled, 14) != inter  # shorthand untouched


@pytest.mark.timeout(120)
def test_without_bundled_fonts_the_system_font_paints_differently(rendered: Rendered) -> None:
    bundled, system = rendered.bundled[0], rendered.system[0]
    assert _ink(_row(system, 0)) > 500
    assert _mean_abs_diff(_row(bundled, 0), _row(system, 0)) > 2.0
    assert _mean_abs_diff(_row(bundled, 2), _row(system, 2)) > 2.0


@pytest.mark.timeout(120)
def test_text_first_shown_mid_render_is_in_the_bundled_font(rendered: Rendered) -> None:
    before, after = rendered.bundled
    assert _ink(_row(before, LATE)) == 0
    assert _ink(_row(rendered.reference[0], LATE)) > 500
    # Without the preload the late row's face would only start loading when the row appears,
    # and font-display:block leaves it blank on that frame. With it, frame 1 is exactly the
    # page whose late row was visible (so loaded) from the start.
    assert after == rendered.reference[1]


def test_the_checker_knows_the_same_families_as_the_renderer() -> None:
    from hyperframes_desktop.project.font_families import MAPPED_FAMILIES

    assert {f.lower(): face for f, face in mapped_families().items()} == MAPPED_FAMILIES


def test_generic_first_families_get_inter_first_like_the_hyperframes_compiler() -> None:
    page = (
        "<style>/* font-family: serif */\n.a{font-family: system-ui, sans-serif}\n"
        ".b{font:12px sans-serif} @font-face{font-family:monospace;src:url(x)}\n"
        ":root{--ui: -apple-system, BlinkMacSystemFont;--ease: linear}\n"
        ".c{font-family:Montserrat, sans-serif} .d{font-family : 'monospace' !important}"
        '</style>\n<p style="font-family: sans-serif;color:red">x</p>'
        "<script>var s='<p style=\"font-family:serif\">';</script>"
    )
    assert promote_generic_families(page) == (
        "<style>/* font-family: serif */\n.a{font-family: Inter, system-ui, sans-serif}\n"
        ".b{font:12px sans-serif} @font-face{font-family:monospace;src:url(x)}\n"
        ":root{--ui: Inter, -apple-system, BlinkMacSystemFont;--ease: linear}\n"
        ".c{font-family:Montserrat, sans-serif} .d{font-family : Inter, 'monospace' !important}"
        '</style>\n<p style="font-family: Inter, sans-serif;color:red">x</p>'
        "<script>var s='<p style=\"font-family:serif\">';</script>"
    )
    assert promote_generic_families("<p>no styles</p>") == "<p>no styles</p>"
