"""Inquiries from the web: tied to the account and trade when signed in; anonymous ones
verified by a mailed, signed, expiring link and then tied to the account with that address."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from furima.errors import FurimaError
from furima.notify.models import Notification
from furima.support.models import Inquiry
from furima.support.services import inquiry_create, inquiry_verify
from tests.clients import signed_in
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

FORM = {"category": "account", "subject": "ログインできません", "body": "パスワードを忘れました"}


def _verification_link(address: str) -> str:
    mail = Notification.objects.get(address=address, channel="mail")
    return re.search(r"/help/verify/[^/\s]+/", mail.body).group(0)


def test_a_signed_in_inquiry_is_tied_to_the_account_and_the_chosen_trade(db):
    trade = make_trade("shipped")
    response = signed_in(trade.seller).post("/help/contact/", {**FORM, "trade": trade.pk})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/help/inquiries/{inquiry.pk}/"
    assert inquiry.user == trade.seller and inquiry.trade == trade
    assert inquiry.verified_at is not None and inquiry.status == "received"


def test_a_trade_of_someone_else_is_not_in_the_picker(db):
    other = make_trade("shipped")
    response = signed_in(make_user()).post("/help/contact/", {**FORM, "trade": other.pk})
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_an_anonymous_inquiry_needs_an_address(db):
    response = Client().post("/help/contact/", FORM)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


def test_an_anonymous_inquiry_is_verified_by_the_mailed_link_and_tied_to_the_account(db):
    owner = make_user("hanako")
    owner.email = "hanako@example.com"
    owner.save()
    response = Client().post("/help/contact/", {**FORM, "email": "Hanako@example.com"})
    assert response.status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.user is None and inquiry.verified_at is None
    staff_desk = signed_in(make_staff()).get("/support/")
    # not in the queue before the address is verified
    assert list(staff_desk.context["queues"].inquiries.rows) == []
    page = Client().get(_verification_link("Hanako@example.com"))
    assert page.status_code == 200
    inquiry.refresh_from_db()
    assert inquiry.user == owner and inquiry.verified_at is not None
    queue = signed_in(make_staff()).get("/support/").context["queues"].inquiries
    assert [i.pk for i in queue.rows] == [inquiry.pk]
    assert inquiry.pk in [i.pk for i in owner.inquiries.all()]


def test_an_address_with_no_account_is_verified_and_answered_by_mail(db):
    Client().post("/help/contact/", {**FORM, "email": "guest@example.com"})
    Client().get(_verification_link("guest@example.com"))
    inquiry = Inquiry.objects.get()
    assert inquiry.user is None and inquiry.verified_at is not None
    from furima.support.services import inquiry_reply

    inquiry_reply(inquiry_id=inquiry.pk, user=make_staff(), body="ご連絡ありがとうございます")
    answer = Notification.objects.filter(address="guest@example.com").order_by("-id").first()
    assert "ご連絡ありがとうございます" in answer.body


def test_the_link_expires(db, clock, settings):
    settings.FURIMA_INQUIRY_VERIFY_HOURS = 72
    Client().post("/help/contact/", {**FORM, "email": "late@example.com"})
    link = _verification_link("late@example.com")
    clock.advance(timedelta(hours=73))
    assert Client().get(link).status_code == 400
    assert Inquiry.objects.get().verified_at is None


def test_a_forged_link_does_nothing(db):
    Client().post("/help/contact/", {**FORM, "email": "a@example.com"})
    link = _verification_link("a@example.com")
    assert Client().get(link[:-3] + "xx/").status_code == 400
    with pytest.raises(FurimaError):
        inquiry_verify(token="nonsense")
    assert Inquiry.objects.get().verified_at is None


def test_following_the_link_twice_changes_nothing(db, clock):
    Client().post("/help/contact/", {**FORM, "email": "b@example.com"})
    link = _verification_link("b@example.com")
    Client().get(link)
    first = Inquiry.objects.get().verified_at
    clock.advance(timedelta(hours=1))
    assert Client().get(link).status_code == 200
    assert Inquiry.objects.get().verified_at == first


def test_a_new_message_notifies_the_assigned_staff_member(db):
    user, staff = make_user(), make_staff()
    staff.email = "staff@example.com"
    staff.save()
    inquiry = inquiry_create(user=user, category="other", subject="質問", body="一つ目")
    signed_in(staff).post(f"/support/inquiries/{inquiry.pk}/status/", {"status": "in_progress"})
    signed_in(user).post(f"/help/inquiries/{inquiry.pk}/reply/", {"body": "追加の情報です"})
    notices = Notification.objects.filter(recipient=staff)
    assert {n.channel for n in notices} == {"mail", "inapp"}
    assert all(n.link == f"/support/inquiries/{inquiry.pk}/" for n in notices)


def test_the_persons_page_shows_in_app_notices_of_answers(db):
    user = make_user()
    inquiry = inquiry_create(user=user, category="other", subject="質問です", body="本文")
    signed_in(make_staff()).post(f"/support/inquiries/{inquiry.pk}/reply/", {"body": "回答"})
    page = signed_in(user).get("/mypage/").content.decode()
    assert f"/help/inquiries/{inquiry.pk}/" in page


def test_someone_elses_inquiry_page_is_404(db):
    inquiry = inquiry_create(user=make_user(), category="other", subject="s", body="b")
    stranger = signed_in(make_user())
    assert stranger.get(f"/help/inquiries/{inquiry.pk}/").status_code == 404
    assert stranger.post(f"/help/inquiries/{inquiry.pk}/reply/", {"body": "x"}).status_code == 404
