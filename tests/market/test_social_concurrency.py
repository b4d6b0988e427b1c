"""Likes and comments racing on PostgreSQL: threads with their own connections act on one
listing at the same instant. The listing row lock keeps `like_count` equal to the likes, and
a comment racing the purchase either lands before the sale or is refused after it.
(`postgresql_only`: SQLite serialises every writer, so there is no race to test.)"""

from __future__ import annotations

import pytest

from furima.errors import FurimaError
from furima.market.models import ListingComment, ListingLike
from furima.market.services_social import comment_post, like_set, like_unset
from furima.trades.purchase import listing_purchase
from tests.factories import make_listing, make_user
from tests.worker.test_concurrency import race

pytestmark = pytest.mark.postgresql_only


def test_many_people_liking_at_once_are_each_counted(transactional_db, clock):
    listing = make_listing()
    fans = [make_user() for _ in range(6)]
    outcomes = race(*[lambda fan=fan: like_set(listing_id=listing.pk, user=fan) for fan in fans])
    assert all(not isinstance(o, Exception) for o in outcomes), outcomes
    listing.refresh_from_db()
    assert listing.like_count == 6 == ListingLike.objects.filter(listing=listing).count()


def test_one_person_liking_and_unliking_at_once_leaves_count_and_rows_agreeing(
    transactional_db, clock
):
    listing = make_listing()
    fan = make_user()
    race(
        lambda: like_set(listing_id=listing.pk, user=fan),
        lambda: like_set(listing_id=listing.pk, user=fan),
        lambda: like_unset(listing_id=listing.pk, user=fan),
    )
    listing.refresh_from_db()
    assert listing.like_count == ListingLike.objects.filter(listing=listing).count() <= 1


def test_a_question_racing_the_purchase_lands_before_the_sale_or_is_refused(
    transactional_db, clock
):
    listing = make_listing()
    asker, buyer = make_user(), make_user()
    asked, bought = race(
        lambda: comment_post(listing_id=listing.pk, user=asker, body="まだありますか？"),
        lambda: listing_purchase(listing_id=listing.pk, buyer=buyer),
    )
    assert not isinstance(bought, Exception)
    if isinstance(asked, FurimaError):
        assert asked.code == "not_allowed_in_state"
        assert not ListingComment.objects.exists()
    else:
        assert asked.created_at <= bought.purchased_at
