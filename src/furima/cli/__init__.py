"""The `furima` command.

The engine's own commands (`timeline`, `policy`) run without Django, so they start fast and
work with no database. Every other command is Django management (`furima migrate`,
`furima createsuperuser`, `furima runserver`, …), so nobody needs `manage.py`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from furima.cli import policy as policy_command
from furima.cli import simulate as simulate_command
from furima.cli import timeline as timeline_command
from furima.errors import EXIT_USAGE, FurimaError

PURE_COMMANDS: dict[str, Callable[[argparse._SubParsersAction], None]] = {
    "timeline": timeline_command.register,
    "policy": policy_command.register,
    "simulate": simulate_command.register,
}


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="furima",
        description="furima: a trade engine for C2C flea markets. Commands besides these are "
        "Django management commands (furima migrate, furima createsuperuser, …).",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for register in PURE_COMMANDS.values():
        register(commands)
    return parser


def run_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furima.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:  # settings that cannot start the app (no secret key in production…): one line
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings)
    except ImproperlyConfigured as error:
        print(f"furima: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        execute_from_command_line(["furima", *argv])
    except FurimaError as error:  # a management command let the service's refusal through
        print(f"furima {argv[0]}: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in PURE_COMMANDS and args[0] not in ("-h", "--help"):
        return run_django(args)
    parsed = build_parser().parse_args(args)
    try:
        return parsed.handler(parsed)
    except FurimaError as error:
        print(f"furima {parsed.command}: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
