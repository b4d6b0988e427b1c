"""Writes about users: sign-up and the profile they show other traders."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from furima import clock
from furima.accounts.models import ApiToken, Profile, User
from furima.errors import FurimaError

MAX_BIO_LENGTH = 1000


def user_create(
    *,
    username: str,
    password: str | None = None,
    email: str = "",
    display_name: str = "",
    is_staff: bool = False,
) -> User:
    """A new user with an (empty) profile, in one transaction."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            display_name=display_name,
            is_staff=is_staff,
        )
        Profile.objects.create(user=user)
    return user


def profile_update(*, user: User, bio: str) -> Profile:
    if len(bio) > MAX_BIO_LENGTH:
        raise FurimaError(f"the self-introduction is longer than {MAX_BIO_LENGTH} characters")
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
        profile.bio = bio
        profile.save(update_fields=["bio"])
    return profile


def api_token_create(*, user: User, name: str = "") -> str:
    """A new API token for `user`; returns the token, which is not stored (only its hash)."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name[:60], digest=api_token_digest(token), created_at=clock.now()
    )
    return token


def api_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
