"""Policy files: the shipped ones load, bad ones fail with file, key and reason, and a trade
keeps the policy version it started under."""

from pathlib import Path

import pytest

from furima.process import ErrorCode, PolicyRegistry, default_registry
from furima.process.policy import PolicyError, policy_from_toml
from furima.process.registry import PACKAGE_POLICY_DIR
from tests.process.trades import TradeUnderTest, jst

FURIMA_V1 = (PACKAGE_POLICY_DIR / "furima.v1.toml").read_text(encoding="utf-8")


def test_the_contracts_policies_are_shipped():
    ids = {p.id for p in default_registry().all()}
    assert {"rakuma-2016", "mercari-2016", "furima"} <= ids


def test_fee_rates_are_policy_data():
    registry = default_registry()
    fees = {pid: registry.get(pid).fee_percent for pid in ("rakuma-2016", "mercari-2016", "furima")}
    assert fees == {"rakuma-2016": 0, "mercari-2016": 10, "furima": 5}


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ("fee_percent = 5", "fee_percent = 150", "fee_percent", "between 0 and 100"),
        ("fee_percent = 5", 'fee_percent = "5"', "fee_percent", "must be an integer"),
        ("version = 1", "version = 0", "version", "1 or more"),
        (
            '"shipped_at + 5d@13:00"',
            '"shiped_at + 5d@13:00"',
            "operator_request.allowed_from[0]",
            "unknown anchor",
        ),
        (
            'rating = "good"\ncomment = "furima',
            'rating = "great"\ncomment = "furima',
            "proxy_rating.rating",
            "unknown rating",
        ),
        ('timezone = "Asia/Tokyo"', 'timezone = "Asia/Atlantis"', "timezone", "unknown time zone"),
        (
            "[seller_rating]",
            '[seller_rating]\nclose_at = "buyer_rated_at + 1d"',
            "seller_rating.close_at",
            "unknown key",
        ),
        ('id = "furima"', 'id = "furima"\nfee = 3', "fee", "unknown key"),
    ],
)
def test_a_bad_policy_names_file_key_and_reason(old, new, key, reason):
    assert old in FURIMA_V1
    with pytest.raises(PolicyError) as raised:
        policy_from_toml(FURIMA_V1.replace(old, new, 1), source="edited.toml")
    assert raised.value.source == "edited.toml"
    assert raised.value.key == key
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"edited.toml: {key}: ")


def test_malformed_toml_is_reported_with_the_file():
    with pytest.raises(PolicyError, match=r"^broken.toml: \(file\): not valid TOML"):
        policy_from_toml("id = ", source="broken.toml")


def test_a_trade_keeps_its_pinned_version_after_the_policy_is_edited(tmp_path: Path):
    (tmp_path / "furima.v1.toml").write_text(FURIMA_V1, encoding="utf-8")
    registry = PolicyRegistry.from_directories(tmp_path)
    trade = TradeUnderTest(registry.get("furima"))
    trade.do("buyer", "purchase", jst("2026-03-02 20:00"))
    trade.do("seller", "ship", jst("2026-03-03 10:00"))

    edited = FURIMA_V1.replace("version = 1", "version = 2").replace(
        '"shipped_at + 5d@13:00"', '"shipped_at + 1d"'
    )
    (tmp_path / "furima.v2.toml").write_text(edited, encoding="utf-8")
    registry = PolicyRegistry.from_directories(tmp_path)
    assert registry.get("furima").version == 2

    pinned = registry.get(trade.snapshot.policy_id, trade.snapshot.policy_version)
    assert pinned.version == 1
    trade.replay.policy = pinned
    decision = trade.do("seller", "request_operator", jst("2026-03-05 10:00"))
    assert decision.code is ErrorCode.TOO_EARLY
    assert decision.allowed_from == jst("2026-03-08 13:00")


def test_the_engine_refuses_a_policy_the_trade_is_not_pinned_to():
    trade = TradeUnderTest("furima")
    trade.replay.policy = default_registry().get("mercari-2016")
    with pytest.raises(ValueError, match="pinned to furima@2"):
        trade.do("buyer", "purchase", jst("2026-03-02 20:00"))


def test_two_files_defining_the_same_version_are_refused(tmp_path: Path):
    (tmp_path / "a.toml").write_text(FURIMA_V1, encoding="utf-8")
    (tmp_path / "b.toml").write_text(FURIMA_V1, encoding="utf-8")
    with pytest.raises(PolicyError, match="also defined in"):
        PolicyRegistry.from_directories(tmp_path)


def test_policies_are_looked_up_by_id_or_id_at_version():
    registry = default_registry()
    assert registry.resolve("furima@1").version == 1
    with pytest.raises(LookupError, match="unknown policy 'furima@99'"):
        registry.resolve("furima@99")
    with pytest.raises(LookupError, match="unknown policy 'nope'"):
        registry.resolve("nope")
