"""``hyperframes-desktop telemetry status|enable|disable``."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from hyperframes_desktop.telemetry import config, gates, notice

ACTIONS = ("status", "enable", "disable")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``telemetry`` sub-command on an ``add_subparsers()`` object."""
    parser = subparsers.add_parser(
        "telemetry",
        help="show or change anonymous usage telemetry",
        description="Show whether anonymous telemetry is on and why, or turn it on or off.",
    )
    parser.add_argument(
        "telemetry_action",
        nargs="?",
        choices=ACTIONS,
        default="status",
        help="status (default), enable or disable",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the sub-command; 0 on success, 1 when the config could not be written."""
    stream = out if out is not None else sys.stdout
    action = getattr(args, "telemetry_action", "status") or "status"
    if action == "status":
        print_status(stream)
        return 0
    enabled = action == "enable"
    if not config.set_telemetry_enabled(enabled):
        print(
            f"error: could not save the telemetry setting in {config.config_path()}",
            file=sys.stderr,
        )
        return 1
    if enabled:
        # Turning it on is an informed choice: show what that means and record it.
        print(notice.NOTICE_TEXT, file=stream)
        notice.record_notice_shown()
    print(f"Telemetry {'enabled' if enabled else 'disabled'} in the config.", file=stream)
    print_status(stream)
    return 0


def _build_description() -> str:
    """What this build was configured with (never the key itself)."""
    from hyperframes_desktop.telemetry import build_config, gates

    if build_config.TELEMETRY_COMPILED_OUT:
        return "telemetry compiled out"
    key = "key configured" if gates.api_key().startswith(gates.KEY_PREFIX) else "no key"
    return f"{key}, host {gates.api_host()}"


def print_status(stream: TextIO) -> None:
    state = gates.telemetry_state()
    print(f"Telemetry:    {'on' if state.enabled else 'off'}", file=stream)
    print(f"Decided by:   {_describe(state.decided_by)}", file=stream)
    print(f"Reason:       {state.reason}", file=stream)
    print(f"Build:        {_build_description()}", file=stream)
    print(f"Config file:  {config.config_path()}", file=stream)
    try:
        anonymous_id = config.load_config().anonymous_id
    except config.ConfigUnavailable as exc:
        anonymous_id = f"(none: {exc})"
    print(f"Anonymous id: {anonymous_id}", file=stream)


def _describe(decided_by: str) -> str:
    if decided_by in gates.OPT_OUT_ENV_VARS:
        return f"env var {decided_by}"
    return decided_by
