"""Likes (いいね): one per person and item, counted on the listing, never on one's own item."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from furima.accounts.services import user_create
from furima.errors import FurimaError
from furima.market.models import ListingLike
from furima.market.selectors_social import LIKED_ORDERING, liked_by, likes_of
from furima.market.services import listing_update
from furima.market.services_social import like_set, like_unset
from furima.notify.models import Channel, MailKind, Notification
from furima.notify.services import notification_settings_save
from furima.trades.purchase import listing_purchase
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


# ------------------------------------------------------------------ price drops


def price_drop_mails(user):
    return list(Notification.objects.filter(recipient=user, channel=Channel.MAIL, topic="likes"))


def lower(listing, price):
    return listing_update(
        listing_id=listing.pk, user=listing.seller, title=listing.title, price=price
    )


def test_a_price_drop_tells_everyone_who_liked_the_item(db):
    listing = make_listing(price=1200, title="文庫本")
    fans = [user_create(username=name, email=f"{name}@example.test") for name in ("taro", "jiro")]
    for fan in fans:
        like_set(listing_id=listing.pk, user=fan)
    lower(listing, 900)
    for fan in fans:
        [mail] = price_drop_mails(fan)
        assert mail.subject == "[furima] 文庫本: 900円 に値下げされました"
        assert "価格: 1,200円 → 900円" in mail.body
        assert f"http://localhost:8000/items/{listing.pk}/" in mail.body
        [in_app] = Notification.objects.filter(recipient=fan, channel=Channel.IN_APP)
        assert in_app.link == f"/items/{listing.pk}/"


def test_a_higher_or_equal_price_tells_nobody(db):
    listing = make_listing(price=1200)
    fan = user_create(username="taro", email="taro@example.test")
    like_set(listing_id=listing.pk, user=fan)
    lower(listing, 1200)
    lower(listing, 1500)
    assert price_drop_mails(fan) == []


def test_the_same_lower_price_again_is_not_news_twice(db):
    listing = make_listing(price=1200)
    fan = user_create(username="taro", email="taro@example.test")
    like_set(listing_id=listing.pk, user=fan)
    lower(listing, 900)
    lower(listing, 1200)
    lower(listing, 900)
    lower(listing, 800)
    subjects = sorted(m.subject for m in price_drop_mails(fan))
    assert len(subjects) == 2  # 900 once, then 800
    assert "800円" in subjects[0] and "900円" in subjects[1]


def test_someone_who_took_the_like_back_or_turned_the_mail_off(db):
    listing = make_listing(price=1200)
    gone = user_create(username="taro", email="taro@example.test")
    quiet = user_create(username="jiro", email="jiro@example.test")
    like_set(listing_id=listing.pk, user=gone)
    like_unset(listing_id=listing.pk, user=gone)
    like_set(listing_id=listing.pk, user=quiet)
    wanted = [kind for kind in MailKind.values if kind != MailKind.LIKES]
    notification_settings_save(user=quiet, mail_on=wanted, language="en")
    lower(listing, 900)
    assert Notification.objects.filter(recipient=gone).count() == 0
    assert price_drop_mails(quiet) == []
    [in_app] = Notification.objects.filter(recipient=quiet, channel=Channel.IN_APP)
    assert in_app.language == "en" and in_app.subject.endswith(": now ¥900")
