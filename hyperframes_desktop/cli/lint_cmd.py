"""``hyperframes-desktop lint``: every problem of a project, found without rendering it."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from hyperframes_desktop.cli.lint_resources import check_remote
from hyperframes_desktop.project.problems import Problem, check_project, summarize

EXIT_CLEAN, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        help="list every problem of a project without rendering it",
        description="Check a project without rendering it: root attributes, clip timing, "
        "sub-compositions, media and other files, fonts and variables. Exit code: 0 clean, "
        "1 warnings only (with --strict), 2 errors.",
    )
    p.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    p.add_argument(
        "-c",
        "--composition",
        help="check only this composition file and its sub-compositions (default: all)",
    )
    p.add_argument("--json", action="store_true", help="print the problems as a JSON list")
    p.add_argument("--strict", action="store_true", help="exit 1 when there are only warnings")
    p.add_argument(
        "--offline",
        action="store_true",
        help="check remote libraries, fonts and media against the cache only",
    )
    p.set_defaults(func=run)


def exit_code(problems: list[Problem], strict: bool) -> int:
    if any(p.is_error for p in problems):
        return EXIT_ERRORS
    if strict and problems:
        return EXIT_WARNINGS
    return EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    problems = check_project(Path(args.project), args.composition)
    statuses = []
    if not any(p.is_error and p.line is None for p in problems):  # the project itself loads
        statuses, remote = check_remote(Path(args.project), args.composition, args.offline)
        problems = problems + remote
    try:
        if args.json:
            print(json.dumps([dataclasses.asdict(p) for p in problems], indent=2))
        else:
            for problem in problems:
                print(problem.text())
            if statuses:
                print("Remote URLs:")
                for item in statuses:
                    print(f"  {item.status:<11} {item.ref.url}")
            print(f"{summarize(problems)}.", file=sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:  # `lint | head`: the reader left; the exit code still counts
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return exit_code(problems, args.strict)
