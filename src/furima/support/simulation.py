"""The support desk's policy simulation: two policies, the same synthetic traders, one
table and one chart — the `furima simulate` output, in the browser."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from furima.process.registry import default_registry
from furima.simulate import load_behaviour, simulate
from furima.simulate import render as simulate_render
from furima.simulate.chart import draw_chart


def policy_comparison(*, policy_keys: list[str], trades: int, seed: int) -> dict:
    """The comparison table (as the CLI prints it) and the chart as a data: URI."""
    behaviour = load_behaviour()
    registry = default_registry()
    summaries = [
        simulate(registry.resolve(key), behaviour, trades, seed)
        for key in dict.fromkeys(policy_keys)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        draw_chart(summaries, path)
        chart = base64.b64encode(path.read_bytes()).decode("ascii")
    return {
        "table": simulate_render.text(summaries, behaviour, trades, seed),
        "chart": f"data:image/png;base64,{chart}",
    }
