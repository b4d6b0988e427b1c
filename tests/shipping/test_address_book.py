"""The address book (お届け先): a buyer adds, edits and deletes addresses on マイページ and
through the API; nobody else can read or touch them (404, as if they did not exist)."""

import pytest
from django.test import Client

from furima.shipping.models import MAX_ADDRESSES, Address
from tests.api.test_api import Api
from tests.clients import signed_in
from tests.factories import ADDRESS, make_address, make_user

pytestmark = pytest.mark.usefixtures("clock")

TYPED = {
    **ADDRESS,
    "postal_code": "１５０－０００１",
    "phone": "０９０１２３４５６７８",
    "prefecture": "東京都",
}
"""As a Japanese phone keyboard types it."""


def test_a_buyer_adds_an_address_on_the_web_and_it_is_stored_normalised(db):
    user = make_user()
    client = signed_in(user)
    assert client.get("/accounts/addresses/new/").status_code == 200
    response = client.post("/accounts/addresses/new/", {**TYPED, "prefecture": "13"})
    assert response.status_code == 302 and response["Location"] == "/accounts/addresses/"
    address = Address.objects.get(user=user)
    assert (address.postal_code, address.prefecture, address.phone) == (
        "1500001",
        "13",
        "090-1234-5678",
    )
    page = client.get("/accounts/addresses/").content.decode()
    assert "〒150-0001" in page and "東京都渋谷区神宮前1-2-3" in page


def test_the_address_book_is_linked_from_my_page(db):
    page = signed_in(make_user()).get("/mypage/").content.decode()
    assert 'href="/accounts/addresses/"' in page


def test_a_bad_postal_code_is_shown_beside_its_field_and_nothing_is_saved(db):
    client = signed_in(make_user())
    response = client.post("/accounts/addresses/new/", {**ADDRESS, "postal_code": "150-001"})
    assert response.status_code == 400
    assert "7-digit postal code" in response.content.decode() or "7桁" in response.content.decode()
    assert not Address.objects.exists()


def test_adding_from_the_purchase_step_returns_to_it(db):
    client = signed_in(make_user())
    response = client.post("/accounts/addresses/new/", {**ADDRESS, "next": "/items/7/buy/"})
    assert response["Location"] == "/items/7/buy/"


def test_next_never_leads_off_the_site(db):
    client = signed_in(make_user())
    response = client.post("/accounts/addresses/new/", {**ADDRESS, "next": "https://evil.test/"})
    assert response["Location"] == "/accounts/addresses/"


def test_a_buyer_edits_and_deletes_an_address(db):
    user = make_user()
    address = make_address(user)
    client = signed_in(user)
    form = client.get(f"/accounts/addresses/{address.pk}/edit/").content.decode()
    assert 'value="150-0001"' in form
    client.post(f"/accounts/addresses/{address.pk}/edit/", {**ADDRESS, "city": "目黒区"})
    address.refresh_from_db()
    assert address.city == "目黒区"
    client.post(f"/accounts/addresses/{address.pk}/delete/")
    assert not Address.objects.exists()


def test_someone_elses_address_is_404_on_every_page(db):
    address = make_address(make_user())
    stranger = signed_in(make_user())
    assert stranger.get(f"/accounts/addresses/{address.pk}/edit/").status_code == 404
    assert stranger.post(f"/accounts/addresses/{address.pk}/edit/", ADDRESS).status_code == 404
    assert stranger.post(f"/accounts/addresses/{address.pk}/delete/").status_code == 404
    assert "渋谷区" not in stranger.get("/accounts/addresses/").content.decode()
    assert Address.objects.get().city == "渋谷区"


def test_the_address_pages_need_a_login(db):
    response = Client().get("/accounts/addresses/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------- API


def test_the_api_adds_reads_replaces_and_deletes_an_address(db):
    api = Api(make_user())
    created = api.post("/addresses", TYPED)
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("postal_code", "prefecture", "prefecture_name", "phone")} == {
        "postal_code": "1500001",
        "prefecture": "13",
        "prefecture_name": "東京都",
        "phone": "090-1234-5678",
    }
    assert api.get(f"/addresses/{body['id']}").json() == body
    replaced = api.put(f"/addresses/{body['id']}", {**ADDRESS, "prefecture": "27"})
    assert replaced.status_code == 200 and replaced.json()["prefecture_name"] == "大阪府"
    assert api.delete(f"/addresses/{body['id']}").status_code == 204
    assert api.get(f"/addresses/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postal_code": "12345678"}, "postal_code"),
        ({"prefecture": "Atlantis"}, "prefecture"),
        ({"phone": "12"}, "phone"),
        ({"city": ""}, "city"),
    ],
)
def test_a_bad_field_is_400_invalid_input_naming_it(db, change, field):
    response = Api(make_user()).post("/addresses", {**ADDRESS, **change})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    assert response.json()["detail"].startswith(f"{field}:")
    assert not Address.objects.exists()


def test_a_missing_field_is_422(db):
    body = {k: v for k, v in ADDRESS.items() if k != "phone"}
    response = Api(make_user()).post("/addresses", body)
    assert response.status_code == 422 and response.json()["error"] == "validation_error"


def test_another_users_address_is_404_on_the_api(db):
    address = make_address(make_user())
    stranger = Api(make_user())
    assert stranger.get(f"/addresses/{address.pk}").status_code == 404
    assert stranger.put(f"/addresses/{address.pk}", ADDRESS).json()["error"] == "not_found"
    assert stranger.delete(f"/addresses/{address.pk}").status_code == 404
    assert stranger.get("/addresses").json() == []
    assert Address.objects.count() == 1


def test_the_address_list_pages_with_a_cursor(db, clock):
    user = make_user()
    for n in range(3):
        make_address(user, address_line2=f"{n}号室")
        clock.advance(minutes=1)
    api = Api(user)
    first = api.get("/addresses", limit=2)
    assert [a["address_line2"] for a in first.json()] == ["2号室", "1号室"]
    link = first["Link"]
    assert link.endswith('rel="next"')
    second = api.client.get(link[1 : link.index(">")], headers=api.headers)
    assert [a["address_line2"] for a in second.json()] == ["0号室"]
    assert "Link" not in second


def test_the_book_holds_at_most_20_addresses(db):
    user = make_user()
    for _ in range(MAX_ADDRESSES):
        make_address(user)
    response = Api(user).post("/addresses", ADDRESS)
    assert response.status_code == 409 and response.json()["error"] == "conflict"
    assert Address.objects.count() == MAX_ADDRESSES


def test_the_catalog_lists_the_47_prefectures(db):
    prefectures = Api().get("/catalog").json()["prefectures"]
    assert len(prefectures) == 47
    assert prefectures[12] == {"code": "13", "ja": "東京都", "en": "Tokyo"}
