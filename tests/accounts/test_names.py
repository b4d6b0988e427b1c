"""Accounts: one account per e-mail address, and no name that passes for furima's staff."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from furima.accounts.models import User
from furima.accounts.names import imitates_staff
from furima.accounts.services import profile_update, user_create
from furima.errors import FurimaError
from tests.clients import signed_in
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")


def sign_up(**fields):
    data = {
        "username": "sakura",
        "display_name": "さくら",
        "email": "sakura@example.test",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        **fields,
    }
    return Client().post("/accounts/signup/", data)


@pytest.mark.parametrize(
    "name",
    [
        "サポート",
        "furima事務局",
        "運営チーム",
        "ｻﾎﾟｰﾄ",
        "さぽーと",
        "Ｓｕｐｐｏｒｔ",
        "s.u.p.p.o.r.t",
        "Staff",
        "ADMIN",
        "Furima",
    ],
)
def test_names_that_pass_for_staff_are_recognised(name):
    assert imitates_staff(name)


@pytest.mark.parametrize("name", ["はなこ", "たろう", "jiro", "花子のお店", "さぽーたー"])
def test_ordinary_names_pass(name):
    assert not imitates_staff(name)


@pytest.mark.parametrize(
    ("field", "value"), [("display_name", "furima サポート"), ("username", "support_desk")]
)
def test_sign_up_refuses_a_name_that_passes_for_staff(db, field, value):
    response = sign_up(**{field: value})

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not User.objects.exists()


def test_profile_edit_refuses_a_name_that_passes_for_staff(db):
    user = make_user("hanako")
    browser = signed_in(user)

    response = browser.post("/accounts/profile/", {"display_name": "事務局", "bio": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["display_name"]
    user.refresh_from_db()
    assert user.display_name == ""


def test_profile_edit_saves_the_name_and_introduction(db):
    user = make_user("hanako")

    response = signed_in(user).post(
        "/accounts/profile/", {"display_name": "はなこ", "bio": "よろしくお願いします"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "はなこ"
    assert user.profile.bio == "よろしくお願いします"


def test_the_service_refuses_such_names_too(db):
    with pytest.raises(FurimaError):
        user_create(username="sakura", display_name="運営")
    with pytest.raises(FurimaError):
        profile_update(user=make_user("hanako"), bio="", display_name="Support")


def test_staff_may_carry_the_name(db):
    staff = user_create(username="support", display_name="furima サポート", is_staff=True)
    assert staff.display_name == "furima サポート"


def test_an_e_mail_address_belongs_to_one_account(db):
    user_create(username="hanako", email="hanako@example.test")

    response = sign_up(email="Hanako@Example.test")

    assert response.status_code == 400
    assert response.context["form"].errors["email"]


def test_the_database_refuses_a_second_account_with_the_same_address(db):
    user_create(username="hanako", email="hanako@example.test")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("taro", email="HANAKO@example.test")


def test_accounts_without_an_address_are_many(db):
    User.objects.create_user("one")
    User.objects.create_user("two")
    assert User.objects.filter(email="").count() == 2
