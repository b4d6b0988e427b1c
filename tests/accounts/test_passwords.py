"""Passwords: Django's validators with sensible minimums, change and reset with Django's
auth views, the reset mail written to the outbox (delivered by the worker) in the
language the person asked in."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.clients import signed_in
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")
OLD = "first-passphrase-2026"
NEW = "second-passphrase-2026"


def person(username="hanako", email="hanako@example.test", password=OLD):
    user = make_user(username)
    user.email = email
    user.set_password(password)
    user.save()
    return user


def sign_up(password: str, **fields):
    return Client().post(
        "/accounts/signup/",
        {
            "username": "sakura",
            "display_name": "さくら",
            "email": "sakura@example.test",
            "password1": password,
            "password2": password,
            **fields,
        },
    )


@pytest.mark.parametrize(
    "password",
    ["short-1", "1234567890123", "password1234", "sakura2026"],
    ids=["too short", "all digits", "too common", "like the username"],
)
def test_weak_passwords_are_refused_at_sign_up(db, password):
    response = sign_up(password)

    assert response.status_code == 400
    assert response.context["form"].errors["password2"]


def test_a_password_change_needs_the_old_password(db):
    user = person()
    browser = signed_in(user)

    response = browser.post(
        "/accounts/password/change/",
        {"old_password": "wrong-guess-2026", "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_a_password_change_keeps_this_session_and_ends_the_others(db):
    user = person()
    here, elsewhere = signed_in(user), signed_in(user)

    response = here.post(
        "/accounts/password/change/",
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert here.get("/mypage/").status_code == 200
    assert elsewhere.get("/mypage/").status_code == 302


def test_a_weak_new_password_is_refused(db):
    browser = signed_in(person())

    response = browser.post(
        "/accounts/password/change/",
        {"old_password": OLD, "new_password1": "short", "new_password2": "short"},
    )

    assert response.context["form"].errors["new_password2"]
