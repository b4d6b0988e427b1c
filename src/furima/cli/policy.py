"""`furima policy list | show ID | check FILE`: the policies a trade can be pinned to."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from furima.errors import FurimaError
from furima.process.policy import PolicyError, UnknownPolicy, load_policy_file
from furima.process.registry import default_registry


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("policy", help="list, show and check trade policies")
    actions = parser.add_subparsers(dest="policy_command", required=True, parser_class=type(parser))
    listing = actions.add_parser("list", help="every policy and version shipped")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="print one policy file (ID or ID@VERSION)")
    show.add_argument("policy_id")
    show.set_defaults(handler=run_show)
    check = actions.add_parser("check", help="validate a policy file without installing it")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=run_check)


def _registry():
    try:
        return default_registry()
    except PolicyError as error:
        raise FurimaError(str(error)) from None


def run_list(args: argparse.Namespace) -> int:
    registry = _registry()
    latest = {p.key for p in registry.latest()}
    rows = [
        {
            "id": p.id,
            "version": p.version,
            "latest": p.key in latest,
            "name": p.name,
            "fee_percent": p.fee_percent,
        }
        for p in registry.all()
    ]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        mark = "*" if row["latest"] else " "
        print(f"{mark} {row['id']}@{row['version']:<3} fee {row['fee_percent']:>3}%  {row['name']}")
    print("(* = latest version, used for new trades)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    try:
        policy = _registry().resolve(args.policy_id)
    except UnknownPolicy as error:
        raise FurimaError(str(error)) from None
    sys.stdout.write(policy.source_text)
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        policy = load_policy_file(args.file)
    except PolicyError as error:
        raise FurimaError(str(error)) from None
    print(f"{args.file}: ok ({policy.key})")
    return 0
