"""Idempotency keys as clients send them, checked one way for every mutating request (trade
actions, purchases, listing comments), and the fingerprint that tells "the same request"
from a different one under the same key. Below every app: the records themselves are the
trades app's (`trades/idempotency.py`).
"""

from __future__ import annotations

import hashlib
import json
import re

from furima.errors import FurimaError

MAX_KEY_LENGTH = 200
"""The key columns' width (`trades.IdempotencyKey.key`): a longer key is refused up front,
not truncated by the database."""

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
