"""Notices about questions and answers on listings (コメント): the seller hears of each
question, the people who asked hear of the seller's answer. A `FURIMA_LISTING_COMMENT_
SUBSCRIBERS` entry: called inside the transaction that wrote the comment.

Each notice is a mail (unless the recipient turned "questions" mails off) and an in-app
notice under マイページ's "Questions and answers", in the recipient's language, saying what
happened, the item, the text and an absolute link to the comment.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth import get_user_model

from furima.market.models import ListingComment
from furima.notify.models import QUESTIONS_TOPIC, MailKind
from furima.notify.services import (
    PREFERENCES_PATH,
    notice_send,
    notification_settings_of,
    recipient_language,
    site_url,
)
from furima.trades.wording import person

SUBJECT_TEMPLATE = "notify/comment_subject.txt"
BODY_TEMPLATE = "notify/comment_body.txt"


def notices_for_comment(*, comment: ListingComment, listing) -> None:
    """A question tells the seller; the seller's answer tells everyone else who asked on
    the listing (their comments not deleted). Nobody is told of their own comment."""
    if comment.by_seller:
        asker_ids = (
            ListingComment.objects.filter(listing=listing, deleted_at__isnull=True)
            .exclude(author_id=listing.seller_id)
            .values_list("author_id", flat=True)
            .distinct()
        )
        recipient_ids = set(asker_ids)
    else:
        recipient_ids = {listing.seller_id}
    recipient_ids.discard(comment.author_id)
    if not recipient_ids:
        return
    people = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True)
    choices = notification_settings_of(user_ids=recipient_ids)
    path = f"/items/{listing.pk}/#comment-{comment.pk}"
    for user in people.order_by("pk"):
        chosen = choices.get(user.pk)
        notice_send(
            key=f"comment:{comment.pk}",
            recipient=user,
            language=recipient_language(user, chosen),
            templates=(SUBJECT_TEMPLATE, BODY_TEMPLATE),
            context=partial(_mail_context, user, comment, listing, path),
            link=path,
            topic=QUESTIONS_TOPIC,
            mail=chosen is None or MailKind.QUESTIONS not in chosen.mail_off,
        )


def _mail_context(recipient, comment: ListingComment, listing, path: str) -> dict:
    return {
        "recipient": recipient,
        "author": person(comment.author),  # words: called in the recipient's language
        "answer": comment.by_seller,
        "title": listing.title,
        "text": comment.body,
        "url": site_url(path),
        "preferences_url": site_url(PREFERENCES_PATH),
    }
