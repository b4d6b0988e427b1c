"""The support desk's policy simulation: two policies, the same synthetic traders, one
table and one chart — the `furima simulate` figures, in the browser, in the reader's
language. The chart is an <img> with a data: URI (the site's CSP allows `img-src data:`); its words
are in the reader's language when the server has a font for it (see `simulate.chart`)."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from django.utils import translation
from django.utils.translation import get_language, gettext, gettext_lazy

from furima.process.registry import default_registry
from furima.simulate import load_behaviour, simulate
from furima.simulate.chart import HOURS_PER_BIN, ChartText, draw_chart, japanese_font
from furima.simulate.render import _rows

ROW_LABELS = [
    gettext_lazy("Days from shipping notice to payout: median"),
    gettext_lazy("… 90th percentile"),
    gettext_lazy("… 99th percentile"),
    gettext_lazy("… longest"),
    gettext_lazy("Paid out within the horizon (%)"),
    gettext_lazy("Completed by the buyer (%)"),
    gettext_lazy("Completed by the operator's proxy rating (%)"),
    gettext_lazy("Completed automatically (%)"),
    gettext_lazy("Cancelled (%)"),
    gettext_lazy("Unfinished at the horizon (%)"),
    gettext_lazy("Operator touches per 1,000 trades"),
    gettext_lazy("Seller actions needed per trade"),
    gettext_lazy("… reminders"),
    gettext_lazy("… operator requests"),
    gettext_lazy("… ratings that release the payout"),
    gettext_lazy("Problem reports accepted"),
    gettext_lazy("Waited out (report after the evaluation)"),
    gettext_lazy("Fees collected (yen)"),
]


def policy_comparison(*, policy_keys: list[str], trades: int, seed: int) -> dict:
    """The comparison as table rows (label, one value per policy) and the chart as a
    data: URI. No file path or other server detail reaches the page."""
    behaviour = load_behaviour()
    registry = default_registry()
    summaries = [
        simulate(registry.resolve(key), behaviour, trades, seed)
        for key in dict.fromkeys(policy_keys)
    ]
    columns = [_rows(s.total, s.horizon_days) for s in summaries]
    rows = [
        (str(label), [column[i][1] for column in columns])
        for i, label in enumerate(ROW_LABELS[: len(columns[0])])
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        draw_chart(summaries, path, **_chart_words())
        chart = base64.b64encode(path.read_bytes()).decode("ascii")
    return {
        "policies": [s.policy for s in summaries],
        "rows": rows,
        "horizon_days": summaries[0].horizon_days,
        "chart": f"data:image/png;base64,{chart}",
        "hours_per_bin": HOURS_PER_BIN,
    }


def _chart_words() -> dict:
    """The chart's words in the page's language. Japanese needs a Japanese font on the
    server; without one the chart keeps its English words (the page explains it around
    them) rather than drawing empty boxes and warning "Glyph missing"."""
    language = (get_language() or "en").split("-")[0]
    font = japanese_font() if language == "ja" else None
    if font is None:
        language = "en"
    with translation.override(language):
        text = ChartText(
            title=gettext("Days from the shipping notice to the seller's payout"),
            per_bin=gettext("Trades paid out (percent)\nper {hours} hours"),
            cumulative=gettext("All trades paid out by then (percent)"),
            days=gettext("days from the shipping notice"),
        )
    return {"text": text, "font": font}
