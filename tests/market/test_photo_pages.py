"""Photos on the web: the 出品 form uploads them (a plain multipart post, no JavaScript
needed), the edit form removes and adds them, the item page and the cards show them, and
the files are served with year-long cache headers."""

import re

import pytest
from django.test import Client

from furima.market.models import Listing, ListingPhoto
from tests import images
from tests.clients import signed_in
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock", "media_root")

FORM = {
    "title": "ワイヤレスイヤホン",
    "price": "4980",
    "shipping_payer": "seller",
    "ship_within": "2-3",
    "condition": "like_new",
}


def sell(client, photos):
    return client.post("/items/new/", {**FORM, "photos": photos})


def test_an_item_listed_with_two_photos_shows_them_on_its_page_and_card(db):
    seller = make_user()
    response = sell(signed_in(seller), [images.jpeg_on_its_side(), images.png()])
    assert response.status_code == 302
    listing = Listing.objects.get()
    cover, second = listing.photos.all()
    page = Client().get(f"/items/{listing.pk}/").content.decode()
    gallery = page.split('data-testid="gallery"')[1].split("</div>")[0]
    assert gallery.count("<img") == 2
    assert cover.image.url in gallery and second.image.url in gallery
    assert gallery.index(cover.image.url) < gallery.index(second.image.url)
    browse = Client().get("/items/").content.decode()
    assert re.search(rf'<img src="{re.escape(cover.thumbnail.url)}"', browse)


def test_a_photo_is_served_as_a_jpeg_that_caches_for_a_year(db):
    sell(signed_in(make_user()), [images.png()])
    photo = ListingPhoto.objects.get()
    response = Client().get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert Client().get("/media/listings/../../settings.py").status_code == 400  # refused


def test_a_bad_photo_refuses_the_whole_form_and_says_which(db, media_root):
    response = sell(signed_in(make_user()), [images.png(), images.text_named_jpg("memo.jpg")])
    assert response.status_code == 400
    assert "memo.jpg" in response.content.decode()
    assert not Listing.objects.exists()
    assert not any(media_root.rglob("*.jpg"))


def on_sale_with_two_photos():
    """A seller's signed-in client, their item listed with two photos, its edit page."""
    client = signed_in(make_user())
    sell(client, [images.png("a.png"), images.png("b.png")])
    listing = Listing.objects.get()
    page = client.get(f"/items/{listing.pk}/edit/").content.decode()
    return client, listing, *listing.photos.all(), page


def test_the_edit_form_removes_and_adds_photos(db):
    client, listing, first, second, page = on_sale_with_two_photos()
    assert 'enctype="multipart/form-data"' in page and f'value="{first.pk}"' in page
    response = client.post(
        f"/items/{listing.pk}/edit/",
        {**FORM, "remove_photos": [first.pk], "photos": [images.jpeg_on_its_side()]},
    )
    assert response.status_code == 302
    kept, added = listing.photos.all()
    assert (kept.pk, kept.position, added.position) == (second.pk, 0, 1)
    assert (added.width, added.height) == (100, 200)


def test_eleven_photos_are_refused_on_the_form(db):
    response = sell(signed_in(make_user()), [images.png() for _ in range(11)])
    assert response.status_code == 400
    assert not ListingPhoto.objects.exists()


def test_make_this_the_cover_on_the_edit_page(db):
    client, listing, first, second, page = on_sale_with_two_photos()
    cover_url = f"/items/{listing.pk}/photos/{second.pk}/cover/"
    assert f'formaction="{cover_url}"' in page  # a button of the edit form, no JavaScript

    response = client.post(cover_url)

    assert response.status_code == 302
    assert [p.pk for p in listing.photos.all()] == [second.pk, first.pk]
    assert signed_in(make_user()).post(cover_url).status_code == 404  # not their item
    assert client.post(f"/items/{listing.pk}/photos/999999/cover/").status_code == 404
