"""`furima simulate` on the command line: output, errors (exit 2, one line), chart, progress."""

from __future__ import annotations

import json

import pytest

from furima.cli import main
from tests.simulate.models import BEHAVIOUR_2016, EVERYBODY, replace_line

COMPARE = ["simulate", "--policy", "rakuma-2016", "--policy", "furima", "--trades", "150"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr, whether argparse or the command itself stopped it."""
    try:
        status = main(list(args))
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    return status, out, err


def test_the_same_seed_prints_the_same_output(capsys):
    args = [*COMPARE, "--seed", "4", "--behaviour", str(BEHAVIOUR_2016)]
    first = run(capsys, *args)
    assert first[0] == 0
    assert run(capsys, *args) == first
    assert run(capsys, *COMPARE, "--seed", "5", "--behaviour", str(BEHAVIOUR_2016)) != first


@pytest.mark.parametrize("chosen", ["json", "csv"])
def test_every_format_is_deterministic(capsys, chosen):
    args = [*COMPARE, "--seed", "4", "--format", chosen]
    assert run(capsys, *args) == run(capsys, *args)


def test_json_output_lists_each_policy(capsys):
    status, out, _ = run(capsys, *COMPARE, "--format", "json")
    assert status == 0
    assert [p["policy"] for p in json.loads(out)["policies"]] == ["rakuma-2016@1", "furima@2"]


def test_a_behaviour_file_with_a_bad_value_fails_with_exit_2_and_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(replace_line("tracked_share", "tracked_share = 7", EVERYBODY), encoding="utf-8")
    status, out, err = run(capsys, *COMPARE, "--behaviour", str(bad))
    assert status == 2
    assert out == ""
    assert err == (
        f"furima simulate: {bad}: carrier.tracked_share: "
        "must be a probability between 0 and 1, not 7\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--policy", "ebay-1999"], "unknown policy 'ebay-1999'"),
        (["--policy", "furima", "--trades", "0"], "must be 1 or more"),
        (["--policy", "furima", "--chart", "out.jpg"], "must be a .png or .svg file"),
        (["--policy", "furima", "--behaviour", "/nonexistent.toml"], "no such file"),
        (["--policy", "furima", "--policy", "rakuma-2016", "--trace", "0"], "exactly one"),
        (["--policy", "furima", "--trace", "nobody"], "no cohort 'nobody'"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(capsys, args, expected):
    status, out, err = run(capsys, "simulate", *args)
    assert status == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_chart_is_written(tmp_path, capsys, suffix):
    chart = tmp_path / f"payout{suffix}"
    status, _, _ = run(capsys, *COMPARE, "--chart", str(chart))
    assert status == 0
    head = chart.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head


def test_any_number_of_processes_prints_the_same_figures(capsys):
    args = [*COMPARE, "--seed", "4", "--trades", "2100", "--format", "json"]
    one = run(capsys, *args, "--jobs", "1")
    assert one[0] == 0
    assert run(capsys, *args, "--jobs", "2") == one


def test_jobs_must_be_a_positive_whole_number(capsys):
    status, _, err = run(capsys, *COMPARE, "--jobs", "0")
    assert status == 2 and "--jobs" in err


def test_no_progress_bar_unless_asked_when_stderr_is_not_a_terminal(capsys):
    assert run(capsys, *COMPARE)[2] == ""
    status, _, err = run(capsys, *COMPARE, "--progress")
    assert status == 0
    assert "300/300" in err


def test_a_traced_trade_is_a_timeline_script(tmp_path, capsys):
    args = ["simulate", "--policy", "rakuma-2016", "--behaviour", str(BEHAVIOUR_2016)]
    status, out, _ = run(capsys, *args, "--seed", "1", "--trace", "silent")
    assert status == 0
    script = tmp_path / "trade.json"
    script.write_text(out, encoding="utf-8")
    status, out, _ = run(capsys, "timeline", str(script), "--format", "json")
    assert status == 0
    final = json.loads(out)["final"]
    assert final["state"] == "completed"
    assert final["operator_request"]["status"] == "proxy_rated"
