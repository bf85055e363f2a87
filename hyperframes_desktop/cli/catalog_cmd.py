"""``hyperframes-desktop catalog``: the blocks and components of HyperFrames' registry."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hyperframes_desktop.catalog import CatalogError, RegistryClient, registry_base
from hyperframes_desktop.catalog.items import KINDS
from hyperframes_desktop.catalog.search import matches

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "catalog",
        help="list the blocks and components you can add",
        description="List HyperFrames' catalog of blocks and components (cached, so it also "
        "works offline once read).",
    )
    p.add_argument("--type", choices=["block", "component", "example"], help="only this type")
    p.add_argument("--tag", action="append", default=[], help="only items with this tag")
    p.add_argument("--query", help="only items whose name, title, description or tags match")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--registry", metavar="URL", help="registry base URL")
    p.add_argument("--dir", default=".", help="project whose hyperframes.json to read")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kinds = {KINDS[args.type]} if args.type else {KINDS["block"], KINDS["component"]}
    try:
        with RegistryClient(registry_base(args.registry, Path(args.dir))) as client:
            items = [i for i in client.items(kinds) if matches(i, args.tag, args.query)]
    except CatalogError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps([i.summary() for i in items], indent=2))
        return EXIT_OK
    for item in items:
        size = f"{item.dimensions[0]}x{item.dimensions[1]}" if item.dimensions else ""
        length = f"{item.duration:g}s" if item.duration else ""
        print(f"{item.name:<32} {item.kind:<10} {size:>10} {length:>7}  {item.title}")
    print(f"{len(items)} items. Add one with: hyperframes-desktop add NAME", file=sys.stderr)
    return EXIT_OK
