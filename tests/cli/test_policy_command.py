"""`furima policy list | show | check`."""

from furima.cli import main
from furima.process.registry import PACKAGE_POLICY_DIR


def test_list_names_every_shipped_policy(capsys):
    assert main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    for key in ("rakuma-2016@1", "mercari-2016@1", "furima@1"):
        assert key in out


def test_show_prints_the_policy_file(capsys):
    assert main(["policy", "show", "rakuma-2016"]) == 0
    assert 'allowed_from = ["shipped_at + 14d"]' in capsys.readouterr().out


def test_show_an_unknown_policy_exits_2(capsys):
    assert main(["policy", "show", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("furima policy: unknown policy 'nosuch'") and err.count("\n") == 1


def test_check_accepts_a_good_file(capsys):
    assert main(["policy", "check", str(PACKAGE_POLICY_DIR / "furima.v1.toml")]) == 0
    assert "ok (furima@1)" in capsys.readouterr().out


def test_check_names_file_key_and_reason_of_a_bad_file(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    text = (PACKAGE_POLICY_DIR / "furima.v1.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace('"shipped_at + 14d"', '"shipped_at + 14 days"'), encoding="utf-8")
    assert main(["policy", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: auto_evaluation.at_most: cannot read time rule" in err
    assert err.count("\n") == 1
