"""`furima timeline` as CONTRACT.md specifies it: JSON in, steps and final state out, and
exit 2 with exactly one line on stderr for every kind of invalid script."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from furima.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "rakuma-2016-silent-buyer.json"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "furima", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def timeline(tmp_path, capsys):
    """Runs `furima timeline` in-process on a script; returns (exit code, JSON, stderr)."""

    def run(data) -> tuple[int, dict | None, str]:
        path = tmp_path / "script.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        code = main(["timeline", str(path), "--format", "json"])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if out else None), err

    return run


def script(*events, policy="rakuma-2016", **extra):
    return {"policy": policy, "events": list(events), **extra}


PURCHASE = {"at": "2016-12-08T21:00:00+09:00", "actor": "buyer", "action": "purchase"}
SHIP = {"at": "2016-12-09T10:00:00+09:00", "actor": "seller", "action": "ship"}


def test_the_seed_case_reproduces_the_14_plus_3_day_rule():
    result = run_cli("timeline", str(SEED))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)  # JSON is the default when stdout is not a terminal
    assert output["policy"] == {"id": "rakuma-2016", "version": 1}
    rejected = output["steps"][3]
    assert rejected == {
        "at": "2016-12-22T09:00:00+09:00",
        "actor": "seller",
        "action": "request_operator",
        "accepted": False,
        "error": "too_early",
        "allowed_from": "2016-12-23T10:00:00+09:00",
        "detail": rejected["detail"],
        "state": "shipped",
    }
    proxy = output["steps"][5]
    assert (proxy["at"], proxy["actor"], proxy["action"]) == (
        "2016-12-26T15:00:00+09:00",
        "operator",
        "proxy_rate",
    )
    assert sorted(proxy["notify"]) == ["buyer", "seller"]
    final = output["final"]
    assert final["state"] == "completed"
    assert final["completed_at"] == "2016-12-30T12:00:00+09:00"
    assert final["ratings"]["buyer"]["by"] == "operator"
    assert (
        final["ratings"]["buyer"]["comment"] == "ラクマ・カスタマーサポートより評価いたしました。"
    )
    assert final["ratings"]["seller"]["by"] == "seller"
    assert final["operator_request"]["status"] == "proxy_rated"
    assert final["operator_request"]["opened_at"] == "2016-12-23T15:00:00+09:00"


def test_every_step_carries_the_contract_fields():
    output = json.loads(run_cli("timeline", str(SEED)).stdout)
    for step in output["steps"]:
        assert {"at", "actor", "action", "accepted", "state"} <= step.keys()
        assert step["at"].endswith("+09:00")
        assert ("error" in step) is (not step["accepted"])


def test_the_script_can_come_from_standard_input():
    result = run_cli("timeline", "-", stdin=SEED.read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert json.loads(result.stdout)["final"]["state"] == "completed"


def test_the_text_format_is_a_readable_japanese_table():
    result = run_cli("timeline", str(SEED), "--format", "text")
    assert result.returncode == 0
    assert "事務局へ評価依頼" in result.stdout
    assert "2016/12/26(月) 15:00" in result.stdout
    english = run_cli("timeline", str(SEED), "--format", "text", "--lang", "en")
    assert "request_operator" in english.stdout and "Final state" in english.stdout


def test_utc_inputs_come_out_in_tokyo_time(timeline):
    events = [
        {"at": "2016-12-08T12:00:00Z", "actor": "buyer", "action": "purchase"},
        {"at": "2016-12-09T01:00:00+00:00", "actor": "seller", "action": "ship"},
    ]
    code, output, _ = timeline(script(*events))
    assert code == 0
    assert [s["at"] for s in output["steps"]] == [
        "2016-12-08T21:00:00+09:00",
        "2016-12-09T10:00:00+09:00",
    ]


def test_timers_fire_up_to_until_and_not_beyond(timeline):
    events = [
        PURCHASE,
        SHIP,
        {"at": "2016-12-23T10:00:00+09:00", "actor": "seller", "action": "request_operator"},
    ]
    code, output, _ = timeline(script(*events, until="2016-12-26T09:59:00+09:00"))
    assert code == 0 and output["final"]["state"] == "shipped"
    code, output, _ = timeline(script(*events, until="2016-12-26T10:00:00+09:00"))
    assert output["final"]["state"] == "awaiting_seller_rating"
    assert output["final"]["ratings"]["seller"] is None


def test_a_rejected_step_is_data_not_a_failure(timeline):
    events = [PURCHASE, SHIP, {**SHIP, "at": "2016-12-09T11:00:00+09:00"}]
    code, output, err = timeline(script(*events))
    assert code == 0 and err == ""
    assert output["steps"][2]["error"] == "not_allowed_in_state"


def test_an_unknown_rating_value_is_a_rejected_step(timeline):
    rate = {
        "at": "2016-12-10T10:00:00+09:00",
        "actor": "buyer",
        "action": "rate",
        "rating": "excellent",
    }
    code, output, _ = timeline(script(PURCHASE, SHIP, rate))
    assert code == 0
    assert output["steps"][2]["error"] == "invalid_rating"
    assert output["final"]["ratings"]["buyer"] is None


def test_missing_ratings_and_request_are_null(timeline):
    _, output, _ = timeline(script(PURCHASE))
    assert output["final"]["ratings"] == {"buyer": None, "seller": None}
    assert output["final"]["operator_request"] is None
    assert output["final"]["completed_at"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (script(PURCHASE, policy="nosuch"), "unknown policy 'nosuch'"),
        ({"events": [PURCHASE]}, "missing required field 'policy'"),
        (script(), "missing required field 'events'"),
        (
            script({"actor": "buyer", "action": "purchase"}),
            "events[0]: missing required field 'at'",
        ),
        (
            script({**PURCHASE, "at": "2016-12-08T21:00:00"}),
            "events[0]: '2016-12-08T21:00:00' has no UTC offset",
        ),
        (script({**PURCHASE, "at": "yesterday"}), "events[0]: 'yesterday' is not an ISO 8601 time"),
        (script(PURCHASE, {**SHIP, "actor": "courier"}), "events[1]: unknown actor 'courier'"),
        (script(PURCHASE, {**SHIP, "action": "teleport"}), "events[1]: unknown action 'teleport'"),
        (
            script(PURCHASE, {**SHIP, "at": "2016-12-08T20:00:00+09:00"}),
            "events[1]: time goes backwards",
        ),
        (script(SHIP), "events[0]: the first event must be the buyer's purchase"),
        (
            script({**PURCHASE, "actor": "seller"}),
            "events[0]: the first event must be the buyer's purchase",
        ),
        (script(PURCHASE, {**SHIP, "action": "rate"}), "events[1]: rate needs the field 'rating'"),
        (
            script(PURCHASE, {**SHIP, "action": "message"}),
            "events[1]: message needs the field 'text'",
        ),
        (script(PURCHASE, "ship"), "events[1]: an event is a JSON object"),
        (script({**PURCHASE, "price": -5}), "events[0]: 'price' must be a whole number of yen"),
        (script({**PURCHASE, "ship_within": "1-9"}), "events[0]: 'ship_within' must be one of"),
        (script(PURCHASE, until="2016-12-01T00:00:00+09:00"), "until: is before the last event"),
        ([PURCHASE], "the script must be a JSON object"),
        (
            script({**PURCHASE, "at": "0001-01-01T00:00:00+09:00"}),
            "events[0]: '0001-01-01T00:00:00+09:00' is out of range (from 1970 to before 2200)",
        ),
        (
            script({**PURCHASE, "at": "9999-12-31T23:59:00+09:00"}),
            "events[0]: '9999-12-31T23:59:00+09:00' is out of range",
        ),
        (script(PURCHASE, until="9999-12-31T00:00:00Z"), "until: '9999-12-31T00:00:00Z' is out"),
        (
            script(PURCHASE, *[{**SHIP, "action": "message", "text": "?"}] * 2000),
            "events: 2,001 events; at most 2,000 are replayed",
        ),
        (
            script(PURCHASE, {**SHIP, "action": "message", "text": "x" * 1_000_000}),
            "long; at most 1,000,000 is accepted",
        ),
        (
            script(PURCHASE, {**SHIP, "action": "request_cancel"}),
            "events[1]: request_cancel needs the field 'reason'",
        ),
    ],
)
def test_an_invalid_script_exits_2_with_one_line(data, message, timeline):
    code, output, err = timeline(data)
    assert code == 2
    assert output is None
    assert err.count("\n") == 1
    assert message in err


def test_malformed_json_exits_2_with_one_line():
    result = run_cli("timeline", "-", stdin='{"policy": "furima", "events": [')
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("furima timeline: -: malformed JSON")
    assert result.stderr.count("\n") == 1


def test_a_missing_file_exits_2_with_one_line():
    result = run_cli("timeline", "/nonexistent/script.json")
    assert (result.returncode, result.stderr) == (
        2,
        "furima timeline: /nonexistent/script.json: no such file\n",
    )


def test_a_bad_option_exits_2_with_one_line():
    result = run_cli("timeline", str(SEED), "--format", "xml")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "invalid choice" in result.stderr


def test_the_text_format_marks_a_skipped_reminder_and_when_a_late_timer_was_due():
    from furima.cli.render import timeline_table

    step = {
        "at": "2026-03-11T08:00:00+09:00",
        "due_at": "2026-03-06T13:00:00+09:00",
        "actor": "system",
        "action": "remind",
        "accepted": True,
        "skipped": True,
        "notify": [],
        "state": "shipped",
    }
    final = {"state": "shipped", "ratings": {"buyer": None, "seller": None}}
    result = {"policy": {"id": "furima", "version": 1}, "steps": [step], "final": final}
    final["operator_request"] = None

    assert "スキップ（期限超過） (予定 2026/03/06(金) 13:00)" in timeline_table(result, lang="ja")
    assert "skipped (overtaken) (due Fri 2026-03-06 13:00)" in timeline_table(result, lang="en")


def test_times_just_inside_the_range_replay(timeline):
    code, output, _ = timeline(
        script(
            {**PURCHASE, "at": "2199-12-20T00:00:00+09:00"},
            policy="furima",
            until="2199-12-31T23:59:59+09:00",
        )
    )
    assert code == 0
    assert output["final"]["state"] == "cancelled"  # never shipped: the engine refunds
