"""Photos on the API: `multipart/form-data` to POST /api/v1/listings/{id}/photos (all or
nothing, errors as {"error", "detail"}), DELETE one, and `photos` on the listing resource
({"id", "url", "thumbnail_url", "width", "height"}, cover first, absolute URLs)."""

import pytest

from furima.market.models import ListingPhoto
from tests import images
from tests.api.test_api import Api
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.usefixtures("clock")


def upload(api, listing_id, files):
    return api.client.post(
        f"/api/v1/listings/{listing_id}/photos", {"photos": files}, headers=api.headers
    )


def test_photos_uploaded_as_multipart_appear_on_the_listing_resource(db, media_root):
    seller = make_user()
    listing = make_listing(seller=seller)
    response = upload(Api(seller), listing.pk, [images.jpeg_on_its_side(), images.png()])
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert [(p["width"], p["height"]) for p in photos] == [(100, 200), (64, 48)]
    cover = ListingPhoto.objects.get(position=0)
    assert photos[0]["url"] == f"http://testserver{cover.image.url}"
    assert photos[0]["thumbnail_url"] == f"http://testserver{cover.thumbnail.url}"
    assert Api().get(f"/listings/{listing.pk}").json()["photos"] == photos
    [listed] = Api().get("/listings").json()
    assert listed["photos"] == photos


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        (lambda: [images.png(), images.text_named_jpg()], 400, "invalid_image"),
        (lambda: [images.decompression_bomb()], 413, "image_too_large"),
        (lambda: [images.png() for _ in range(11)], 400, "too_many_photos"),
    ],
    ids=["text-named-jpg", "bomb", "eleven"],
)
def test_a_bad_upload_is_a_4xx_with_its_code_and_stores_nothing(
    db, media_root, files, status, code
):
    seller = make_user()
    listing = make_listing(seller=seller)
    response = upload(Api(seller), listing.pk, files())
    assert response.status_code == status, response.content
    assert response.json()["error"] == code and response.json()["detail"]
    assert not ListingPhoto.objects.exists()
    assert not any(media_root.rglob("*.jpg"))


def test_only_the_seller_uploads_photos(db, media_root):
    listing = make_listing()
    assert upload(Api(make_user()), listing.pk, [images.png()]).status_code == 403
    assert upload(Api(), listing.pk, [images.png()]).status_code == 401


def test_deleting_a_photo_moves_the_next_one_up(db, media_root):
    seller = make_user()
    listing = make_listing(seller=seller)
    api = Api(seller)
    first, second = upload(api, listing.pk, [images.png(), images.jpeg_on_its_side()]).json()[
        "photos"
    ]
    response = api.client.delete(
        f"/api/v1/listings/{listing.pk}/photos/{first['id']}", headers=api.headers
    )
    assert response.status_code == 200
    assert response.json()["photos"] == [second]
    missing = api.client.delete(
        f"/api/v1/listings/{listing.pk}/photos/{first['id']}", headers=api.headers
    )
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")


def test_put_order_puts_the_photos_in_that_order_cover_first(db, media_root):
    seller = make_user()
    listing = make_listing(seller=seller)
    api = Api(seller)
    ids = [p["id"] for p in upload(api, listing.pk, [images.png(), images.png()]).json()["photos"]]

    response = api.put(f"/listings/{listing.pk}/photos/order", {"photo_ids": ids[::-1]})

    assert response.status_code == 200, response.content
    assert [p["id"] for p in response.json()["photos"]] == ids[::-1]
    refused = api.put(f"/listings/{listing.pk}/photos/order", {"photo_ids": ids[:1]})
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_input")
    stranger = Api(make_user()).put(f"/listings/{listing.pk}/photos/order", {"photo_ids": ids})
    assert stranger.status_code == 403
    assert [p["id"] for p in Api().get(f"/listings/{listing.pk}").json()["photos"]] == ids[::-1]
