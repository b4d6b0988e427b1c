"""Small behaviour models for simulator tests, written as TOML like a user would."""

from __future__ import annotations

from pathlib import Path

from furima.simulate.behaviour import Behaviour, behaviour_from_toml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BEHAVIOUR_2016 = EXAMPLES / "behaviour-2016.toml"

EVERYBODY = """
[simulation]
epoch = 2016-12-01T00:00:00+09:00
purchase_window_days = 31
horizon_days = 120

[trade]
price_yen = { 3000 = 1 }
ship_within = { "1-2" = 1 }

[carrier]
transit_hours = 36
tracked_share = 0.5

[seller]
never_ships_probability = 0.0
shipping_delay_hours = { "1-24" = 1 }
reminds_probability = 0.0
first_reminder_after_hours = 72
reminder_every_hours = 24
max_reminders = 0
asks_operator_probability = 1.0
asks_operator_after_hours = 0
never_rates_probability = 0.0
rating_delay_hours = 0

[buyer]
rates_on_day = []
reminder_response_probability = 0.0
reminder_response_hours = 1
message_probability = 0.0
message_after_hours = 24
problem_probability = 0.0
problem_after_hours = 24
cancel_after_hours = 24

[operator]
review_hours = 24
problem_refund_probability = 0.5
"""
"""Every key, every value fixed: a silent buyer and a seller who asks as soon as allowed."""


def model(extra: str = "", *, base: str = EVERYBODY, source: str = "test.toml") -> Behaviour:
    return behaviour_from_toml(base + extra, source=source)


def replace_line(key: str, line: str, base: str = EVERYBODY) -> str:
    """`base` with the line that sets `key` replaced by `line` ("" to drop it)."""
    lines = [line if row.split("=")[0].strip() == key else row for row in base.splitlines()]
    assert lines != base.splitlines(), f"no line sets {key}"
    return "\n".join(lines) + "\n"


BUSY_LINES = {
    "ship_within": 'ship_within = { "1-2" = 1, "4-7" = 1 }',
    "transit_hours": 'transit_hours = { "12-100" = 1 }',
    "never_ships_probability": "never_ships_probability = 0.15",
    "shipping_delay_hours": 'shipping_delay_hours = { "1-120" = 1 }',
    "reminds_probability": "reminds_probability = 0.7",
    "first_reminder_after_hours": 'first_reminder_after_hours = { "24-120" = 1 }',
    "reminder_every_hours": "reminder_every_hours = 20",
    "max_reminders": "max_reminders = 3",
    "asks_operator_probability": "asks_operator_probability = 0.6",
    "asks_operator_after_hours": 'asks_operator_after_hours = { "0-48" = 1 }',
    "never_rates_probability": "never_rates_probability = 0.1",
    "rating_delay_hours": 'rating_delay_hours = { "0-96" = 1 }',
    "rates_on_day": "rates_on_day = [0.2, 0.1, 0.1, 0.05, 0.05, 0.05]",
    "reminder_response_probability": "reminder_response_probability = 0.3",
    "reminder_response_hours": 'reminder_response_hours = { "0-30" = 1 }',
    "message_probability": "message_probability = 0.4",
    "message_after_hours": 'message_after_hours = { "0-200" = 1 }',
    "problem_probability": "problem_probability = 0.25",
    "problem_after_hours": 'problem_after_hours = { "0-200" = 1 }',
    "cancel_after_hours": 'cancel_after_hours = { "0-48" = 1 }',
    "review_hours": 'review_hours = { "1-72" = 1 }',
}


def busy() -> Behaviour:
    """Everything that can happen in a trade happens often: for checks across every path."""
    text = EVERYBODY
    for key, line in BUSY_LINES.items():
        text = replace_line(key, line, text)
    return model(base=text, source="busy.toml")
