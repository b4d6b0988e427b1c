"""``furima simulate --chart FILE``: the policies' payout delays on one figure.

Two panels share the x axis (days from the shipping notice to the payout): above, how many
trades are paid out in each quarter day; below, the share of all trades paid out by then.
The lower panel is the one to read at a glance: a policy whose curve rises earlier pays
sellers sooner, and where a curve levels off below 100% the rest were cancelled or never
paid within the horizon.

matplotlib is imported only here, with the Agg canvas set explicitly (no pyplot, no display,
no global state), so the simulator itself and the other commands never pay for it.

The figure's words come in as `ChartText` (English by default). Japanese words need a font
that has their glyphs: `japanese_font()` finds one among the usual Debian packages
(fonts-ipafont-gothic, fonts-noto-cjk …). The font is set on each text of the figure, never
in matplotlib's global rcParams (a web process draws charts in several threads), with
DejaVu Sans after it as the fallback for anything it lacks. Without such a font the caller
keeps the English words: a "Glyph missing" warning would otherwise draw empty boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

from furima.simulate.summary import Summary

FORMATS = (".png", ".svg")
HOURS_PER_BIN = 6
JAPANESE_FONTS = (
    "IPAexGothic",
    "IPAGothic",
    "IPAPGothic",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "TakaoGothic",
    "VL Gothic",
)
"""Families that cover Japanese, in order of preference (Debian: fonts-ipafont-gothic,
fonts-ipaexfont-gothic, fonts-noto-cjk, fonts-takao-gothic, fonts-vlgothic)."""


@dataclass(frozen=True, slots=True)
class ChartText:
    """Every word on the figure; `{hours}` is the width of one bar in hours."""

    title: str = "Days from the shipping notice to the seller's payout"
    per_bin: str = "Trades paid out (percent)\nper {hours} hours"
    cumulative: str = "All trades paid out by then (percent)"
    days: str = "days from the shipping notice"


@cache
def japanese_font() -> str | None:
    """The first installed family of `JAPANESE_FONTS`, or None when there is none."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in JAPANESE_FONTS if name in installed), None)


def draw_chart(
    summaries: Sequence[Summary],
    path: Path,
    *,
    title: str = "",
    text: ChartText | None = None,
    font: str | None = None,
) -> None:
    """Write the figure to `path` (.png or .svg, by its suffix), its words in `font` (a
    family name, e.g. `japanese_font()`) with DejaVu Sans as the fallback."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

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
    text = text or ChartText()
    words = FontProperties(family=[font, "DejaVu Sans"] if font else ["DejaVu Sans"])
    per_bin.set_ylabel(text.per_bin.format(hours=HOURS_PER_BIN), fontproperties=words)
    per_bin.set_title(title or text.title, fontproperties=words)
    per_bin.legend(prop=words)
    cumulative.set_ylabel(text.cumulative, fontproperties=words)
    cumulative.set_xlabel(text.days, fontproperties=words)
    cumulative.set_ylim(0, 100)
    cumulative.set_xlim(0, last_day)
    for axes in (per_bin, cumulative):
        axes.grid(True, alpha=0.3)
    metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
    figure.savefig(path, format=suffix[1:], metadata=metadata)
