"""`furima timeline SCRIPT.json`: replay a scripted trade on paper (CONTRACT.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from furima.cli.render import timeline_table
from furima.errors import FurimaError
from furima.process.replay import MAX_SCRIPT_SIZE, ScriptError, load_script, replay


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "timeline",
        help="replay a scripted trade through the engine (no database)",
        description="Replays SCRIPT.json (or - for standard input) through the trade engine "
        "and prints every step, the policy's timers included.",
    )
    parser.add_argument("script", help="path to the script, or - for standard input")
    parser.add_argument(
        "--format",
        choices=("json", "text"),
        default=None,
        help="json (default when not a terminal) or a readable table",
    )
    parser.add_argument(
        "--lang", choices=("ja", "en"), default="ja", help="language of --format text"
    )
    parser.set_defaults(handler=run)


def _read(source: str) -> str:
    """The script's text, read no further than one character past the size cap."""
    if source == "-":
        return sys.stdin.read(MAX_SCRIPT_SIZE + 1)
    try:
        with Path(source).open(encoding="utf-8") as file:
            return file.read(MAX_SCRIPT_SIZE + 1)
    except FileNotFoundError:
        raise FurimaError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise FurimaError(f"{source}: is a directory, not a script") from None
    except UnicodeDecodeError:
        raise FurimaError(f"{source}: not UTF-8 text") from None
    except OSError as error:
        raise FurimaError(f"{source}: cannot read ({error.strerror})") from None


def run(args: argparse.Namespace) -> int:
    text = _read(args.script)
    try:
        result = replay(load_script(text))
    except ScriptError as error:
        raise FurimaError(f"{args.script}: {error}") from None
    chosen = args.format or ("text" if sys.stdout.isatty() else "json")
    if chosen == "json":
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(timeline_table(result, lang=args.lang))
    return 0
