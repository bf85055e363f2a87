"""The ``render`` command's farm options (``--farm ADDRESS`` and friends)."""

from __future__ import annotations

import argparse

from hyperframes_desktop.render.farm.settings import (
    DEFAULT_STALL_TIMEOUT_S,
    FarmSettings,
    farm_settings,
)
from hyperframes_desktop.render.options import RenderInputError


def add_farm_arguments(p: argparse.ArgumentParser) -> None:
    farm = p.add_argument_group(
        "render farm (Dask: built into the bundle/.deb; pip: the [farm] extra)"
    )
    farm.add_argument(
        "--farm",
        metavar="ADDRESS",
        help="render on a Dask cluster: the scheduler's tcp://HOST:PORT or tls://HOST:PORT "
        "(default: $HYPERFRAMES_FARM)",
    )
    farm.add_argument(
        "--chunk-frames",
        type=int,
        metavar="N",
        help="frames per chunk (default: from the frame count and the workers)",
    )
    farm.add_argument(
        "--resume",
        action="store_true",
        help="reuse the finished chunks of an interrupted farm render of the same plan",
    )
    farm.add_argument(
        "--chunk-stall-timeout",
        type=float,
        metavar="SECONDS",
        help=f"stop and retry a chunk that captures no frame for this long "
        f"(default {DEFAULT_STALL_TIMEOUT_S:g})",
    )
    farm.add_argument("--farm-ca", help="TLS: the farm's CA certificate ($HYPERFRAMES_FARM_CA)")
    farm.add_argument(
        "--farm-cert", help="TLS: this computer's certificate ($HYPERFRAMES_FARM_CERT)"
    )
    farm.add_argument("--farm-key", help="TLS: its private key ($HYPERFRAMES_FARM_KEY)")


def farm_from_args(args: argparse.Namespace) -> FarmSettings | None:
    """The farm settings the arguments ask for; None renders on this computer."""
    settings = farm_settings(
        args.farm,
        ca=args.farm_ca,
        cert=args.farm_cert,
        key=args.farm_key,
        chunk_frames=args.chunk_frames,
        resume=args.resume,
        stall_timeout_s=args.chunk_stall_timeout,
    )
    if settings is None:
        used = [
            flag
            for flag, value in (
                ("--chunk-frames", args.chunk_frames),
                ("--resume", args.resume),
                ("--chunk-stall-timeout", args.chunk_stall_timeout),
                ("--farm-ca", args.farm_ca),
                ("--farm-cert", args.farm_cert),
                ("--farm-key", args.farm_key),
            )
            if value
        ]
        if used:
            verb, them = ("applies", "it") if len(used) == 1 else ("apply", "them")
            raise RenderInputError(
                f"{', '.join(used)} only {verb} to a farm render. Fix: add --farm ADDRESS (or "
                f"set HYPERFRAMES_FARM), or leave {them} out to render on this computer."
            )
        return None
    settings.check()
    return settings
