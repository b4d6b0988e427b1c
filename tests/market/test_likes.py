"""Likes (いいね): one per person and item, counted on the listing, never on one's own item."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from furima.errors import FurimaError
from furima.market.models import ListingLike
from furima.market.selectors_social import LIKED_ORDERING, liked_by, likes_of
from furima.market.services import listing_purchase, listing_update
from furima.market.services_social import like_set, like_unset
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.usefixtures("clock")


def count_of(listing) -> int:
    listing.refresh_from_db()
    return listing.like_count


def test_liking_an_item_counts_once_however_often_it_is_sent(db):
    listing, fan = make_listing(), make_user()
    first = like_set(listing_id=listing.pk, user=fan)
    again = like_set(listing_id=listing.pk, user=fan)
    assert (first.liked, first.like_count) == (True, 1)
    assert (again.liked, again.like_count) == (True, 1)
    assert count_of(listing) == 1
    assert liked_by(user=fan, listing_id=listing.pk)


def test_the_count_is_the_number_of_people_who_like_it(db):
    listing = make_listing()
    for _ in range(3):
        like_set(listing_id=listing.pk, user=make_user())
    assert count_of(listing) == 3 == ListingLike.objects.filter(listing=listing).count()


def test_taking_a_like_back_lowers_the_count_once(db):
    listing, fan = make_listing(), make_user()
    like_set(listing_id=listing.pk, user=fan)
    like_set(listing_id=listing.pk, user=make_user())
    assert like_unset(listing_id=listing.pk, user=fan).like_count == 1
    assert like_unset(listing_id=listing.pk, user=fan).like_count == 1
    assert count_of(listing) == 1
    assert not liked_by(user=fan, listing_id=listing.pk)


def test_the_seller_cannot_like_their_own_item(db):
    listing = make_listing()
    with pytest.raises(FurimaError) as raised:
        like_set(listing_id=listing.pk, user=listing.seller)
    assert raised.value.code == "forbidden_actor"
    assert count_of(listing) == 0 and not ListingLike.objects.exists()


def test_a_sold_item_cannot_be_newly_liked_but_a_like_can_be_taken_back(db):
    listing, fan = make_listing(), make_user()
    like_set(listing_id=listing.pk, user=fan)
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    with pytest.raises(FurimaError) as raised:
        like_set(listing_id=listing.pk, user=make_user())
    assert raised.value.code == "not_allowed_in_state"
    assert like_set(listing_id=listing.pk, user=fan).liked  # already liked: unchanged
    assert like_unset(listing_id=listing.pk, user=fan).like_count == 0


def test_an_anonymous_visitor_or_unknown_item_is_refused(db):
    with pytest.raises(FurimaError) as raised:
        like_set(listing_id=make_listing().pk, user=AnonymousUser())
    assert raised.value.code == "unauthenticated"
    with pytest.raises(FurimaError) as raised:
        like_set(listing_id=424242, user=make_user())
    assert raised.value.code == "not_found"


def test_editing_the_listing_keeps_its_count(db):
    listing = make_listing()
    like_set(listing_id=listing.pk, user=make_user())
    listing_update(listing_id=listing.pk, user=listing.seller, title="新しい題名", price=900)
    assert count_of(listing) == 1


def test_a_persons_liked_items_come_newest_like_first(db, clock):
    fan = make_user()
    older, newer = make_listing(), make_listing()
    like_set(listing_id=older.pk, user=fan)
    clock.advance(minutes=1)
    like_set(listing_id=newer.pk, user=fan)
    like_set(listing_id=make_listing().pk, user=make_user())  # someone else's
    assert [like.listing for like in likes_of(user=fan).order_by(*LIKED_ORDERING)] == [
        newer,
        older,
    ]
