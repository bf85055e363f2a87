"""What the CLI does before it runs a command: only that command's module is imported (the
others', e.g. the catalog's HTTP client, cost a render ~0.1 CPU-s), every command's help is
unchanged, and a local ``render`` starts a capture process first (render.early_capture)."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import pytest

from hyperframes_desktop import cli
from hyperframes_desktop.render import early_capture


def _help(parser, argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser.parse_args(argv)
    return out.getvalue()


def test_a_command_parses_and_helps_as_with_every_command_loaded() -> None:
    everything = cli.build_parser()
    for name in cli.COMMANDS:
        alone = cli.build_parser(name)
        assert _help(alone, [name, "--help"]) == _help(everything, [name, "--help"]), name
    args = cli.build_parser("render").parse_args(["render", "proj", "--frames", "0-1"])
    assert (args.command, args.project, args.frames) == ("render", "proj", "0-1")
    # the top level still lists them all
    top = _help(everything, ["--help"])
    assert all(name in top for name in cli.COMMANDS)


def test_a_render_does_not_import_the_other_commands() -> None:
    script = (
        "import json, sys\n"
        "from hyperframes_desktop.cli import build_parser\n"
        "build_parser('render')\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert "hyperframes_desktop.cli.render_cmd" in loaded
    unwanted = {"httpx", "hyperframes_desktop.catalog.client", "hyperframes_desktop.cli.init_cmd"}
    assert not unwanted & loaded, sorted(unwanted & loaded)


@pytest.mark.parametrize(
    ("argv", "starts"),
    [
        (["render", "proj", "--frames", "0-9"], True),
        (["still", "proj", "--frame", "3"], True),
        (["render", "--help"], False),
        (["render", "proj", "--farm", "tcp://127.0.0.1:1"], False),
        (["render", "proj", "--farm=tcp://127.0.0.1:1"], False),
        (["render", "--batch", "jobs.jsonl", "proj"], False),
    ],
)
def test_a_local_render_starts_a_capture_process_first(
    argv: list[str], starts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HYPERFRAMES_FARM", raising=False)
    monkeypatch.delenv(early_capture.EARLY_CAPTURE_ENV, raising=False)
    try:
        cli._start_capture_early(argv)
        early = list(early_capture._early)
        assert len(early) == (1 if starts else 0)
    finally:
        early_capture.stop_early()
    for standby in early:
        assert standby.proc.wait(timeout=10) is not None


def test_no_early_process_for_a_farm_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HYPERFRAMES_FARM", "tcp://127.0.0.1:1")
    cli._start_capture_early(["render", "proj"])
    assert early_capture.take_early() is None


def test_an_early_process_the_command_did_not_take_ends_with_it(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.delenv("HYPERFRAMES_FARM", raising=False)
    monkeypatch.delenv(early_capture.EARLY_CAPTURE_ENV, raising=False)
    monkeypatch.setenv("HYPERFRAMES_NO_TELEMETRY", "1")
    started: list = []
    real_start = early_capture.start_early

    def recording_start(count: int = 1) -> None:
        real_start(count)
        started.extend(early_capture._early)

    monkeypatch.setattr(early_capture, "start_early", recording_start)
    code = cli.main(["render", str(tmp_path / "no-such-project")])
    assert code == 2 and "no-such-project" in capsys.readouterr().err
    assert len(started) == 1
    assert not early_capture._early  # a later command in this process cannot adopt it
    assert started[0].proc.wait(timeout=10) is not None
