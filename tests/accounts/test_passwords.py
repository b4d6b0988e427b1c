"""Passwords: Django's validators with sensible minimums, change and reset with Django's
auth views, the reset mail written to the outbox (delivered by the worker) in the
language the person asked in."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from furima.notify.models import Notification
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


def reset_mail(language: str, email: str = "hanako@example.test") -> Notification:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/accounts/password/reset/", {"email": email}
    )
    assert response.status_code == 302
    return Notification.objects.get()


@pytest.mark.parametrize(
    ("language", "words"), [("ja", "パスワードの再設定"), ("en", "Reset your password")]
)
def test_the_reset_mail_goes_to_the_outbox_in_the_askers_language(db, language, words):
    person()

    mail = reset_mail(language)

    assert mail.status == "pending"  # the worker delivers it, with retries
    assert mail.channel == "mail"
    assert mail.to_address == "hanako@example.test"
    assert mail.language == language
    assert words in mail.subject + mail.body


def test_an_unknown_address_gets_no_mail_and_the_same_answer(db):
    person()

    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.test"})

    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_the_mailed_link_sets_a_new_password(db):
    user = person()
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", reset_mail("ja").body)
    browser = Client()

    form = browser.get(link.group(1), follow=True)
    assert form.status_code == 200
    response = browser.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    reused = Client().get(link.group(1), follow=True)
    assert reused.context["validlink"] is False


def ask_for_reset(email: str) -> int:
    return Client().post("/accounts/password/reset/", {"email": email}).status_code


def test_the_reset_form_mails_an_account_three_times_an_hour_at_most(db, clock, settings):
    """Anyone can type someone's address into the form: it must not flood their mailbox.
    Every ask gets the same answer, so the form still never tells who has an account."""
    person()
    person("taro", "taro@example.test")
    assert settings.FURIMA_ACCOUNT_MAILS_PER_HOUR == 3

    answers = [ask_for_reset("hanako@example.test") for _ in range(5)]
    ask_for_reset("taro@example.test")

    assert answers == [302] * 5
    mails = Notification.objects.filter(channel="mail")
    assert mails.filter(address="hanako@example.test").count() == 3
    assert mails.filter(address="taro@example.test").count() == 1  # each account its own
    clock.advance(minutes=59)
    assert ask_for_reset("hanako@example.test") == 302
    assert mails.filter(address="hanako@example.test").count() == 3
    clock.advance(minutes=2)  # the first three are more than an hour old
    assert ask_for_reset("hanako@example.test") == 302
    assert mails.filter(address="hanako@example.test").count() == 4
