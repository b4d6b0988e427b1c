"""Questions and answers on a listing (コメント): who may post and delete, what is refused,
and the notices written to the outbox in the same transaction."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from furima.accounts.services import user_create
from furima.errors import FurimaError
from furima.market.models import ListingComment
from furima.market.services import listing_withdraw
from furima.market.services_social import COMMENT_LIMITS, comment_delete, comment_post
from furima.notify.models import Channel, MailKind, Notification
from furima.notify.services import notification_settings_save
from furima.trades.purchase import listing_purchase
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.usefixtures("clock")


@contextmanager
def writes_nothing():
    before = (ListingComment.objects.count(), Notification.objects.count())
    yield
    assert (ListingComment.objects.count(), Notification.objects.count()) == before


@pytest.fixture
def seller(db):
    return user_create(username="hanako", email="hanako@example.test", display_name="はなこ")


@pytest.fixture
def asker(db):
    return user_create(username="taro", email="taro@example.test", display_name="太郎")


@pytest.fixture
def listing(seller):
    return make_listing(seller=seller, title="ワイヤレスイヤホン")


def test_a_signed_in_user_asks_a_question_on_an_item_on_sale(listing, asker, clock):
    comment = comment_post(listing_id=listing.pk, user=asker, body="  箱はありますか？  ")
    assert comment.body == "箱はありますか？"
    assert comment.by_seller is False
    assert comment.created_at == clock.now()
    assert list(listing.comments.all()) == [comment]


def test_the_sellers_comment_is_marked_as_the_sellers_answer(listing, seller):
    answer = comment_post(listing_id=listing.pk, user=seller, body="はい、あります。")
    assert answer.by_seller is True


@pytest.mark.parametrize("body", ["", "   \n ", None, 42, "x" * 1001, "a\x00b"])
def test_a_blank_too_long_or_malformed_comment_is_refused(listing, asker, body):
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=asker, body=body)
    assert raised.value.code == "invalid_input"


def test_a_comment_of_exactly_the_limit_is_accepted(listing, asker):
    assert len(comment_post(listing_id=listing.pk, user=asker, body="あ" * 1000).body) == 1000


def test_an_anonymous_visitor_must_sign_in(listing):
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=AnonymousUser(), body="hello")
    assert raised.value.code == "unauthenticated"


def test_an_unknown_listing_is_not_found(db, asker):
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=424242, user=asker, body="hello")
    assert raised.value.code == "not_found"


def test_questions_close_once_the_item_is_sold(listing, asker, seller):
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    for someone in (asker, seller):
        with writes_nothing(), pytest.raises(FurimaError) as raised:
            comment_post(listing_id=listing.pk, user=someone, body="まだありますか？")
        assert raised.value.code == "not_allowed_in_state"
        assert raised.value.http_status == 409


def test_questions_close_once_the_item_is_withdrawn(listing, asker, seller):
    listing_withdraw(listing_id=listing.pk, user=seller)
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=asker, body="まだありますか？")
    assert raised.value.code == "not_allowed_in_state"


def test_too_many_comments_in_a_minute_are_refused_until_the_window_passes(listing, asker, clock):
    limit, window = COMMENT_LIMITS[0]
    for n in range(limit):
        comment_post(listing_id=listing.pk, user=asker, body=f"質問 {n}")
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=asker, body="もう一つ")
    assert raised.value.code == "rate_limited"
    assert raised.value.http_status == 429
    assert raised.value.allowed_from == clock.now() + window
    clock.advance(seconds=window.total_seconds())
    comment_post(listing_id=listing.pk, user=asker, body="もう一つ")


def test_the_hourly_limit_counts_deleted_comments_too(listing, asker, clock):
    per_minute, minute = COMMENT_LIMITS[0]
    hourly, _ = COMMENT_LIMITS[1]
    for n in range(hourly):
        comment = comment_post(listing_id=listing.pk, user=asker, body=f"質問 {n}")
        comment_delete(comment_id=comment.pk, user=asker)
        if (n + 1) % per_minute == 0:
            clock.advance(seconds=minute.total_seconds())
    with pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=asker, body="もう一つ")
    assert raised.value.code == "rate_limited"


def test_the_limit_is_per_person(listing, asker):
    limit, _ = COMMENT_LIMITS[0]
    for n in range(limit):
        comment_post(listing_id=listing.pk, user=asker, body=f"質問 {n}")
    comment_post(listing_id=listing.pk, user=make_user(), body="私も質問です")


def test_the_same_idempotency_key_posts_once(listing, asker):
    first = comment_post(listing_id=listing.pk, user=asker, body="箱は？", idempotency_key="k-1")
    again = comment_post(listing_id=listing.pk, user=asker, body="箱は？", idempotency_key="k-1")
    assert again.pk == first.pk
    assert listing.comments.count() == 1
    with writes_nothing(), pytest.raises(FurimaError) as raised:
        comment_post(listing_id=listing.pk, user=asker, body="別の質問", idempotency_key="k-1")
    assert raised.value.code == "conflict"


def test_the_author_deletes_their_comment_and_its_text_is_erased(listing, asker, clock):
    comment = comment_post(listing_id=listing.pk, user=asker, body="電話番号は 090-…")
    clock.advance(minutes=5)
    deleted = comment_delete(comment_id=comment.pk, user=asker)
    comment.refresh_from_db()
    assert comment.deleted and comment.body == "" and comment.deleted_at == clock.now()
    assert deleted.pk == comment.pk
    assert listing.comments.count() == 1  # keeps its place in the thread


def test_the_seller_may_delete_anyones_comment_on_their_item(listing, asker, seller):
    comment = comment_post(listing_id=listing.pk, user=asker, body="安くして")
    comment_delete(comment_id=comment.pk, user=seller)
    comment.refresh_from_db()
    assert comment.deleted


def test_someone_else_may_not_delete_a_comment(listing, asker):
    comment = comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    with pytest.raises(FurimaError) as raised:
        comment_delete(comment_id=comment.pk, user=make_user())
    assert raised.value.code == "forbidden_actor"
    comment.refresh_from_db()
    assert not comment.deleted and comment.body == "箱は？"


def test_a_comment_named_under_another_listing_is_not_found(listing, asker):
    comment = comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    other = make_listing()
    with pytest.raises(FurimaError) as raised:
        comment_delete(comment_id=comment.pk, user=asker, listing_id=other.pk)
    assert raised.value.code == "not_found"
    comment.refresh_from_db()
    assert not comment.deleted


def test_deleting_twice_changes_nothing_more(listing, asker, clock):
    comment = comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    first = comment_delete(comment_id=comment.pk, user=asker).deleted_at
    clock.advance(hours=1)
    assert comment_delete(comment_id=comment.pk, user=asker).deleted_at == first


# ------------------------------------------------------------------ notices


def notices(user, channel=Channel.MAIL):
    return list(Notification.objects.filter(recipient=user, channel=channel))


def test_a_question_notifies_the_seller_by_mail_and_in_app(listing, asker, seller):
    comment = comment_post(listing_id=listing.pk, user=asker, body="箱はありますか？")
    [mail] = notices(seller)
    [in_app] = notices(seller, Channel.IN_APP)
    assert mail.status == "pending" and in_app.status == "sent"
    assert mail.language == "ja"
    assert "ワイヤレスイヤホン" in mail.subject
    assert "太郎さんが、あなたの商品に質問しました。" in mail.body
    assert "箱はありますか？" in mail.body
    assert f"http://localhost:8000/items/{listing.pk}/#comment-{comment.pk}" in mail.body
    assert in_app.link == f"/items/{listing.pk}/#comment-{comment.pk}"
    assert in_app.topic == "questions"
    assert notices(asker) == []  # nobody is told of their own comment


def test_the_sellers_answer_notifies_everyone_who_asked_once_each(listing, asker, seller):
    other = user_create(username="jiro", email="jiro@example.test")
    comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    comment_post(listing_id=listing.pk, user=asker, body="色は？")
    comment_post(listing_id=listing.pk, user=other, body="傷は？")
    answer = comment_post(listing_id=listing.pk, user=seller, body="箱あり、黒、傷なしです。")
    for person in (asker, other):
        [mail] = [n for n in notices(person) if n.dedupe_key.startswith(f"comment:{answer.pk}:")]
        assert "出品者が回答しました" in mail.subject
        assert "箱あり、黒、傷なしです。" in mail.body
    assert [n for n in notices(seller) if f"comment:{answer.pk}:" in n.dedupe_key] == []


def test_an_asker_who_deleted_their_question_is_not_told_of_the_answer(listing, asker, seller):
    question = comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    comment_delete(comment_id=question.pk, user=asker)
    comment_post(listing_id=listing.pk, user=seller, body="あります")
    assert notices(asker) == []


def test_the_mail_is_in_the_recipients_language(listing, asker, seller):
    notification_settings_save(user=seller, mail_on=list(MailKind.values), language="en")
    comment_post(listing_id=listing.pk, user=asker, body="Is the box included?")
    [mail] = notices(seller)
    assert mail.language == "en"
    assert mail.subject == "[furima] ワイヤレスイヤホン: a new question"
    assert "taro asked a question on your item." in mail.body.replace("太郎", "taro")


def test_a_seller_who_turned_question_mails_off_still_gets_the_in_app_notice(
    listing, asker, seller
):
    wanted = [kind for kind in MailKind.values if kind != MailKind.QUESTIONS]
    notification_settings_save(user=seller, mail_on=wanted, language="ja")
    comment_post(listing_id=listing.pk, user=asker, body="箱は？")
    assert notices(seller) == []
    assert len(notices(seller, Channel.IN_APP)) == 1


def test_a_refused_comment_writes_no_notice(listing, asker):
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    with writes_nothing(), pytest.raises(FurimaError):
        comment_post(listing_id=listing.pk, user=asker, body="箱は？")


def test_a_failing_notice_rolls_the_comment_back(listing, asker, settings):
    settings.FURIMA_LISTING_COMMENT_SUBSCRIBERS = ["tests.market.test_comments.explode"]
    with writes_nothing(), pytest.raises(RuntimeError):
        comment_post(listing_id=listing.pk, user=asker, body="箱は？")


def explode(**_):
    raise RuntimeError("the outbox is down")


def test_comments_are_read_oldest_first(listing, asker, seller, clock):
    from furima.market.selectors_social import COMMENT_ORDERING, comments_of

    first = comment_post(listing_id=listing.pk, user=asker, body="1")
    clock.advance(timedelta(minutes=2))
    second = comment_post(listing_id=listing.pk, user=seller, body="2")
    ordered = list(comments_of(listing_id=listing.pk).order_by(*COMMENT_ORDERING))
    assert ordered == [first, second]
