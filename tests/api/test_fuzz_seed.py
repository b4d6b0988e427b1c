"""`make fuzz` seeds its database with tools/fuzz_seed.py before the long campaign; the seed
must keep up with the code it calls (it once imported the purchase from where it had moved
out, and the campaign never started)."""

from __future__ import annotations

import runpy
from pathlib import Path

from furima.trades.models import Trade

SEED = Path(__file__).resolve().parents[2] / "tools" / "fuzz_seed.py"


def test_the_fuzz_seed_makes_trades_in_every_state_and_prints_its_token(db, clock, capsys):
    runpy.run_path(str(SEED), run_name="fuzz_seed")["main"]()

    printed = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert printed.keys() == {"FUZZ_TOKEN", "FUZZ_TRADES", "FUZZ_LISTINGS"}
    trades = Trade.objects.filter(pk__in=printed["FUZZ_TRADES"].split(","))
    assert sorted(set(trades.values_list("state", flat=True))) == [
        "awaiting_seller_rating",
        "awaiting_shipment",
        "shipped",
    ]
    assert len(printed["FUZZ_LISTINGS"].split(",")) == 20
