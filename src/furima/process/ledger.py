"""Ledger postings as data: integer yen, double-entry, every posting balanced.

The engine says *what* moves; the `ledger` Django app maps these trade-local account names to
real accounts (the buyer's payment, the trade's escrow, the seller's sales balance, the
platform's fee income) and stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

BUYER = "buyer"
ESCROW = "escrow"
SELLER = "seller"
PLATFORM_FEES = "platform_fees"
GUARANTEE = "platform_guarantee"
"""Where a refund after the payout comes from when the seller's sales balance cannot cover
it (not posted by the engine, which cannot see the seller's balance: the ledger app splits
the seller's share of a `claim_refund`, and nets the seller's debt from later releases)."""


@dataclass(frozen=True, slots=True)
class Entry:
    account: str
    amount: int  # yen; positive = debit (money arrives), negative = credit (money leaves)


@dataclass(frozen=True, slots=True)
class Posting:
    kind: str  # "purchase" | "release" | "refund" | "claim_refund"
    entries: tuple[Entry, ...]
    # Net amount per account, summed once: postings are immutable and shared (see the caches
    # below), and the simulator asks every posting of a million trades what the seller got.
    _net: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if any(type(e.amount) is not int for e in self.entries):
            raise TypeError("ledger amounts are integer yen")
        if sum(e.amount for e in self.entries) != 0:
            raise ValueError(f"unbalanced posting {self!r}")
        net: dict[str, int] = {}
        for entry in self.entries:
            net[entry.account] = net.get(entry.account, 0) + entry.amount
        object.__setattr__(self, "_net", net)

    def amount_for(self, account: str) -> int:
        """What the posting moves into `account` (negative: out of it), 0 if it is not in it."""
        return self._net.get(account, 0)


def fee_for(price: int, fee_percent: int) -> int:
    """The platform fee, rounded down to the yen (the seller never pays a fraction)."""
    return price * fee_percent // 100


@lru_cache(maxsize=4096)  # immutable values, rebuilt on every trade otherwise
def purchase_posting(price: int) -> Posting:
    return Posting("purchase", (Entry(BUYER, -price), Entry(ESCROW, price)))


@lru_cache(maxsize=4096)  # immutable values, rebuilt on every trade otherwise
def release_posting(price: int, fee_percent: int) -> Posting:
    fee = fee_for(price, fee_percent)
    entries = [Entry(ESCROW, -price), Entry(SELLER, price - fee)]
    if fee:
        entries.append(Entry(PLATFORM_FEES, fee))
    return Posting("release", tuple(entries))


@lru_cache(maxsize=4096)  # immutable values, rebuilt on every trade otherwise
def refund_posting(price: int) -> Posting:
    return Posting("refund", (Entry(ESCROW, -price), Entry(BUYER, price)))


@lru_cache(maxsize=4096)  # immutable values
def claim_refund_posting(amount: int) -> Posting:
    """A refund after the escrow was released to the seller: it comes back from the seller's
    side (their sales balance, or the platform guarantee for what that cannot cover)."""
    if amount <= 0:
        raise ValueError("a claim refund is a positive number of yen")
    return Posting("claim_refund", (Entry(SELLER, -amount), Entry(BUYER, amount)))
