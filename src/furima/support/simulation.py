"""The support desk's policy simulation: two policies, the same synthetic traders, one
table and one chart — the `furima simulate` figures, in the browser, in the reader's
language. The chart is an <img> with a data: URI (the site's CSP allows `img-src data:`)."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from django.utils.translation import gettext_lazy

from furima.process.registry import default_registry
from furima.simulate import load_behaviour, simulate
from furima.simulate.chart import draw_chart
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
        # The picture's own labels stay in English: the fonts on a server need not cover
        # Japanese. The page explains the chart in the reader's language around it.
        draw_chart(summaries, path)
        chart = base64.b64encode(path.read_bytes()).decode("ascii")
    return {
        "policies": [s.policy for s in summaries],
        "rows": rows,
        "horizon_days": summaries[0].horizon_days,
        "chart": f"data:image/png;base64,{chart}",
    }
