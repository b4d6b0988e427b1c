"""``furima simulate`` output: policies side by side as a text table, JSON or CSV.

Shares are shown with one decimal, rounded so the displayed outcome columns add up to
exactly 100.0 (largest remainder): a reader who adds them up should not find 99.9.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence

from furima.simulate.behaviour import Behaviour
from furima.simulate.distributions import MINUTES_PER_DAY
from furima.simulate.summary import OUTCOMES, Summary, Tally

OUTCOME_LABELS = {
    "buyer": "completed by the buyer",
    "proxy": "completed by proxy (operator)",
    "automatic": "completed automatically",
    "cancelled": "cancelled",
    "unfinished": "unfinished at the horizon",
}


def rounded_shares(counts: Sequence[int], decimals: int = 1) -> list[float]:
    """Percentages of `counts` with `decimals` places that add up to exactly 100."""
    total = sum(counts)
    if not total:
        return [0.0] * len(counts)
    scale = 100 * 10**decimals
    exact = [count * scale / total for count in counts]
    units = [int(x) for x in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (units[i] - exact[i], i))
    for i in by_remainder[: scale - sum(units)]:
        units[i] += 1
    return [unit / 10**decimals for unit in units]


def _days(minutes: int | None) -> str:
    return "-" if minutes is None else f"{minutes / MINUTES_PER_DAY:.1f}"


def _rows(tally: Tally, horizon_days: int) -> list[tuple[str, str]]:
    payout = tally.payouts.percentiles()
    shares = rounded_shares([tally.outcomes[name] for name in OUTCOMES])
    paid = rounded_shares([tally.payouts.total, tally.trades - tally.payouts.total])[0]
    rows = [
        ("shipping notice → payout, days  p50", _days(payout["p50"])),
        ("                                p90", _days(payout["p90"])),
        ("                                p99", _days(payout["p99"])),
        ("                                max", _days(payout["max"])),
        ("paid out within the horizon (%)", f"{paid:.1f}"),
    ]
    for name, share in zip(OUTCOMES, shares, strict=True):
        label = OUTCOME_LABELS[name]
        if name == "unfinished":
            label = f"unfinished after {horizon_days} days"
        rows.append((f"{label} (%)", f"{share:.1f}"))
    rows += [
        (
            "operator touches per 1,000 trades",
            f"{1000 * tally.per_trade(tally.operator_touches):.1f}",
        ),
        ("seller actions needed per trade", f"{tally.per_trade(tally.seller_actions):.2f}"),
        ("  reminders", f"{tally.per_trade(tally.seller_reminders):.2f}"),
        ("  operator requests", f"{tally.per_trade(tally.seller_requests):.2f}"),
        (
            "  ratings that release the payout",
            f"{tally.per_trade(tally.seller_ratings_needed):.2f}",
        ),
        ("problem reports accepted", f"{tally.problems_reported:,}"),
        ("waited out (report refused as too late)", f"{tally.waited_out:,}"),
        ("  per 100,000 trades", f"{100_000 * tally.per_trade(tally.waited_out):.1f}"),
        ("claims after the payout", f"{tally.claims_after_payout:,}"),
        ("  refunded after the payout", f"{tally.refunds_after_payout:,}"),
        ("  refunds after the payout (yen)", f"{tally.refunded_after_payout:,}"),
        ("  recovered from sellers (yen)", f"{tally.recovered_from_sellers:,}"),
        ("  paid by the guarantee (yen)", f"{tally.guarantee_paid:,}"),
        (
            "  guarantee per 1,000 trades (yen)",
            f"{1000 * tally.per_trade(tally.guarantee_paid):,.0f}",
        ),
        ("fees collected (yen)", f"{tally.fees:,}"),
    ]
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: Sequence[str], columns: Sequence[list[tuple[str, str]]]) -> list[str]:
    labels = [label for label, _ in columns[0]]
    label_width = max(_width(label) for label in labels)
    widths = [
        max(len(name), *(len(value) for _, value in column))
        for name, column in zip(header, columns, strict=True)
    ]
    lines = [
        " " * label_width
        + "".join(f"  {name:>{w}}" for name, w in zip(header, widths, strict=True))
    ]
    for row, label in enumerate(labels):
        cells = "".join(
            f"  {column[row][1]:>{w}}" for column, w in zip(columns, widths, strict=True)
        )
        lines.append(label + " " * (label_width - _width(label)) + cells)
    return lines


def text(summaries: Sequence[Summary], behaviour: Behaviour, trades: int, seed: int) -> str:
    first = summaries[0]
    header = [s.policy for s in summaries]
    lines = [
        f"furima simulate: {trades:,} trades per policy, seed {seed}, "
        f"behaviour {behaviour.name!r} ({behaviour.source}), horizon {first.horizon_days} days",
        "",
        *_table(header, [_rows(s.total, s.horizon_days) for s in summaries]),
    ]
    if len(first.cohorts) > 1:
        weights = rounded_shares([round(c.weight * 1000) for c in behaviour.cohorts])
        for cohort, weight in zip(behaviour.cohorts, weights, strict=True):
            tallies = [s.cohorts[cohort.name] for s in summaries]
            lines += [
                "",
                f"cohort {cohort.name!r}: {weight:.1f}% of trades by weight, "
                f"{tallies[0].trades:,} simulated",
                *_table(header, [_rows(t, first.horizon_days) for t in tallies])[1:],
            ]
    return "\n".join(lines) + "\n"


def as_json(summaries: Sequence[Summary], behaviour: Behaviour, trades: int, seed: int) -> str:
    document = {
        "trades": trades,
        "seed": seed,
        "behaviour": {"name": behaviour.name, "source": behaviour.source},
        "policies": [summary.as_dict() for summary in summaries],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "policy",
    "cohort",
    "trades",
    "payout_p50_days",
    "payout_p90_days",
    "payout_p99_days",
    "payout_max_days",
    "paid_out",
    *(f"share_{name}_percent" for name in OUTCOMES),
    "operator_touches_per_1000",
    "seller_actions_per_trade",
    "seller_reminders_per_trade",
    "seller_requests_per_trade",
    "seller_ratings_needed_per_trade",
    "problems_reported",
    "waited_out",
    "waited_out_per_100000",
    "fees_yen",
    "claims_after_payout",
    "refunds_after_payout",
    "refunded_after_payout_yen",
    "recovered_from_sellers_yen",
    "guarantee_paid_yen",
    "guarantee_paid_yen_per_1000",
)


def _csv_row(policy: str, cohort: str, tally: Tally) -> dict:
    figures = tally.as_dict()
    row = {"policy": policy, "cohort": cohort, "trades": tally.trades}
    for name, days in figures["payout_days"].items():
        row[f"payout_{name}_days"] = "" if days is None else days
    row["paid_out"] = figures["paid_out"]
    for name, share in figures["shares_percent"].items():
        row[f"share_{name}_percent"] = share
    for name in CSV_COLUMNS:
        if name not in row:
            row[name] = figures[name]
    return row


def as_csv(summaries: Sequence[Summary]) -> str:
    """One row per policy (cohort "total") and one per policy and cohort."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for summary in summaries:
        writer.writerow(_csv_row(summary.policy, "total", summary.total))
        for name, tally in summary.cohorts.items():
            writer.writerow(_csv_row(summary.policy, name, tally))
    return out.getvalue()
