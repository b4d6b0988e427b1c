"""Writes for listing photos: a listing holds up to `MAX_PHOTOS`, added with the listing,
while editing it, or on their own, and removed one by one while it is on sale.

All or nothing. Every file of a request is checked and resized first (`market.images`:
slow Pillow work, outside any transaction and lock); only when all of them pass are the
files written to Django's storage and their rows to the database, in one transaction. If
anything fails after the first file is written — a later file's storage write, the photo
limit found exceeded under the lock, the commit itself — the files this request wrote are
deleted again: no orphan file, no half-saved listing. A removed photo's files are deleted
only once the removal has committed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from furima import clock
from furima.errors import Conflict, ForbiddenActor, FurimaError, NotFound, Unauthenticated
from furima.market.images import PhotoRejected, PhotoSource, ProcessedPhoto, photo_process
from furima.market.models import Listing, ListingPhoto, ListingStatus
from furima.market.services import listing_create, listing_update

MAX_PHOTOS = 10
"""Photos per listing, as the big flea markets allow."""

log = logging.getLogger(__name__)


class TooManyPhotos(PhotoRejected):
    code = "too_many_photos"


class PhotoOrderInvalid(FurimaError):
    code = "invalid_input"


def _too_many(count: int) -> TooManyPhotos:
    return TooManyPhotos(f"a listing holds at most {MAX_PHOTOS} photos ({count} were asked for)")


def photos_prepare(files: Sequence[PhotoSource]) -> list[ProcessedPhoto]:
    """Check and resize every file; `PhotoRejected` for the first bad one (nothing stored)."""
    if len(files) > MAX_PHOTOS:
        raise _too_many(len(files))
    return [photo_process(f, name=_name_of(f, i)) for i, f in enumerate(files, start=1)]


def _name_of(file: PhotoSource, number: int) -> str:
    name = str(getattr(file, "name", "") or "")[:100]
    return f"photo {number} ({name})" if name else f"photo {number}"


def listing_create_with_photos(*, seller, photos: Sequence[PhotoSource] = (), **fields) -> Listing:
    """`listing_create` with its photos, in one transaction: a bad photo means no listing."""
    prepared = photos_prepare(photos)
    with _written_files() as written, transaction.atomic():
        listing = listing_create(seller=seller, **fields)
        _attach(listing, prepared, written)
    return listing


def listing_update_with_photos(
    *,
    listing_id: int,
    user,
    add_photos: Sequence[PhotoSource] = (),
    remove_photos: Sequence[int] = (),
    **fields,
) -> Listing:
    """`listing_update`, removing the photos with ids `remove_photos` and appending
    `add_photos`, in one transaction: a bad photo or too many leave the listing as it was."""
    prepared = photos_prepare(add_photos)
    with _written_files() as written, transaction.atomic():
        listing = listing_update(listing_id=listing_id, user=user, **fields)  # locks it
        _remove(listing, remove_photos)
        _attach(listing, prepared, written)
    return listing


def listing_photos_add(*, listing_id: int, user, photos: Sequence[PhotoSource]) -> Listing:
    """The seller appends photos to an item on sale (the API's multipart upload)."""
    _require_user(user)
    if not photos:
        raise PhotoRejected("send at least one photo (the form field is `photos`)")
    prepared = photos_prepare(photos)
    with _written_files() as written, transaction.atomic():
        listing = _own_listing_locked(listing_id, user)
        _attach(listing, prepared, written)
    return listing


def listing_photo_remove(*, listing_id: int, user, photo_id: int) -> Listing:
    """The seller removes one photo of an item on sale; the others move up. Staff may
    remove any listing's photo, sold or not (moderation: a photo that shows an address)."""
    _require_user(user)
    with transaction.atomic():
        if user.is_staff:
            listing = Listing.objects.select_for_update(of=("self",)).filter(pk=listing_id).first()
            if listing is None:
                raise NotFound(f"there is no listing {listing_id}")
        else:
            listing = _own_listing_locked(listing_id, user)
        _remove(listing, [photo_id])
    return listing


def listing_photos_reorder(*, listing_id: int, user, photo_ids: Sequence[int]) -> Listing:
    """The seller puts the photos of an item on sale in a new order, the first the cover the
    cards show. `photo_ids`: every photo of the listing, each once (anything else is
    `PhotoOrderInvalid`, and nothing moves)."""
    return _reorder(listing_id, user, lambda current: list(photo_ids))


def listing_photo_make_cover(*, listing_id: int, user, photo_id: int) -> Listing:
    """The seller makes one photo the cover; the others keep their order after it."""

    def cover_first(current: list[int]) -> list[int]:
        if photo_id not in current:
            raise NotFound("the listing has no such photo")
        return [photo_id, *(pk for pk in current if pk != photo_id)]

    return _reorder(listing_id, user, cover_first)


def _reorder(listing_id: int, user, new_order: Callable[[list[int]], list[int]]) -> Listing:
    """`new_order` gets the photos' ids in their order now, read under the listing's lock."""
    _require_user(user)
    with transaction.atomic():
        listing = _own_listing_locked(listing_id, user)
        photos = {photo.pk: photo for photo in listing.photos.order_by("position")}
        order = new_order(list(photos))
        if sorted(order) != sorted(photos):
            raise PhotoOrderInvalid(
                "list every photo of the listing once, in the new order: "
                f"{sorted(photos)} in any order"
            )
        # Two passes keep the (listing, position) constraint: out of the way, then in place.
        for offset, pk in enumerate(order):
            photos[pk].position = MAX_PHOTOS + offset
            photos[pk].save(update_fields=["position"])
        for position, pk in enumerate(order):
            photos[pk].position = position
            photos[pk].save(update_fields=["position"])
    return listing


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Unauthenticated("sign in first")


def _own_listing_locked(listing_id: int, user) -> Listing:
    listing = Listing.objects.select_for_update(of=("self",)).filter(pk=listing_id).first()
    if listing is None:
        raise NotFound(f"there is no listing {listing_id}")
    if listing.seller_id != user.pk:
        raise ForbiddenActor("only the seller can change a listing's photos")
    if listing.status != ListingStatus.ON_SALE:
        raise Conflict(f"the listing is {listing.status}, not on sale")
    return listing


def _remove(listing: Listing, photo_ids: Sequence[int]) -> None:
    """Delete the rows now, their files after the commit; close the gaps in `position`."""
    if not photo_ids:
        return
    doomed = list(listing.photos.filter(pk__in=photo_ids))
    if len(doomed) != len(set(photo_ids)):
        raise NotFound("the listing has no such photo")
    names = [name for p in doomed for name in (p.image.name, p.thumbnail.name) if name]
    ListingPhoto.objects.filter(pk__in=[p.pk for p in doomed]).delete()
    # Ascending, each row moves down into a slot already free: the unique constraint holds.
    for index, photo in enumerate(listing.photos.order_by("position")):
        if photo.position != index:
            photo.position = index
            photo.save(update_fields=["position"])
    transaction.on_commit(lambda: _delete_files(names))


def _attach(listing: Listing, prepared: list[ProcessedPhoto], written: list[str]) -> None:
    """Store the files and append the rows; the caller's transaction holds the listing."""
    if not prepared:
        return
    count = listing.photos.count()
    if count + len(prepared) > MAX_PHOTOS:
        raise _too_many(count + len(prepared))
    now = clock.now()
    for offset, photo in enumerate(prepared):
        stem = f"listings/{listing.pk}/{uuid.uuid4().hex}"
        image = _write(f"{stem}.jpg", photo.image, written)
        thumbnail = _write(f"{stem}-thumb.jpg", photo.thumbnail, written)
        ListingPhoto.objects.create(
            listing=listing,
            position=count + offset,
            image=image,
            thumbnail=thumbnail,
            width=photo.width,
            height=photo.height,
            created_at=now,
        )


def _write(name: str, data: bytes, written: list[str]) -> str:
    saved = default_storage.save(name, ContentFile(data))
    written.append(saved)
    return saved


@contextmanager
def _written_files() -> Iterator[list[str]]:
    """Collects the names of the files written inside; deletes them if the block fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        _delete_files(written)
        raise


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # a file left behind is untidy, not wrong: log it, carry on
            log.exception("could not delete the stored file %s", name)
