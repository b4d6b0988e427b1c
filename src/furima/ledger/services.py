"""Recording the engine's postings in the ledger.

The engine speaks of trade-local accounts ("buyer", "escrow", "seller", "platform_fees");
here they become real accounts: the buyer's and the seller's own, and the shared escrow and
fee accounts. Called by the trade services inside their transaction, for one trade or a
whole batch of the worker's, with a fixed number of queries either way.

One thing the engine cannot know is the seller's balance across trades. So the seller's share
of a refund after the payout (`claim_refund`) is split here: the sales balance pays what it
can and the platform guarantee the rest, which the seller then owes; and a later release to a
seller who owes pays the guarantee back first (`_settle_seller_debts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.db.models import Q, Sum

from furima.dbrows import insert_rows
from furima.ledger.models import (
    PER_USER_KINDS,
    AccountKind,
    LedgerAccount,
    LedgerEntry,
    LedgerPosting,
)
from furima.process import ledger as engine_ledger

AccountKey = tuple[str, int | None]  # (kind, user id or None for shared accounts)


class TradeRow(Protocol):
    """What the ledger reads of a trade (`trades.Trade`, not imported: the ledger sits below
    the trades)."""

    pk: int
    buyer_id: int
    seller_id: int


class EventRow(Protocol):
    """What the ledger reads of a trade's event (`trades.TradeEvent`)."""

    pk: int
    at: datetime


@dataclass(frozen=True, slots=True)
class PostingToRecord:
    trade: TradeRow
    event: EventRow
    posting: engine_ledger.Posting


def account_key(trade, local_account: str) -> AccountKey:
    """The real account behind one of the engine's trade-local account names."""
    if local_account == engine_ledger.BUYER:
        return (AccountKind.BUYER_PAYMENTS.value, trade.buyer_id)
    if local_account == engine_ledger.SELLER:
        return (AccountKind.SELLER_SALES.value, trade.seller_id)
    if local_account == engine_ledger.ESCROW:
        return (AccountKind.ESCROW.value, None)
    if local_account == engine_ledger.PLATFORM_FEES:
        return (AccountKind.PLATFORM_FEES.value, None)
    if local_account == engine_ledger.GUARANTEE:
        return (AccountKind.PLATFORM_GUARANTEE.value, None)
    raise ValueError(f"the engine posted to an unknown account {local_account!r}")


def accounts_get_or_create(*, keys: set[AccountKey]) -> dict[AccountKey, LedgerAccount]:
    """The accounts for `keys`, creating the missing ones (races end in the unique
    constraints and a second read, never in a duplicate account)."""
    found = _read_accounts(keys)
    missing = keys - found.keys()
    if missing:
        LedgerAccount.objects.bulk_create(
            [LedgerAccount(kind=kind, user_id=user_id) for kind, user_id in missing],
            ignore_conflicts=True,
        )
        found.update(_read_accounts(missing))
    return found


def _read_accounts(keys: set[AccountKey]) -> dict[AccountKey, LedgerAccount]:
    user_ids = {user_id for _, user_id in keys if user_id is not None}
    shared = {kind for kind, user_id in keys if user_id is None}
    query = Q(pk__in=[])
    if user_ids:
        query |= Q(user_id__in=user_ids, kind__in=[k.value for k in PER_USER_KINDS])
    if shared:
        query |= Q(user__isnull=True, kind__in=shared)
    accounts = LedgerAccount.objects.filter(query)
    return {(a.kind, a.user_id): a for a in accounts if (a.kind, a.user_id) in keys}


def postings_record(*, items: Sequence[PostingToRecord]) -> list[int]:
    """Store the postings and their entries: three or four queries for any number (two more
    when a refund after the payout is among them, or a seller who owes is paid).
    Returns the new postings' ids."""
    if not items:
        return []
    settled = _settle_seller_debts(items)
    entries = [settled[index] for index in range(len(items))]
    keys = {
        account_key(i.trade, e.account) for i, es in zip(items, entries, strict=True) for e in es
    }
    accounts = accounts_get_or_create(keys=keys)
    posting_ids = insert_rows(
        LedgerPosting,
        ("trade", "event", "kind", "at"),
        [(i.trade.pk, i.event.pk, i.posting.kind, i.event.at) for i in items],
    )
    insert_rows(
        LedgerEntry,
        ("posting", "account", "amount"),
        [
            (posting_id, accounts[account_key(item.trade, entry.account)].pk, entry.amount)
            for item, posting_id, item_entries in zip(items, posting_ids, entries, strict=True)
            for entry in item_entries
            if entry.amount
        ],
    )
    return posting_ids


def _settle_seller_debts(items: Sequence[PostingToRecord]) -> dict[int, tuple]:
    """Each item's entries, with the seller's share split against the guarantee where needed:

    * a `claim_refund` takes from the seller's sales balance only what it holds; the
      guarantee pays the rest (and so the seller owes it);
    * a `release` to a seller who owes pays the guarantee back first, up to the seller's share.

    Items are settled in order, so a batch that refunds and then pays one seller nets both."""
    settled = {index: item.posting.entries for index, item in enumerate(items)}
    claims = [i for i, item in enumerate(items) if item.posting.kind == "claim_refund"]
    sellers = {items[i].trade.seller_id for i in claims}
    if not claims and not _anyone_owes():
        return settled
    releases = [i for i, item in enumerate(items) if item.posting.kind == "release"]
    sellers |= {items[i].trade.seller_id for i in releases}
    # Lock the sellers' sales accounts so two transactions never spend one balance twice.
    sales_accounts = accounts_get_or_create(
        keys={(AccountKind.SELLER_SALES.value, seller) for seller in sellers}
    )
    locked = LedgerAccount.objects.select_for_update().filter(
        pk__in=[a.pk for a in sales_accounts.values()]
    )
    balance = {account.user_id: 0 for account in locked}
    for seller, total in (
        LedgerEntry.objects.filter(account__in=sales_accounts.values())
        .values_list("account__user_id")
        .annotate(total=Sum("amount"))
    ):
        balance[seller] = total
    owed = dict.fromkeys(sellers, 0)
    for seller, total in (
        LedgerEntry.objects.filter(
            account__kind=AccountKind.PLATFORM_GUARANTEE, posting__trade__seller_id__in=sellers
        )
        .values_list("posting__trade__seller_id")
        .annotate(total=Sum("amount"))
    ):
        owed[seller] = -total
    for index, item in enumerate(items):
        kind, seller = item.posting.kind, item.trade.seller_id
        share = item.posting.amount_for(engine_ledger.SELLER)
        if kind == "claim_refund":
            covered = min(-share, max(balance.get(seller, 0), 0))
            from_guarantee = -share - covered
        elif kind == "release" and owed.get(seller, 0) > 0 and share > 0:
            covered = -min(share, owed[seller])  # negative: paid back to the guarantee
            from_guarantee = covered
        else:
            continue
        others = tuple(e for e in item.posting.entries if e.account != engine_ledger.SELLER)
        settled[index] = (
            *others,
            engine_ledger.Entry(engine_ledger.SELLER, share + from_guarantee),
            engine_ledger.Entry(engine_ledger.GUARANTEE, -from_guarantee),
        )
        balance[seller] = balance.get(seller, 0) + share + from_guarantee
        owed[seller] = owed.get(seller, 0) + from_guarantee
    return settled


def _anyone_owes() -> bool:
    return LedgerEntry.objects.filter(account__kind=AccountKind.PLATFORM_GUARANTEE).exists()


def sales_account_lock(*, user_id: int) -> LedgerAccount:
    """The seller's sales account, locked until the transaction ends: whoever spends the
    balance (a payout request, a refund after the payout) takes this lock first, so two
    transactions never spend one balance twice."""
    key = (AccountKind.SELLER_SALES.value, user_id)
    account = accounts_get_or_create(keys={key})[key]
    return LedgerAccount.objects.select_for_update().get(pk=account.pk)


def payout_posting_record(*, payout, kind: str, at, amounts: dict[AccountKey, int]) -> int:
    """One posting for a step of a payout request (`furima.payouts`): `amounts` maps each
    account to its yen (+ arrives, - leaves); zero amounts are left out. They must sum to
    zero: a posting that does not balance is a bug, refused before anything is written."""
    if sum(amounts.values()) != 0:
        raise ValueError(f"payout posting {kind} does not balance: {amounts}")
    accounts = accounts_get_or_create(keys=set(amounts))
    posting = LedgerPosting.objects.create(payout=payout, kind=kind, at=at)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(posting=posting, account=accounts[key], amount=amount)
        for key, amount in amounts.items()
        if amount
    )
    return posting.pk
