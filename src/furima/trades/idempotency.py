"""Idempotency keys, one way for every mutating request (purchase and trade actions).

A client sends the same `Idempotency-Key` again when it does not know whether its first
request went through. Repeating *the same request* returns the first result; the same key
with a *different* request is a client bug and answers `conflict` (409) — never the first
result under a 2xx, which would let a changed request look as if it had succeeded.

"The same request" is a fingerprint of everything that decides the outcome (what is acted
on and every field of the body), made by `furima.idempotency.request_fingerprint`; keys are
checked by `furima.idempotency.idempotency_key_clean`, which the market's comments use too.
"""

from __future__ import annotations

from furima.errors import Conflict
from furima.trades.models import IdempotencyKey


def idempotent_earlier(*, user, key: str, fingerprint: str) -> IdempotencyKey | None:
    """The earlier request's record under this key (with its trade and event), if any.
    Raises `Conflict` when the key was used for a different request."""
    earlier = (
        IdempotencyKey.objects.select_related("trade", "event").filter(user=user, key=key).first()
    )
    if earlier is not None and earlier.fingerprint != fingerprint:
        raise Conflict("this idempotency key was already used for a different request")
    return earlier


def idempotent_record(*, user, key: str, fingerprint: str, trade, event) -> None:
    """Remember the request's result, in the transaction that produced it."""
    IdempotencyKey.objects.create(
        user=user,
        key=key,
        fingerprint=fingerprint,
        trade=trade,
        event=event,
        created_at=event.at,
    )
