"""`furima simulate`: what a policy does to sellers, buyers and support, before it ships.

Parses arguments around ``furima.simulate.simulate`` and prints the policies side by side.
A progress bar (tqdm, on stderr) appears only when stderr is a terminal or with --progress,
so piped and scripted output stays clean.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from furima.errors import FurimaError
from furima.process.policy import PolicyError, UnknownPolicy
from furima.process.registry import default_registry
from furima.simulate import render
from furima.simulate.behaviour import BehaviourError, load_behaviour
from furima.simulate.chart import FORMATS
from furima.simulate.run import default_jobs, first_of_cohort, simulate, trace

DEFAULT_TRADES = 10_000
DEFAULT_SEED = 0


def _trades(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _chart(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        raise argparse.ArgumentTypeError(f"{text}: the chart must be a .png or .svg file")
    return path


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "simulate",
        help="run synthetic trades through one or more policies and compare them",
        description="Runs N synthetic trades per policy through the trade engine (no "
        "database), with buyers and sellers drawn from a behaviour model, and prints the "
        "policies side by side. The same seed gives the same figures.",
    )
    parser.add_argument(
        "--policy",
        dest="policies",
        action="append",
        required=True,
        metavar="ID",
        help="a policy id (or ID@VERSION); repeat to compare",
    )
    parser.add_argument(
        "--trades", type=_trades, default=DEFAULT_TRADES, metavar="N", help="trades per policy"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S")
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="processes to run the trades in (default: one per CPU); the figures are the "
        "same for any N",
    )
    parser.add_argument(
        "--behaviour",
        type=Path,
        default=None,
        metavar="FILE",
        help="behaviour model (TOML); default: the one shipped with furima",
    )
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument(
        "--chart", type=_chart, default=None, metavar="FILE", help="draw payout delays (.png/.svg)"
    )
    parser.add_argument(
        "--progress", action="store_true", help="show a progress bar even when not on a terminal"
    )
    parser.add_argument(
        "--trace",
        default=None,
        metavar="INDEX|COHORT",
        help="instead of figures, print trade INDEX (or the first trade of COHORT) as a "
        "`furima timeline` script",
    )
    parser.set_defaults(handler=run)


def _policies(references: list[str]):
    try:
        registry = default_registry()
        return [registry.resolve(reference) for reference in references]
    except (UnknownPolicy, PolicyError) as error:
        raise FurimaError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    policies = _policies(args.policies)
    try:
        behaviour = load_behaviour(args.behaviour)
    except BehaviourError as error:
        raise FurimaError(str(error)) from None
    if args.trace is not None:
        return _print_trace(args, policies, behaviour)
    from tqdm import tqdm

    show = args.progress or sys.stderr.isatty()
    jobs = args.jobs or default_jobs()
    summaries = []
    with tqdm(
        total=args.trades * len(policies), unit="trade", file=sys.stderr, disable=not show
    ) as bar:
        for policy in policies:
            bar.set_description(policy.key)
            summaries.append(
                simulate(policy, behaviour, args.trades, args.seed, jobs=jobs, progress=bar.update)
            )
    if args.format == "json":
        sys.stdout.write(render.as_json(summaries, behaviour, args.trades, args.seed))
    elif args.format == "csv":
        sys.stdout.write(render.as_csv(summaries))
    else:
        sys.stdout.write(render.text(summaries, behaviour, args.trades, args.seed))
    if args.chart is not None:
        from furima.simulate.chart import draw_chart

        try:
            draw_chart(
                summaries, args.chart, title=f"behaviour {behaviour.name!r}, seed {args.seed}"
            )
        except OSError as error:
            raise FurimaError(f"{args.chart}: cannot write ({error.strerror})") from None
    return 0


def _print_trace(args: argparse.Namespace, policies, behaviour) -> int:
    if len(policies) != 1:
        raise FurimaError("--trace follows one trade under one policy: give exactly one --policy")
    wanted = args.trace
    if wanted.isdigit():
        index = int(wanted)
    else:
        try:
            index = first_of_cohort(behaviour, args.seed, wanted)
        except LookupError as error:
            raise FurimaError(str(error)) from None
    script, _, _ = trace(policies[0], behaviour, args.seed, index)
    json.dump(script, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
