"""The behaviour model file: what it accepts, what it refuses, and how cohorts inherit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from furima.simulate.behaviour import (
    DEFAULT_BEHAVIOUR,
    BehaviourError,
    load_behaviour,
)
from tests.simulate.models import BEHAVIOUR_2016, EXAMPLES, model, replace_line


def test_the_shipped_models_load():
    assert [c.name for c in load_behaviour().cohorts] == ["typical", "silent", "problem"]
    assert "silent" in [c.name for c in load_behaviour(BEHAVIOUR_2016).cohorts]


def test_the_documented_example_is_the_default_model():
    example = EXAMPLES / "behaviour-default.toml"
    assert example.read_text(encoding="utf-8") == DEFAULT_BEHAVIOUR.read_text(encoding="utf-8")


def test_without_cohorts_everybody_is_one_cohort():
    behaviour = model()
    assert [(c.name, c.weight) for c in behaviour.cohorts] == [("all", 1.0)]


def test_a_cohort_overrides_only_the_keys_it_names():
    behaviour = model(
        """
[[cohort]]
name = "chatty"
[cohort.buyer]
message_probability = 0.9
"""
    )
    (chatty,) = behaviour.cohorts
    assert chatty.buyer["message_probability"] == 0.9
    assert chatty.buyer["problem_probability"] == 0.0  # inherited
    assert chatty.seller == model().cohorts[0].seller


def test_the_epoch_is_read_in_tokyo_time():
    behaviour = model(base=replace_line("epoch", "epoch = 2016-11-30T15:00:00Z"))
    assert behaviour.epoch.utcoffset() == timedelta(hours=9)
    assert behaviour.epoch.isoformat() == "2016-12-01T00:00:00+09:00"


@pytest.mark.parametrize(
    ("key", "line", "reason"),
    [
        ("tracked_share", "tracked_share = 1.5", "must be a probability between 0 and 1"),
        ("rates_on_day", "rates_on_day = [0.7, 0.5]", "add up to 1.2, more than 1"),
        ("rates_on_day", 'rates_on_day = ["often"]', "must be a probability"),
        ("transit_hours", 'transit_hours = { "48-12" = 1 }', "ends before it starts"),
        ("transit_hours", 'transit_hours = { "soon" = 1 }', "is not HOURS or LOW-HIGH"),
        ("transit_hours", 'transit_hours = { "1-2" = 0 }', "at least one weight above 0"),
        ("transit_hours", "transit_hours = -3", "must be 0 or more"),
        ("max_reminders", "max_reminders = 1.5", "must be a whole number"),
        ("reminder_every_hours", "reminder_every_hours = 0", "more than 0 hours"),
        ("price_yen", "price_yen = { cheap = 1 }", "not a whole number of yen"),
        ("ship_within", 'ship_within = { "3-5" = 1 }', "is not one of 1-2, 2-3, 4-7"),
        ("epoch", "epoch = 2016-12-01T00:00:00", "needs a UTC offset"),
        ("horizon_days", "horizon_days = 0", "must be between 1 and 366"),
    ],
)
def test_a_bad_value_names_the_file_the_key_and_the_reason(key, line, reason):
    with pytest.raises(BehaviourError) as caught:
        model(base=replace_line(key, line), source="mine.toml")
    message = str(caught.value)
    assert message.startswith("mine.toml: ")
    assert f".{key}: " in message or message.startswith(f"mine.toml: {key}: ")
    assert reason in message
    assert "\n" not in message


def test_a_missing_key_is_named():
    with pytest.raises(BehaviourError, match=r"^test.toml: buyer.cancel_after_hours: missing$"):
        model(base=replace_line("cancel_after_hours", ""))


def test_a_misspelt_key_is_refused_rather_than_ignored():
    with pytest.raises(BehaviourError, match=r"buyer.rate_on_day: unknown key"):
        model(base=replace_line("rates_on_day", "rate_on_day = [0.5]"))


def test_a_bad_cohort_value_is_located_in_its_cohort():
    with pytest.raises(BehaviourError, match=r"cohort\[1\].seller.asks_operator_probability: "):
        model(
            """
[[cohort]]
name = "a"
[[cohort]]
name = "b"
[cohort.seller]
asks_operator_probability = 2
"""
        )


def test_cohort_names_are_unique():
    with pytest.raises(BehaviourError, match=r"cohort\[1\].name: must be a unique"):
        model('[[cohort]]\nname = "a"\n[[cohort]]\nname = "a"\n')


def test_a_file_that_is_not_toml_is_refused_with_its_name(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[seller\n", encoding="utf-8")
    with pytest.raises(BehaviourError, match=r"broken.toml: \(file\): not valid TOML"):
        load_behaviour(path)


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(BehaviourError, match=r"nowhere.toml: \(file\): no such file"):
        load_behaviour(tmp_path / "nowhere.toml")
