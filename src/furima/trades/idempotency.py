"""Idempotency keys, one way for every mutating request (purchase and trade actions).

A client sends the same `Idempotency-Key` again when it does not know whether its first
request went through. Repeating *the same request* returns the first result; the same key
with a *different* request is a client bug and answers `conflict` (409) — never the first
result under a 2xx, which would let a changed request look as if it had succeeded.

"The same request" is a fingerprint of everything that decides the outcome (what is acted
on and every field of the body), made by `request_fingerprint`.
"""

from __future__ import annotations

import hashlib
import json
import re

from furima.errors import Conflict, FurimaError
from furima.trades.models import IdempotencyKey

MAX_KEY_LENGTH = IdempotencyKey._meta.get_field("key").max_length
"""The column's width: a longer key is refused up front, not truncated by the database."""

_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")


def idempotency_key_clean(key: str | None) -> str | None:
    """The key if it is usable: 1 to `MAX_KEY_LENGTH` visible ASCII characters (a UUID, a
    ULID, a counter…); `None` for no key. Raises `FurimaError` (`invalid_input`)."""
    if key is None:
        return None
    if not isinstance(key, str) or not _VISIBLE_ASCII.fullmatch(key):
        raise FurimaError("the idempotency key must be visible ASCII characters, no spaces")
    if len(key) > MAX_KEY_LENGTH:
        raise FurimaError(f"the idempotency key is longer than {MAX_KEY_LENGTH} characters")
    return key


def request_fingerprint(kind: str, **fields) -> str:
    """A digest of the request: its kind and every field that decides its outcome."""
    payload = json.dumps({"kind": kind, **fields}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


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
