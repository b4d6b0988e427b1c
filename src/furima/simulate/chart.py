"""``furima simulate --chart FILE``: the policies' payout delays on one figure.

Two panels share the x axis (days from the shipping notice to the payout): above, how many
trades are paid out in each quarter day; below, the share of all trades paid out by then.
The lower panel is the one to read at a glance: a policy whose curve rises earlier pays
sellers sooner, and where a curve levels off below 100% the rest were cancelled or never
paid within the horizon.

matplotlib is imported only here, with the Agg canvas set explicitly (no pyplot, no display,
no global state), so the simulator itself and the other commands never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

from furima.simulate.summary import Summary

FORMATS = (".png", ".svg")
HOURS_PER_BIN = 6


def draw_chart(summaries: Sequence[Summary], path: Path, *, title: str = "") -> None:
    """Write the figure to `path` (.png or .svg, by its suffix)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: the chart must be a .png or .svg file")
    figure = Figure(figsize=(9, 6.5), layout="constrained")
    FigureCanvasAgg(figure)
    per_bin, cumulative = figure.subplots(2, 1, sharex=True, height_ratios=(1, 1.4))
    last_day = 1.0
    for summary in summaries:
        tally = summary.total
        hours = tally.payouts.by_hour()
        bins = [
            sum(hours[start : start + HOURS_PER_BIN])
            for start in range(0, len(hours), HOURS_PER_BIN)
        ]
        days = [i * HOURS_PER_BIN / 24 for i in range(len(bins) + 1)]
        trades = tally.trades or 1
        per_bin.stairs([100 * b / trades for b in bins], days, label=summary.policy)
        paid = [0.0, *(100 * c / trades for c in accumulate(bins))]
        cumulative.step(days, paid, where="post", label=summary.policy)
        top = tally.payouts.percentiles()["max"]
        if top is not None:
            last_day = max(last_day, top / 1440 + 1)
    per_bin.set_ylabel(f"% of trades paid out\nper {HOURS_PER_BIN} hours")
    per_bin.set_title(title or "Days from the shipping notice to the seller's payout")
    per_bin.legend()
    cumulative.set_ylabel("% of all trades paid out by then")
    cumulative.set_xlabel("days from the shipping notice")
    cumulative.set_ylim(0, 100)
    cumulative.set_xlim(0, last_day)
    for axes in (per_bin, cumulative):
        axes.grid(True, alpha=0.3)
    metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
    figure.savefig(path, format=suffix[1:], metadata=metadata)
