"""Fast checks of the packaging helpers (no build): the telemetry build config that the build
generates, the staged copy of the sources, and the bundle-trimming rules."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(
        f"hf_packaging_{name}", ROOT / "packaging" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


staging = _load("staging")
prune = _load("prune")


def _exec_config(text: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(text, "build_config.py", "exec"), namespace)
    return {k: v for k, v in namespace.items() if k.isupper()}


def test_default_build_has_no_key():
    settings = staging.telemetry_settings({})
    assert settings == {"POSTHOG_KEY": "", "POSTHOG_HOST": "", "TELEMETRY_COMPILED_OUT": False}


def test_key_and_host_are_injected():
    env = {
        "HYPERFRAMES_BUILD_POSTHOG_KEY": " phc_abc123 ",
        "HYPERFRAMES_BUILD_POSTHOG_HOST": "https://eu.example.test/",
    }
    values = _exec_config(staging.render_build_config(staging.telemetry_settings(env)))
    assert values == {
        "POSTHOG_KEY": "phc_abc123",
        "POSTHOG_HOST": "https://eu.example.test",
        "TELEMETRY_COMPILED_OUT": False,
    }


@pytest.mark.parametrize("flag", ["1", "true", "YES", "on"])
def test_compiled_out_drops_the_key(flag):
    env = {"HYPERFRAMES_BUILD_POSTHOG_KEY": "phc_abc", "HYPERFRAMES_BUILD_NO_TELEMETRY": flag}
    values = _exec_config(staging.render_build_config(staging.telemetry_settings(env)))
    assert values == {"POSTHOG_KEY": "", "POSTHOG_HOST": "", "TELEMETRY_COMPILED_OUT": True}


@pytest.mark.parametrize(
    "env",
    [
        {"HYPERFRAMES_BUILD_POSTHOG_KEY": "sk_not_a_project_key"},
        {"HYPERFRAMES_BUILD_POSTHOG_HOST": "ftp://example.test"},
    ],
)
def test_malformed_configuration_is_refused(env):
    with pytest.raises(staging.BuildConfigError):
        staging.telemetry_settings(env)


def test_describe_never_prints_the_whole_key():
    key = "phc_" + "x" * 40
    text = staging.describe(staging.telemetry_settings({"HYPERFRAMES_BUILD_POSTHOG_KEY": key}))
    assert key not in text and "phc_xxxx" in text


def test_staging_copies_sources_and_leaves_the_tree_alone(tmp_path):
    source_config = ROOT / "hyperframes_desktop" / "telemetry" / "build_config.py"
    before = source_config.read_bytes()
    env = {
        "HYPERFRAMES_BUILD_POSTHOG_KEY": "phc_test",
        "HYPERFRAMES_BUILD_POSTHOG_HOST": "http://127.0.0.1:9",
    }

    dest = staging.stage_sources(ROOT, tmp_path / "src", env)

    staged = dest / "hyperframes_desktop"
    assert source_config.read_bytes() == before
    config = _exec_config((staged / "telemetry" / "build_config.py").read_text(encoding="utf-8"))
    assert config["POSTHOG_KEY"] == "phc_test"
    assert config["POSTHOG_HOST"] == "http://127.0.0.1:9"
    assert (staged / "cli" / "__init__.py").read_bytes() == (
        ROOT / "hyperframes_desktop" / "cli" / "__init__.py"
    ).read_bytes()
    assert list((staged / "render" / "js").glob("*.js"))
    assert not list(staged.rglob("__pycache__"))
    # Staging again replaces the previous copy (a rebuild with another key).
    staging.stage_sources(ROOT, tmp_path / "src", {})
    assert _exec_config((staged / "telemetry" / "build_config.py").read_text())["POSTHOG_KEY"] == ""


def test_prune_rules():
    assert prune.is_unused_plugin("PySide6/Qt/plugins/platforms/libqvnc.so")
    assert prune.is_unused_plugin("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert not prune.is_unused_plugin("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not prune.is_unused_plugin("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert prune.is_system_library("libnss3.so", "/usr/lib/x86_64-linux-gnu/libnss3.so")
    assert not prune.is_system_library("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0")
    assert not prune.is_system_library(
        "PySide6/Qt/lib/libQt6Core.so.6", "/venv/site-packages/PySide6/Qt/lib/libQt6Core.so.6"
    )
    assert prune.is_library("PySide6/Qt/lib/libQt6Core.so.6")
    assert not prune.is_library("PySide6/QtCore.abi3.so")
    assert not prune.is_library("PySide6/Qt/plugins/platforms/libqxcb.so")


@pytest.mark.skipif(shutil.which("readelf") is None, reason="readelf (binutils) not installed")
def test_needed_libraries_reads_elf_dependencies():
    ls = shutil.which("ls")
    assert "libc.so.6" in prune.needed_libraries(ls)
