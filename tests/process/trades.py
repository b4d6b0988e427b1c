"""Small builders for engine tests: Tokyo times by string, and a trade driven step by step.

`TradeUnderTest` wraps the replayer so a test can say what each party does, when, and let
the policy's timers fire up to a moment, exactly as `furima timeline` would.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from furima.process import Action, Actor, Command, TradeSnapshot, default_registry
from furima.process.policy import Policy
from furima.process.replay import Replay

JST = ZoneInfo("Asia/Tokyo")
UTC = ZoneInfo("UTC")


def jst(text: str) -> datetime:
    """'2016-12-09 10:00' (or with seconds) in Asia/Tokyo."""
    return datetime.fromisoformat(text).replace(tzinfo=JST)


class TradeUnderTest:
    def __init__(self, policy: Policy | str, *, price: int = 3000, ship_within: str = "2-3"):
        self.policy = default_registry().resolve(policy) if isinstance(policy, str) else policy
        snapshot = TradeSnapshot.new(
            policy_id=self.policy.id,
            policy_version=self.policy.version,
            price=price,
            ship_within=ship_within,
        )
        self.replay = Replay(self.policy, snapshot)

    @property
    def snapshot(self) -> TradeSnapshot:
        return self.replay.snapshot

    @property
    def state(self) -> str | None:
        return self.snapshot.state.value if self.snapshot.state else None

    def do(self, actor: str, action: str, at: datetime, *, timers: bool = True, **fields):
        """One party's action at `at`, after every timer due by then has fired."""
        if timers:
            self.replay.run_timers(at)
        command = Command(actor=Actor(actor), action=Action(action), **fields)
        return self.replay.apply(at, command)

    def wait_until(self, at: datetime) -> list[dict]:
        """Let the policy's timers fire up to `at`; returns the timer steps that happened."""
        before = len(self.replay.steps)
        self.replay.run_timers(at)
        return self.replay.steps[before:]

    def postings(self):
        return [p for _, _, d in self.replay.decisions if d.accepted for p in d.postings]

    def balance(self, account: str) -> int:
        return sum(p.amount_for(account) for p in self.postings())


def purchased_and_shipped(
    policy: str, *, purchased: str, shipped: str, **options
) -> TradeUnderTest:
    trade = TradeUnderTest(policy, **options)
    assert trade.do("buyer", "purchase", jst(purchased)).accepted
    assert trade.do("seller", "ship", jst(shipped)).accepted
    return trade
