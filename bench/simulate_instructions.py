"""Instructions per simulated trade, whole and by part, counted by callgrind. Prints figures.

    .venv/bin/python bench/simulate_instructions.py                 # furima@2, every part
    .venv/bin/python bench/simulate_instructions.py --policy rakuma-2016 --parts trade

Needs valgrind (Debian: `apt-get install valgrind`). Instructions, unlike seconds, do not
depend on the load of this shared machine, so they compare code across hours and days.

For each part a child process warms up (5,000 trades of another seed: the time rules'
per-date tables, the caches), then runs the trades of seed 2016 (default behaviour) with the
part wrapped in `operator.call`, and `valgrind --tool=callgrind
--toggle-collect=_operator_call` counts only what runs inside it. The same is done for
1,000 and for 2,000 trades and the difference is divided by 1,000: the marginal cost of a
trade, without the run's fixed costs. Parts: `trade` (the whole of run_blocks), `persona`
(draw_persona), `decide` (every decide the simulator and the timer loop call) and
`deadlines` (the deadline computations, Schedule.compute); the simulator's own loop is the
trade less the three.
"""

from __future__ import annotations

import argparse
import operator
import re
import subprocess
import sys

import furima.process.timers as timers
import furima.simulate.run as run
import furima.simulate.trade as trade
from furima.process import default_registry
from furima.process.schedule import Schedule
from furima.simulate import load_behaviour

PARTS = ("trade", "persona", "decide", "deadlines")
SEED = 2016
WARM_UP_SEED = 99


def child(policy_id: str, trades: int, part: str) -> None:
    """Runs under callgrind: the trades, with `part` inside operator.call."""
    policy = default_registry().resolve(policy_id)
    behaviour = load_behaviour(None)
    run.run_blocks(policy, behaviour, 5000, WARM_UP_SEED, 0, 5)
    blocks = -(-trades // run.BATCH)
    if part == "trade":
        operator.call(run.run_blocks, policy, behaviour, trades, SEED, 0, blocks)
        return
    if part == "persona":
        draw = run.draw_persona
        run.draw_persona = lambda rng, model: operator.call(draw, rng, model)
    elif part == "decide":
        decide = trade.decide
        trade.decide = timers.decide = lambda *args: operator.call(decide, *args)
    elif part == "deadlines":
        compute = Schedule.compute
        Schedule.compute = lambda self, snapshot: operator.call(compute, self, snapshot)
    run.run_blocks(policy, behaviour, trades, SEED, 0, blocks)


def count(policy_id: str, trades: int, part: str) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--toggle-collect=_operator_call",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        policy_id,
        str(trades),
        part,
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no callgrind total in:\n{done.stderr}")
    return int(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="furima@2")
    parser.add_argument("--parts", default=",".join(PARTS), help="e.g. trade,persona")
    parser.add_argument("--child", nargs=3, metavar=("POLICY", "N", "PART"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    print(f"instructions per simulated trade, {args.policy}, default behaviour, seed {SEED}")
    for part in args.parts.split(","):
        per_trade = (count(args.policy, 2000, part) - count(args.policy, 1000, part)) / 1000
        print(f"{part:<10} {per_trade:>10,.0f}")


if __name__ == "__main__":
    main()
