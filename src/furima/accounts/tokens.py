"""API tokens: what a token is stored as, and how it is tied to its user's password.

Only a digest of a token is stored (the token itself is shown once, when it is made). Each
token also remembers a fingerprint of the password its user had then: when the password
changes — through the web, a reset mail, the admin or `furima changepassword` — the
fingerprints no longer match and every older token stops working, as sessions do."""

from __future__ import annotations

import hashlib

from django.utils.crypto import salted_hmac

FINGERPRINT_SALT = "furima.accounts.api_token.password"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """A keyed digest of the user's password hash (never of the password itself)."""
    return salted_hmac(FINGERPRINT_SALT, password_hash, algorithm="sha256").hexdigest()
