"""How fast is `furima simulate`, and does its memory stay flat? Prints figures; not a test.

    .venv/bin/python bench/simulate.py                     # furima, N = 10,000 and 1,000,000
    .venv/bin/python bench/simulate.py --trades 100000     # choose N (repeat for several)
    .venv/bin/python bench/simulate.py --policy rakuma-2016 --jobs 1,2,4
    .venv/bin/python bench/simulate.py --trades 10000 --profile   # plus cProfile of one run

For every policy, every N and every job count (default: 1 and one per CPU, side by side in
the same run), one child process (so each measurement starts clean) loads the behaviour
model, runs ``simulate(policy, behaviour, N, seed, jobs=J)`` and reports:

* trades simulated per second (wall clock of the ``simulate`` call alone) and the speed-up
  over one job measured in the same run;
* peak resident memory (``ru_maxrss`` of the child, and of its worker processes when J > 1)
  before and after the run: "flat" means the growth is the same at N = 1,000,000 as at
  N = 10,000 (the summary's histograms are sized by the horizon, not by N);
* with ``--tracemalloc``, also the peak of Python allocations during the run (this slows the
  run down, so its trades/s are not comparable; it is off by default);
* before each run, how long a fixed pure-Python reference workload takes in that child
  ("ref ms"): this machine's speed changes by ±25% from hour to hour (a shared virtual
  machine), and the reference says whether a figure is low because of the code or because
  of the machine at that moment.

Target: 1,000,000 trades of the furima policy in at most 40 s wall on this 2-core machine
(all cores), memory flat.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import platform
import pstats
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from furima.process import default_registry
from furima.simulate import load_behaviour, simulate
from furima.simulate.run import default_jobs

TARGET_SECONDS_PER_MILLION = 40.0
POLICY_IDS = ("furima",)
DEFAULT_TRADES = (10_000, 1_000_000)
SEED = 2016


def _maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    # Linux reports kibibytes (macOS bytes; this bench is run on Linux).
    return resource.getrusage(who).ru_maxrss / 1024


class _Point:
    __slots__ = ("x", "y")

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y


def reference_ms(rounds: int = 3) -> float:
    """Best of `rounds` timings of a fixed workload of the kinds of work the simulator does
    (function calls, attribute reads, small dicts and tuples): a machine-speed yardstick."""

    def step(point: _Point, table: dict) -> tuple:
        table["x"] = point.x + point.y
        return (table.get("x"), point.y)

    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        table: dict = {}
        for i in range(300_000):
            step(_Point(i, i + 1), table)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def measure(
    policy_id: str, trades: int, jobs: int, behaviour_path: str | None, traced: bool
) -> dict:
    """One measurement, in this process (the parent runs each in a fresh child)."""
    behaviour = load_behaviour(behaviour_path)
    policy = default_registry().resolve(policy_id)
    reference = reference_ms()
    simulate(policy, behaviour, 100, SEED)  # warm caches and imports before measuring
    before = _maxrss_mib()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    summary = simulate(policy, behaviour, trades, SEED, jobs=jobs)
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    if traced:
        tracemalloc.stop()
    after = max(_maxrss_mib(), _maxrss_mib(resource.RUSAGE_CHILDREN))
    return {
        "policy": policy.key,
        "trades": trades,
        "jobs": jobs,
        "seconds": seconds,
        "trades_per_second": trades / seconds,
        "rss_before_mib": before,
        "rss_after_mib": after,
        "python_peak_mib": python_peak,
        "paid_out": summary.total.payouts.total,
        "reference_ms": reference,
    }


def _child(policy_id: str, trades: int, jobs: int, behaviour: str | None, traced: bool) -> dict:
    command = [sys.executable, __file__, "--child", policy_id, str(trades), str(jobs)]
    if behaviour:
        command += ["--behaviour", behaviour]
    if traced:
        command.append("--tracemalloc")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def profile(policy_id: str, trades: int, behaviour: str | None) -> None:
    behaviour_model = load_behaviour(behaviour)
    policy = default_registry().resolve(policy_id)
    profiler = cProfile.Profile()
    profiler.runcall(simulate, policy, behaviour_model, trades, SEED)
    stats = pstats.Stats(profiler)
    print(f"\ncProfile of simulate({policy.key}, N={trades:,}), by own time:")
    stats.sort_stats("tottime").print_stats(20)
    print("by cumulative time:")
    stats.sort_stats("cumulative").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, action="append", help="N (repeatable)")
    parser.add_argument("--policy", action="append", help="policy id (repeatable; default all)")
    parser.add_argument("--behaviour", default=None, help="behaviour model (default: shipped)")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python memory")
    parser.add_argument("--profile", action="store_true", help="cProfile the first policy")
    parser.add_argument(
        "--jobs", default=None, help="job counts to compare, e.g. 1,2 (default: 1 and one per CPU)"
    )
    parser.add_argument("--child", nargs=3, metavar=("POLICY", "N", "J"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        policy_id, trades, jobs = args.child[0], int(args.child[1]), int(args.child[2])
        print(json.dumps(measure(policy_id, trades, jobs, args.behaviour, args.tracemalloc)))
        return
    job_counts = (
        [int(j) for j in args.jobs.split(",")] if args.jobs else sorted({1, default_jobs()})
    )

    trade_counts = args.trades or list(DEFAULT_TRADES)
    policy_ids = args.policy or list(POLICY_IDS)
    behaviour = str(Path(args.behaviour).resolve()) if args.behaviour else None
    print(
        f"furima simulate benchmark — Python {platform.python_version()} on "
        f"{platform.machine()}, {default_jobs()} CPUs; behaviour "
        f"{load_behaviour(behaviour).name!r}, seed {SEED}"
    )
    print(
        f"target: 1,000,000 trades of the furima policy in ≤ {TARGET_SECONDS_PER_MILLION:.0f} s"
        f" wall with {default_jobs()} jobs"
    )
    print()
    header = (
        f"{'policy':<16}{'N':>11}{'jobs':>5}{'seconds':>10}{'trades/s':>10}{'× 1 job':>9}"
        f"{'RSS before':>12}{'RSS after':>11}{'growth':>9}{'ref ms':>8}"
    )
    if args.tracemalloc:
        header += f"{'py peak':>10}"
    print(header)
    for trades in trade_counts:
        for policy_id in policy_ids:
            alone = None
            for jobs in job_counts:
                row = _child(policy_id, trades, jobs, behaviour, args.tracemalloc)
                alone = alone or row["trades_per_second"]
                line = (
                    f"{row['policy']:<16}{trades:>11,}{jobs:>5}{row['seconds']:>10.1f}"
                    f"{row['trades_per_second']:>10,.0f}"
                    f"{row['trades_per_second'] / alone:>8.2f}×"
                    f"{row['rss_before_mib']:>9.1f} MiB{row['rss_after_mib']:>7.1f} MiB"
                    f"{row['rss_after_mib'] - row['rss_before_mib']:>5.1f} MiB"
                    f"{row['reference_ms']:>8.0f}"
                )
                if args.tracemalloc:
                    line += f"{row['python_peak_mib']:>6.1f} MiB"
                print(line, flush=True)
                million = 1_000_000 / row["trades_per_second"]
                if trades == max(trade_counts) and not args.tracemalloc and jobs == max(job_counts):
                    verdict = "meets" if million <= TARGET_SECONDS_PER_MILLION else "misses"
                    print(
                        f"{'':<16}→ 1,000,000 trades in {million:.0f} s with {jobs} jobs: "
                        f"{verdict} the target of {TARGET_SECONDS_PER_MILLION:.0f} s"
                    )
    if args.profile:
        profile(policy_ids[0], min(trade_counts), behaviour)


if __name__ == "__main__":
    main()
