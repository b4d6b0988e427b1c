"""Recording the engine's postings in the ledger.

The engine speaks of trade-local accounts ("buyer", "escrow", "seller", "platform_fees");
here they become real accounts: the buyer's and the seller's own, and the shared escrow and
fee accounts. Called by the trade services inside their transaction, for one trade or a
whole batch of the worker's, with a fixed number of queries either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

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


@dataclass(frozen=True, slots=True)
class PostingToRecord:
    trade: object  # furima.trades.models.Trade (not imported: the ledger sits below trades)
    event: object  # furima.trades.models.TradeEvent
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
    """Store the postings and their entries: three or four queries for any number.
    Returns the new postings' ids."""
    if not items:
        return []
    keys = {account_key(i.trade, e.account) for i in items for e in i.posting.entries}
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
            for item, posting_id in zip(items, posting_ids, strict=True)
            for entry in item.posting.entries
            if entry.amount
        ],
    )
    return posting_ids
