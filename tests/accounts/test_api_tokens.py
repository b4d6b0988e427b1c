"""API tokens: listed, revoked, expiring, with when each was last used; a password change
stops every older token; managed on a web page, in the admin and with `furima api_token`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from furima.accounts.models import ApiToken
from furima.accounts.selectors import api_token_status, api_tokens_of
from furima.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from furima.errors import FurimaError
from tests.clients import signed_in
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.usefixtures("clock")


def api_get(token: str, path: str = "/api/v1/trades"):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_works_until_it_is_revoked(db):
    user = make_user("hanako")
    token = api_token_create(user=user, name="script")
    assert api_get(token).status_code == 200

    api_token_revoke(token_id=ApiToken.objects.get(user=user).pk, user=user)

    assert api_get(token).status_code == 401
    assert api_token_status(ApiToken.objects.get(user=user), now=None) == "revoked"


def test_a_token_expires(db, clock, settings):
    settings.FURIMA_API_TOKEN_DAYS = 30
    token = api_token_create(user=make_user())
    clock.advance(days=30, seconds=-1)
    assert api_get(token).status_code == 200

    clock.advance(seconds=1)

    assert api_get(token).status_code == 401
    assert api_token_status(ApiToken.objects.get(), now=None) == "expired"


def test_a_token_made_for_zero_days_never_expires(db, clock):
    token = api_token_create(user=make_user(), days=0)
    clock.advance(days=3650)

    assert ApiToken.objects.get().expires_at is None
    assert api_get(token).status_code == 200


def test_use_is_recorded_at_most_once_a_minute(db, clock, django_assert_num_queries):
    token = api_token_create(user=make_user())
    assert ApiToken.objects.get().last_used_at is None

    api_token_authenticate(token=token)
    first_use = clock.now()
    clock.advance(seconds=30)
    with django_assert_num_queries(1):  # the look-up only: no write
        api_token_authenticate(token=token)
    assert ApiToken.objects.get().last_used_at == first_use

    clock.advance(seconds=31)
    api_token_authenticate(token=token)
    assert ApiToken.objects.get().last_used_at == clock.now()


def test_a_password_change_stops_every_older_token(db):
    user = make_user("taro")
    old = api_token_create(user=user)
    user.set_password("a-new-passphrase-2026")  # web, reset mail, admin, CLI: all end here
    user.save()

    assert api_get(old).status_code == 401
    assert api_token_status(ApiToken.objects.get(), now=None) == "password_changed"
    assert api_get(api_token_create(user=user)).status_code == 200


def test_nobody_revokes_another_users_token(db):
    api_token_create(user=make_user("hanako"))
    with pytest.raises(FurimaError) as refused:
        api_token_revoke(token_id=ApiToken.objects.get().pk, user=make_user("taro"))
    assert refused.value.code == "not_found"
    assert ApiToken.objects.get().revoked_at is None


def test_the_list_is_the_users_own_newest_first(db, clock):
    user = make_user("hanako")
    api_token_create(user=user, name="first")
    clock.advance(minutes=1)
    api_token_create(user=user, name="second")
    api_token_create(user=make_user("taro"), name="not hers")

    assert [t.name for t in api_tokens_of(user=user)] == ["second", "first"]


# --- the web page


def test_the_page_creates_a_token_and_shows_it_once(db):
    user = make_user("hanako")
    browser = signed_in(user)

    response = browser.post("/accounts/tokens/", {"name": "my script", "days": "90"})

    assert response.status_code == 200
    token = response.context["new_token"]
    assert "no-store" in response["Cache-Control"]
    assert api_get(token).status_code == 200
    assert token not in browser.get("/accounts/tokens/").content.decode()
    assert "my script" in browser.get("/accounts/tokens/").content.decode()


def test_the_page_revokes_a_token(db):
    user = make_user("hanako")
    token = api_token_create(user=user, name="old script")
    browser = signed_in(user)

    response = browser.post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/")

    assert response.status_code == 302
    assert api_get(token).status_code == 401


def test_another_users_token_cannot_be_revoked_from_the_page(db):
    api_token_create(user=make_user("hanako"))

    response = signed_in(make_user("taro")).post(
        f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/"
    )

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_page_needs_a_login(db):
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302


# --- the admin


def test_staff_see_and_revoke_tokens_in_the_admin(db):
    token = api_token_create(user=make_user("hanako"), name="script")
    admin = make_staff("boss")
    admin.is_superuser = True
    admin.save()
    browser = signed_in(admin)

    listing = browser.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert "script" in listing.content.decode()
    browser.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [ApiToken.objects.get().pk]},
    )

    assert api_get(token).status_code == 401


# --- the command line


def test_the_command_lists_and_revokes(db, capsys):
    user = make_user("hanako")
    api_token_create(user=user, name="nightly export")
    pk = ApiToken.objects.get().pk

    call_command("api_token", "list", "hanako")
    listed = capsys.readouterr().out
    assert "nightly export" in listed and "active" in listed

    call_command("api_token", "revoke", str(pk))
    assert "revoked" in capsys.readouterr().out
    call_command("api_token", "list", "hanako")
    assert "revoked" in capsys.readouterr().out
    assert ApiToken.objects.get().revoked_at is not None


def test_the_command_creates_a_token_for_some_days(db, capsys):
    make_user("hanako")
    call_command("api_token", "create", "hanako", "--days", "7")
    token = capsys.readouterr().out.strip()

    assert api_get(token).status_code == 200
    made = ApiToken.objects.get()
    assert made.expires_at - made.created_at == timedelta(days=7)


@pytest.mark.parametrize(
    "arguments",
    [("revoke", "999"), ("revoke", "abc"), ("list", "nobody"), ("create", "nobody")],
)
def test_bad_command_input_is_exit_2(db, arguments):
    with pytest.raises(CommandError) as refused:
        call_command("api_token", *arguments)
    assert refused.value.returncode == 2
