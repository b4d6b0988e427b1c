"""Listing photos: up to 10, checked with Pillow (a real, complete JPEG, PNG or WebP; bytes
and pixels limited, so a decompression bomb is refused before it is decoded), stored upright
without EXIF with a square thumbnail, all or nothing."""

import io

import pytest
from PIL import Image

from furima.errors import FurimaError
from furima.market import photos as photo_services
from furima.market.models import Listing, ListingPhoto
from furima.market.photos import (
    MAX_PHOTOS,
    listing_create_with_photos,
    listing_photo_make_cover,
    listing_photo_remove,
    listing_photos_add,
    listing_photos_reorder,
)
from furima.trades.purchase import listing_purchase
from tests import images
from tests.factories import make_listing, make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

ITEM = {"title": "ワイヤレスイヤホン", "price": 4980}


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def opened(field) -> Image.Image:
    with field.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def test_a_sideways_phone_photo_is_stored_upright_without_its_exif(db, media_root):
    listing = listing_create_with_photos(
        seller=make_user(), photos=[images.jpeg_on_its_side()], **ITEM
    )
    [photo] = listing.photos.all()
    stored = opened(photo.image)
    assert (stored.format, stored.size, (photo.width, photo.height)) == (
        "JPEG",
        (100, 200),
        (100, 200),
    )
    top, bottom = stored.getpixel((50, 20)), stored.getpixel((50, 180))
    assert top[0] > 180 and top[2] < 80, top  # red on top: the orientation was applied
    assert bottom[2] > 180 and bottom[0] < 80, bottom
    assert len(stored.getexif()) == 0  # no orientation, no camera make: nothing kept
    assert "exif" not in stored.info
    thumbnail = opened(photo.thumbnail)
    assert thumbnail.size == (300, 300) and len(thumbnail.getexif()) == 0
    assert stored_files(media_root) == sorted([photo.image.name, photo.thumbnail.name])


def test_a_transparent_png_becomes_a_jpeg_on_white(db, media_root):
    listing = listing_create_with_photos(seller=make_user(), photos=[images.png()], **ITEM)
    stored = opened(listing.photos.get().image)
    assert stored.format == "JPEG" and stored.size == (64, 48)
    assert stored.getpixel((60, 10)) == pytest.approx((255, 255, 255), abs=3)
    assert stored.getpixel((4, 10))[1] > 100  # the opaque green half stays green


def test_a_large_photo_is_resized_to_1280_pixels_once(db, media_root):
    big = images.noisy_jpeg(size=(2560, 1920))
    photo = listing_create_with_photos(seller=make_user(), photos=[big], **ITEM).photos.get()
    assert (photo.width, photo.height) == (1280, 960) == opened(photo.image).size


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (images.text_named_jpg, "invalid_image"),
        (images.truncated_jpeg, "invalid_image"),
        (images.decompression_bomb, "image_too_large"),
        (lambda: images.png_header_claiming(100_000, 100_000), "image_too_large"),
        (lambda: images.png_header_claiming(9000, 9000), "image_too_large"),
    ],
    ids=["text-named-jpg", "truncated", "bomb", "header-of-10-gigapixels", "header-of-81-mp"],
)
def test_a_bad_file_among_good_ones_saves_nothing(db, media_root, bad, code):
    photos = [images.jpeg_on_its_side(), images.png(), bad()]
    with pytest.raises(FurimaError) as refused:
        listing_create_with_photos(seller=make_user(), photos=photos, **ITEM)
    assert refused.value.code == code
    assert "photo 3" in refused.value.detail
    assert not Listing.objects.exists() and not ListingPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_byte_limit_is_refused(db, media_root, settings):
    settings.FURIMA_PHOTO_MAX_BYTES = 50_000
    with pytest.raises(FurimaError) as refused:
        listing_create_with_photos(seller=make_user(), photos=[images.noisy_jpeg()], **ITEM)
    assert (refused.value.code, refused.value.http_status) == ("image_too_large", 413)
    assert not Listing.objects.exists()


def test_a_listing_holds_at_most_ten_photos(db, media_root):
    with pytest.raises(FurimaError) as refused:
        listing_create_with_photos(
            seller=make_user(), photos=[images.png() for _ in range(MAX_PHOTOS + 1)], **ITEM
        )
    assert refused.value.code == "too_many_photos"
    assert not Listing.objects.exists()


def test_adding_past_ten_adds_none(db, media_root):
    seller = make_user()
    listing = listing_create_with_photos(seller=seller, **ITEM)
    listing_photos_add(listing_id=listing.pk, user=seller, photos=[images.png() for _ in range(8)])
    before = stored_files(media_root)
    with pytest.raises(FurimaError) as refused:
        listing_photos_add(
            listing_id=listing.pk, user=seller, photos=[images.png() for _ in range(3)]
        )
    assert refused.value.code == "too_many_photos"
    assert listing.photos.count() == 8
    assert stored_files(media_root) == before


def test_a_storage_failure_midway_deletes_the_files_already_written(db, media_root, monkeypatch):
    real_save = photo_services.default_storage.save
    calls = []

    def failing_save(name, content):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real_save(name, content)

    monkeypatch.setattr(photo_services.default_storage, "save", failing_save)
    with pytest.raises(OSError):
        listing_create_with_photos(seller=make_user(), photos=[images.png(), images.png()], **ITEM)
    assert len(calls) == 3
    assert stored_files(media_root) == []
    assert not Listing.objects.exists()


def test_removing_a_photo_closes_the_gap_and_deletes_its_files_after_commit(
    db, media_root, django_capture_on_commit_callbacks
):
    seller = make_user()
    listing = listing_create_with_photos(
        seller=seller, photos=[images.png() for _ in range(3)], **ITEM
    )
    first, second, third = listing.photos.all()
    with django_capture_on_commit_callbacks(execute=True):
        listing_photo_remove(listing_id=listing.pk, user=seller, photo_id=second.pk)
    assert [(p.pk, p.position) for p in listing.photos.all()] == [(first.pk, 0), (third.pk, 1)]
    assert second.image.name not in stored_files(media_root)
    assert len(stored_files(media_root)) == 4


def test_only_the_seller_changes_photos_and_only_while_on_sale(db, media_root):
    listing = make_listing()
    with pytest.raises(FurimaError) as refused:
        listing_photos_add(listing_id=listing.pk, user=make_user(), photos=[images.png()])
    assert refused.value.code == "forbidden_actor"
    trade = make_trade()
    with pytest.raises(FurimaError) as refused:
        listing_photos_add(listing_id=trade.listing_id, user=trade.seller, photos=[images.png()])
    assert refused.value.code == "conflict"
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("mode", "fmt"), [("CMYK", "JPEG"), ("I;16", "PNG"), ("P", "PNG"), ("1", "PNG")]
)
def test_print_and_scanner_modes_are_stored_as_ordinary_jpegs(db, media_root, mode, fmt):
    out = io.BytesIO()
    Image.new(mode, (50, 40)).save(out, fmt)
    upload = images.SimpleUploadedFile(f"scan.{fmt.lower()}", out.getvalue())
    photo = listing_create_with_photos(seller=make_user(), photos=[upload], **ITEM).photos.get()
    assert opened(photo.image).mode == "RGB"


def test_a_tiff_is_refused_by_its_format(db, media_root):
    out = io.BytesIO()
    Image.new("RGB", (50, 40)).save(out, "TIFF")
    upload = images.SimpleUploadedFile("scan.jpg", out.getvalue())
    with pytest.raises(FurimaError) as refused:
        listing_create_with_photos(seller=make_user(), photos=[upload], **ITEM)
    assert refused.value.code == "invalid_image" and "TIFF" in refused.value.detail


def test_staff_remove_a_photo_of_any_listing_even_sold(db, media_root):
    seller = make_user()
    listing = listing_create_with_photos(seller=seller, photos=[images.png()], **ITEM)
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    photo = listing.photos.get()
    with pytest.raises(FurimaError):
        listing_photo_remove(listing_id=listing.pk, user=make_user(), photo_id=photo.pk)
    listing_photo_remove(listing_id=listing.pk, user=make_staff(), photo_id=photo.pk)
    assert not listing.photos.exists()


def test_the_seller_reorders_the_photos_and_the_first_is_the_cover(db, media_root):
    seller = make_user()
    listing = listing_create_with_photos(
        seller=seller, photos=[images.png() for _ in range(3)], **ITEM
    )
    a, b, c = (p.pk for p in listing.photos.all())

    listing_photos_reorder(listing_id=listing.pk, user=seller, photo_ids=[c, a, b])
    assert [p.pk for p in listing.photos.all()] == [c, a, b]
    listing_photo_make_cover(listing_id=listing.pk, user=seller, photo_id=b)
    assert [(p.pk, p.position) for p in listing.photos.all()] == [(b, 0), (c, 1), (a, 2)]


@pytest.mark.parametrize(
    "order", [lambda a, b, c: [a, b], lambda a, b, c: [a, b, c, c], lambda a, b, c: [a, b, 999]]
)
def test_an_order_that_is_not_every_photo_once_moves_nothing(db, media_root, order):
    seller = make_user()
    listing = listing_create_with_photos(
        seller=seller, photos=[images.png() for _ in range(3)], **ITEM
    )
    before = [p.pk for p in listing.photos.all()]
    with pytest.raises(FurimaError) as refused:
        listing_photos_reorder(listing_id=listing.pk, user=seller, photo_ids=order(*before))
    assert refused.value.code == "invalid_input"
    assert [p.pk for p in listing.photos.all()] == before


def test_only_the_seller_reorders_and_only_while_on_sale(db, media_root):
    seller = make_user()
    listing = listing_create_with_photos(seller=seller, photos=[images.png()] * 2, **ITEM)
    first, second = (p.pk for p in listing.photos.all())
    with pytest.raises(FurimaError) as refused:
        listing_photo_make_cover(listing_id=listing.pk, user=make_user(), photo_id=second)
    assert refused.value.code == "forbidden_actor"
    listing_purchase(listing_id=listing.pk, buyer=make_user(), expected_price=ITEM["price"])
    with pytest.raises(FurimaError) as refused:
        listing_photos_reorder(listing_id=listing.pk, user=seller, photo_ids=[second, first])
    assert refused.value.code == "conflict"
    assert [p.pk for p in listing.photos.all()] == [first, second]
