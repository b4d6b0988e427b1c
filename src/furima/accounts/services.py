"""Writes about users: sign-up, the profile they show other traders, their API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from furima import clock
from furima.accounts.models import ApiToken, Profile, User
from furima.accounts.names import imitates_staff
from furima.accounts.tokens import password_fingerprint, token_digest
from furima.errors import FurimaError

MAX_BIO_LENGTH = 1000
MAX_API_TOKEN_DAYS = 3650
API_TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


def user_create(
    *,
    username: str,
    password: str | None = None,
    email: str = "",
    display_name: str = "",
    is_staff: bool = False,
) -> User:
    """A new user with an (empty) profile, in one transaction. Only staff may carry a name
    that passes for furima's staff; an e-mail address belongs to one account."""
    if not is_staff:
        _refuse_staff_names(username, display_name)
    with transaction.atomic():
        if email and User.objects.filter(email__iexact=email).exists():
            raise FurimaError("that e-mail address belongs to another account", code="conflict")
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            display_name=display_name,
            is_staff=is_staff,
        )
        Profile.objects.create(user=user)
    return user


def profile_update(*, user: User, bio: str, display_name: str | None = None) -> Profile:
    """What the user shows other traders: the self-introduction and, when given, the name."""
    if len(bio) > MAX_BIO_LENGTH:
        raise FurimaError(f"the self-introduction is longer than {MAX_BIO_LENGTH} characters")
    if display_name is not None and not user.is_staff:
        _refuse_staff_names(display_name)
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        profile.bio = bio
        profile.save(update_fields=["bio"])
        if display_name is not None:
            User.objects.filter(pk=user.pk).update(display_name=display_name)
            user.display_name = display_name
    return profile


def _refuse_staff_names(*names: str) -> None:
    for name in names:
        if imitates_staff(name):
            raise FurimaError(f"{name!r} could be taken for furima's staff; choose another name")


def api_token_create(*, user: User, name: str = "", days: int | None = None) -> str:
    """A new API token for `user`, valid for `days` (default FURIMA_API_TOKEN_DAYS; 0: until
    revoked); returns the token, which is not stored (only its digest)."""
    days = settings.FURIMA_API_TOKEN_DAYS if days is None else days
    if days < 0 or days > MAX_API_TOKEN_DAYS:
        raise FurimaError(f"a token is valid for 0 (until revoked) to {MAX_API_TOKEN_DAYS} days")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    ApiToken.objects.create(
        user=user,
        name=name[:60],
        digest=token_digest(token),
        password_fingerprint=password_fingerprint(user.password),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    return token


def api_token_authenticate(*, token: str) -> User | None:
    """The user a bearer token belongs to, or None when the token is unknown, revoked,
    expired, or older than its user's password (or the user is deactivated). Records when
    the token was last used, at most once per API_TOKEN_USE_RECORDED_EVERY, so a busy
    client does not write a row on every request."""
    now = clock.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), user__is_active=True, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if found is None or found.password_fingerprint != password_fingerprint(found.user.password):
        return None
    if found.last_used_at is None or found.last_used_at <= now - API_TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


def api_token_revoke(*, token_id: int, user: User | None = None) -> ApiToken:
    """Revoke a token (of `user`, when given: nobody revokes another's token but staff).
    Revoking twice keeps the first time."""
    with transaction.atomic():
        tokens = ApiToken.objects.select_for_update()
        if user is not None:
            tokens = tokens.filter(user=user)
        found = tokens.filter(pk=token_id).first()
        if found is None:
            raise FurimaError(f"no API token {token_id}", code="not_found")
        if found.revoked_at is None:
            found.revoked_at = clock.now()
            found.save(update_fields=["revoked_at"])
    return found
