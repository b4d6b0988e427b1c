"""Sign-up, log-in with lockout, listings and purchase: every form refuses bad input with a
4xx and a message, and the security headers are on every page."""

import pytest
from django.test import Client
from django.urls import reverse

from furima.market.models import Listing
from furima.trades.models import Trade
from tests.clients import signed_in
from tests.factories import make_address, make_listing, make_staff, make_user

pytestmark = pytest.mark.usefixtures("clock")


def test_sign_up_creates_an_account_and_logs_in(db):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "sakura",
            "display_name": "さくら",
            "email": "sakura@example.test",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/mypage/").status_code == 200


def test_sign_up_with_mismatched_passwords_is_refused(db):
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "sakura",
            "email": "s@example.test",
            "password1": "a-long-passphrase-2026",
            "password2": "other-passphrase-2026",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password2"]


def test_login_locks_out_after_repeated_failures(db, settings):
    user = make_user("kenji")
    user.set_password("right-passphrase-2026")
    user.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "kenji", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "kenji", "password": "right-passphrase-2026"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in(db):
    user = make_user("emi")
    user.set_password("right-passphrase-2026")
    user.save()
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "emi", "password": "right-passphrase-2026"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_search_finds_items_by_keyword(db):
    make_listing(title="ワイヤレスイヤホン")
    make_listing(title="文庫本")
    html = Client().get("/items/", {"q": "イヤホン"}).content.decode()
    assert "ワイヤレスイヤホン" in html and "文庫本" not in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "price": 1000}, "title"),
        ({"title": "本", "price": 100}, "price"),
        ({"title": "本", "price": "abc"}, "price"),
        ({"title": "本", "price": 1000, "ship_within": "9-9"}, "ship_within"),
    ],
)
def test_listing_form_refuses_bad_input(db, data, field):
    client = signed_in(make_user())
    response = client.post(
        "/items/new/", {"shipping_payer": "seller", "ship_within": "2-3", **data}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Listing.objects.exists()


def test_a_seller_lists_and_edits_an_item(db):
    seller = make_user()
    client = signed_in(seller)
    response = client.post(
        "/items/new/",
        {"title": "マグカップ", "price": 1500, "shipping_payer": "seller", "ship_within": "1-2"},
    )
    listing = Listing.objects.get()
    assert response["Location"] == f"/items/{listing.pk}/"
    client.post(
        f"/items/{listing.pk}/edit/",
        {
            "title": "マグカップ 2個",
            "price": 1400,
            "shipping_payer": "seller",
            "ship_within": "1-2",
        },
    )
    listing.refresh_from_db()
    assert (listing.title, listing.price) == ("マグカップ 2個", 1400)


def test_only_the_seller_may_edit(db):
    listing = make_listing()
    assert signed_in(make_user()).get(f"/items/{listing.pk}/edit/").status_code == 404


def shown(listing, buyer) -> dict:
    """What the confirmation step shows, as its hidden fields send it back, with a new
    address of the buyer's chosen."""
    return {
        "expected_price": listing.price,
        "shipping_payer": listing.shipping_payer,
        "shipping_method": listing.shipping_method,
        "ship_within": listing.ship_within,
        "address": make_address(buyer).pk,
    }


def test_buying_shows_a_confirmation_then_creates_the_trade(db):
    listing = make_listing(price=2400)
    user = make_user()
    buyer = signed_in(user)
    confirm = buyer.get(f"/items/{listing.pk}/buy/")
    assert confirm.status_code == 200 and not Trade.objects.exists()
    response = buyer.post(f"/items/{listing.pk}/buy/", shown(listing, user))
    trade = Trade.objects.get()
    assert response["Location"] == f"/trades/{trade.pk}/"


def test_buying_ones_own_item_is_refused(db):
    listing = make_listing()
    seller = listing.seller
    response = signed_in(seller).post(f"/items/{listing.pk}/buy/", shown(listing, seller))
    assert response.status_code == 403
    assert not Trade.objects.exists()


def test_a_sold_item_cannot_be_bought_again(db):
    listing = make_listing()
    first, second = make_user(), make_user()
    signed_in(first).post(f"/items/{listing.pk}/buy/", shown(listing, first))
    response = signed_in(second).post(f"/items/{listing.pk}/buy/", shown(listing, second))
    assert response.status_code == 409
    assert Trade.objects.count() == 1


def test_pages_carry_security_headers(db):
    response = Client().get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_session_cookies_are_http_only_and_same_site(db):
    user = make_user("yui")
    user.set_password("right-passphrase-2026")
    user.save()
    client = Client()
    client.post("/accounts/login/", {"username": "yui", "password": "right-passphrase-2026"})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_language_switch_changes_the_page_language(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    assert 'lang="ja"' in client.get("/").content.decode()


LOG_OUT = {"ja": "ログアウト", "en": "Log out"}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_header_links_follow_the_visitor_though_they_are_cached(db, settings, language):
    """The header's links are a fragment cache per language and kind of user: a visitor, a
    member and staff, one after the other in the same process, each get their own links, and
    the signed-in ones a log-out form with their own CSRF token."""

    def nav_of(client: Client) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/").content.decode()
        start = html.index('<nav class="site-nav"')
        return html[start : html.index("</form>", html.index('class="lang-switch"'))]

    desk, mypage, login = reverse("support:desk"), reverse("mypage"), reverse("login")
    member_links = (reverse("market:create"), mypage, reverse("logout"))
    for _ in range(2):  # the second round is served from the cache
        visitor = nav_of(Client())
        member = nav_of(signed_in(make_user()))
        staff = nav_of(signed_in(make_staff()))
        assert f'href="{login}"' in visitor and f'href="{mypage}"' not in visitor
        assert all(link in member for link in member_links) and f'href="{login}"' not in member
        assert f'href="{desk}"' in staff and f'href="{desk}"' not in member
        for nav in (visitor, member, staff):
            assert f'lang="{language}" aria-current="true"' in nav
        assert 'name="csrfmiddlewaretoken"' in member
        assert LOG_OUT[language] in member and LOG_OUT[language] not in visitor
