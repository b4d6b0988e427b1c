"""Notices to the people who liked an item when its price drops (値下げ). A
`FURIMA_LISTING_PRICE_DROP_SUBSCRIBERS` entry: called inside the transaction that lowered the
price.

One notice per liker and price: the key names the new price, so a seller who lowers, raises
and lowers to the same price again does not mail the same news twice.
"""

from __future__ import annotations

from functools import partial

from furima.market.models import ListingLike
from furima.notify.models import LIKES_TOPIC, MailKind
from furima.notify.services import (
    PREFERENCES_PATH,
    notice_send,
    notification_settings_of,
    recipient_language,
    site_url,
)

SUBJECT_TEMPLATE = "notify/price_drop_subject.txt"
BODY_TEMPLATE = "notify/price_drop_body.txt"


def notices_for_price_drop(*, listing, old_price: int) -> None:
    likes = ListingLike.objects.filter(listing=listing, user__is_active=True).select_related("user")
    people = [like.user for like in likes.order_by("user_id")]
    choices = notification_settings_of(user_ids=[user.pk for user in people])
    path = f"/items/{listing.pk}/"
    for user in people:
        chosen = choices.get(user.pk)
        notice_send(
            key=f"price-drop:{listing.pk}:{listing.price}",
            recipient=user,
            language=recipient_language(user, chosen),
            templates=(SUBJECT_TEMPLATE, BODY_TEMPLATE),
            context=partial(_mail_context, user, listing, old_price, path),
            link=path,
            topic=LIKES_TOPIC,
            mail=chosen is None or MailKind.LIKES not in chosen.mail_off,
        )


def _mail_context(recipient, listing, old_price: int, path: str) -> dict:
    return {
        "recipient": recipient,
        "title": listing.title,
        "old_price": old_price,
        "price": listing.price,
        "url": site_url(path),
        "preferences_url": site_url(PREFERENCES_PATH),
    }
