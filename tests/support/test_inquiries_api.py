"""/api/v1/inquiries as CONTRACT.md (Additions) says: create, list (paged by cursor, the next
page in a Link header), read with status, due_at, trade_id and the thread; staff answers set
`answered`; someone else's inquiry is 404."""

import re
from datetime import timedelta

import pytest

from furima.notify.models import Channel, Notification
from furima.support.models import Inquiry
from tests.api.test_api import Api
from tests.factories import make_staff, make_trade, make_user

pytestmark = pytest.mark.usefixtures("clock")

ASK = {"category": "buyer_trouble", "subject": "受取評価がありません", "body": "2週間待っています"}


def test_a_new_inquiry_answers_201_with_the_inquiry_as_get_shows_it(db):
    user = make_user()
    created = Api(user).post("/inquiries", ASK)
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "received"
    assert body["trade_id"] is None
    assert body["category"] == "buyer_trouble"
    assert body["messages"] == [
        {"from": "user", "body": "2週間待っています", "at": "2026-03-02T10:00:00+09:00"}
    ]
    # TEST_START is Monday 2026-03-02 10:00; one business day later.
    assert body["due_at"] == "2026-03-03T10:00:00+09:00"
    assert Api(user).get(f"/inquiries/{body['id']}").json() == body


def test_an_inquiry_is_tied_to_a_trade_the_caller_is_party_to(db):
    trade = make_trade("shipped")
    body = Api(trade.seller).post("/inquiries", {**ASK, "trade_id": trade.pk}).json()
    assert body["trade_id"] == trade.pk
    assert Inquiry.objects.get(pk=body["id"]).user == trade.seller


def test_someone_elses_trade_cannot_be_named(db):
    trade = make_trade("shipped")
    response = Api(make_user()).post("/inquiries", {**ASK, "trade_id": trade.pk})
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"category": "complaint"},
        {"subject": ""},
        {"body": ""},
        {"subject": None},
        {"body": "x" * 5001},
    ],
)
def test_a_bad_inquiry_is_refused_and_nothing_is_written(db, change):
    response = Api(make_user()).post("/inquiries", {**ASK, **change})
    assert 400 <= response.status_code < 500
    assert set(response.json()) >= {"error", "detail"}
    assert not Inquiry.objects.exists()


def test_a_blank_subject_is_refused(db):
    response = Api(make_user()).post("/inquiries", {**ASK, "subject": "   "})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"


def test_without_credentials_the_answer_is_401(db):
    assert Api().post("/inquiries", ASK).status_code == 401
    assert Api().get("/inquiries").status_code == 401


def test_another_users_inquiry_is_404(db):
    owner, stranger = make_user(), make_user()
    inquiry_id = Api(owner).post("/inquiries", ASK).json()["id"]
    for response in (
        Api(stranger).get(f"/inquiries/{inquiry_id}"),
        Api(stranger).post(f"/inquiries/{inquiry_id}/messages", {"body": "私も"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
    assert Api(stranger).get("/inquiries").json() == []


def test_a_staff_answer_sets_answered_and_notifies_the_person(db, clock):
    user, staff = make_user(), make_staff()
    user.email = "seller@example.com"
    user.save()
    inquiry_id = Api(user).post("/inquiries", ASK).json()["id"]
    clock.advance(timedelta(hours=2))
    answered = Api(staff).post(f"/inquiries/{inquiry_id}/messages", {"body": "確認いたします"})
    assert answered.status_code == 201
    body = answered.json()
    assert body["status"] == "answered"
    assert [m["from"] for m in body["messages"]] == ["user", "staff"]
    notices = Notification.objects.filter(recipient=user, link=f"/help/inquiries/{inquiry_id}/")
    assert {n.channel for n in notices} == {Channel.MAIL, Channel.IN_APP}
    assert "確認いたします" in notices.get(channel=Channel.MAIL).body


def test_the_persons_reply_after_an_answer_puts_it_back_in_progress_with_a_new_sla(db, clock):
    user, staff = make_user(), make_staff()
    inquiry_id = Api(user).post("/inquiries", ASK).json()["id"]
    Api(staff).post(f"/inquiries/{inquiry_id}/messages", {"body": "確認いたします"})
    clock.advance(timedelta(days=4))  # Friday 2026-03-06 10:00
    body = Api(user).post(f"/inquiries/{inquiry_id}/messages", {"body": "まだです"}).json()
    assert body["status"] == "in_progress"
    assert body["due_at"] == "2026-03-09T10:00:00+09:00"  # the next business day: Monday


def test_staff_list_everyones_inquiries_and_filter_by_status(db):
    staff = make_staff()
    first, second = make_user(), make_user()
    answered_id = Api(first).post("/inquiries", ASK).json()["id"]
    waiting_id = Api(second).post("/inquiries", ASK).json()["id"]
    Api(staff).post(f"/inquiries/{answered_id}/messages", {"body": "回答"})
    assert [i["id"] for i in Api(staff).get("/inquiries").json()] == [waiting_id, answered_id]
    received = Api(staff).get("/inquiries", status="received").json()
    assert [i["id"] for i in received] == [waiting_id]
    assert [i["id"] for i in Api(first).get("/inquiries").json()] == [answered_id]
    assert Api(staff).get("/inquiries", status="lost").status_code == 422


def _next_link(response) -> str | None:
    link = response.headers.get("Link")
    if link is None:
        return None
    match = re.fullmatch(r'<(?P<url>[^>]+)>; rel="next"', link)
    assert match, link
    return match["url"]


def test_the_list_pages_with_limit_and_a_link_to_the_next_page(db, clock):
    user = make_user()
    api = Api(user)
    ids = []
    for _ in range(5):
        ids.append(api.post("/inquiries", ASK).json()["id"])
        clock.advance(timedelta(minutes=1))
    seen = []
    response = api.get("/inquiries", limit=2)
    while True:
        assert response.status_code == 200
        page = response.json()
        assert isinstance(page, list) and len(page) <= 2
        seen += [i["id"] for i in page]
        url = _next_link(response)
        if url is None:
            break
        response = api.client.get(url, headers=api.headers)
    assert seen == list(reversed(ids))


def test_a_page_boundary_between_inquiries_of_the_same_instant_loses_none(db):
    api = Api(make_user())
    ids = [api.post("/inquiries", ASK).json()["id"] for _ in range(3)]  # the clock stands still
    first = api.get("/inquiries", limit=2)
    second = api.client.get(_next_link(first), headers=api.headers)
    assert [i["id"] for i in first.json() + second.json()] == list(reversed(ids))
    assert _next_link(second) is None


def test_a_forged_cursor_or_a_bad_limit_is_refused(db):
    api = Api(make_user())
    assert api.get("/inquiries", cursor="not-a-cursor").json()["error"] == "invalid_input"
    assert api.get("/inquiries", cursor="WyJ4IiwieSJd").status_code == 400  # ["x","y"]
    assert api.get("/inquiries", limit=0).status_code == 422
