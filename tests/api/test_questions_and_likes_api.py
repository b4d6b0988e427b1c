"""/api/v1 questions and answers (コメント) and likes (いいね): cursor-paged lists with a Link
header, {"error", "detail"} refusals that write nothing, and the OpenAPI schema."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from furima.market.models import ListingComment, ListingLike
from furima.market.services_social import comment_post, like_set
from furima.notify.models import Notification
from furima.trades.purchase import listing_purchase
from tests.api.test_api import Api
from tests.api.test_pagination import read_all
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.usefixtures("clock")


class Caller(Api):
    def put(self, path):
        return self.client.put(f"/api/v1{path}", headers=self.headers)

    def delete(self, path):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


def unchanged():
    return (ListingComment.objects.count(), ListingLike.objects.count())


@pytest.fixture
def listing(db):
    return make_listing(title="ワイヤレスイヤホン")


def test_a_question_is_posted_and_read_back(listing, clock):
    asker = make_user()
    response = Caller(asker).post(f"/listings/{listing.pk}/comments", {"body": "箱は？"})
    assert response.status_code == 201
    body = response.json()
    assert body["body"] == "箱は？" and body["by_seller"] is False and body["deleted"] is False
    assert body["author"]["username"] == asker.username
    assert body["created_at"] == "2026-03-02T10:00:00+09:00"
    listed = Api().get(f"/listings/{listing.pk}/comments").json()  # public: no credentials
    assert listed == [body]


def test_the_sellers_answer_is_marked_and_the_asker_is_notified(listing):
    asker = make_user()
    Caller(asker).post(f"/listings/{listing.pk}/comments", {"body": "箱は？"})
    answer = Caller(listing.seller).post(f"/listings/{listing.pk}/comments", {"body": "あります"})
    assert answer.json()["by_seller"] is True
    assert Notification.objects.filter(recipient=asker, topic="questions").exists()


def test_comments_page_oldest_first_with_a_link_to_the_next_page(listing, clock):
    made = []
    for n in range(5):
        made.append(comment_post(listing_id=listing.pk, user=make_user(), body=f"q{n}").pk)
        clock.advance(minutes=1)
    pages = read_all(Api(), f"/listings/{listing.pk}/comments", limit=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [c["id"] for p in pages for c in p] == made


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"body": "   "}, 400, "invalid_input"),
        ({"body": ""}, 422, "validation_error"),
        ({"body": "x" * 1001}, 422, "validation_error"),
        ({}, 422, "validation_error"),
        ({"body": 12}, 422, "validation_error"),
    ],
)
def test_a_bad_comment_is_refused_and_writes_nothing(listing, payload, status, code):
    before = unchanged()
    response = Caller(make_user()).post(f"/listings/{listing.pk}/comments", payload)
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["detail"]
    assert unchanged() == before


def test_questions_on_a_sold_item_are_409_not_allowed_in_state(listing):
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    response = Caller(make_user()).post(f"/listings/{listing.pk}/comments", {"body": "まだ？"})
    assert response.status_code == 409
    assert response.json()["error"] == "not_allowed_in_state"
    assert not ListingComment.objects.exists()


def test_too_many_comments_are_429_rate_limited_with_when_to_retry(listing):
    caller = Caller(make_user())
    for n in range(5):
        assert caller.post(f"/listings/{listing.pk}/comments", {"body": f"q{n}"}).status_code == 201
    response = caller.post(f"/listings/{listing.pk}/comments", {"body": "q5"})
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert response.json()["allowed_from"] == "2026-03-02T10:01:00+09:00"
    assert ListingComment.objects.count() == 5


def test_an_idempotency_key_makes_a_repeat_post_one_comment(listing):
    caller = Caller(make_user())
    path = f"/listings/{listing.pk}/comments"
    first = caller.post(path, {"body": "箱は？"}, **{"Idempotency-Key": "q-1"})
    again = caller.post(path, {"body": "箱は？"}, **{"Idempotency-Key": "q-1"})
    assert first.json()["id"] == again.json()["id"]
    other = caller.post(path, {"body": "色は？"}, **{"Idempotency-Key": "q-1"})
    assert other.status_code == 409 and other.json()["error"] == "conflict"
    assert ListingComment.objects.count() == 1


def test_posting_needs_credentials_and_an_existing_listing(listing):
    assert Api().post(f"/listings/{listing.pk}/comments", {"body": "箱は？"}).status_code == 401
    response = Caller(make_user()).post("/listings/424242/comments", {"body": "箱は？"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert Api().get("/listings/424242/comments").status_code == 404
    assert not ListingComment.objects.exists()


def test_the_author_deletes_a_comment_and_it_reads_as_deleted(listing):
    author = make_user()
    comment = comment_post(listing_id=listing.pk, user=author, body="電話番号は…")
    response = Caller(author).delete(f"/listings/{listing.pk}/comments/{comment.pk}")
    assert response.status_code == 200
    assert response.json()["deleted"] is True and response.json()["body"] is None
    [listed] = Api().get(f"/listings/{listing.pk}/comments").json()
    assert listed["deleted"] is True and listed["body"] is None


def test_others_may_not_delete_and_a_wrong_path_is_404(listing):
    comment = comment_post(listing_id=listing.pk, user=make_user(), body="箱は？")
    stranger = Caller(make_user())
    response = stranger.delete(f"/listings/{listing.pk}/comments/{comment.pk}")
    assert response.status_code == 403 and response.json()["error"] == "forbidden_actor"
    other = make_listing()
    wrong = Caller(comment.author).delete(f"/listings/{other.pk}/comments/{comment.pk}")
    assert wrong.status_code == 404
    comment.refresh_from_db()
    assert not comment.deleted


def test_put_and_delete_like_are_idempotent_and_answer_the_count(listing):
    fan = Caller(make_user())
    assert fan.put(f"/listings/{listing.pk}/like").json() == {
        "listing_id": listing.pk,
        "liked": True,
        "like_count": 1,
    }
    assert fan.put(f"/listings/{listing.pk}/like").json()["like_count"] == 1
    assert Api().get(f"/listings/{listing.pk}").json()["like_count"] == 1
    assert fan.delete(f"/listings/{listing.pk}/like").json()["like_count"] == 0
    assert fan.delete(f"/listings/{listing.pk}/like").json()["liked"] is False


def test_the_seller_liking_their_own_item_is_403(listing):
    response = Caller(listing.seller).put(f"/listings/{listing.pk}/like")
    assert response.status_code == 403 and response.json()["error"] == "forbidden_actor"
    assert not ListingLike.objects.exists()


def test_liking_needs_credentials(listing):
    assert Caller().put(f"/listings/{listing.pk}/like").status_code == 401
    assert Caller(make_user()).put("/listings/424242/like").status_code == 404
    assert not ListingLike.objects.exists()


def test_my_likes_are_paged_newest_like_first(db, clock):
    fan = make_user()
    liked = []
    for _ in range(3):
        listing = make_listing()
        like_set(listing_id=listing.pk, user=fan)
        liked.append(listing.pk)
        clock.advance(minutes=1)
    like_set(listing_id=make_listing().pk, user=make_user())
    pages = read_all(Api(fan), "/me/likes", limit=2)
    assert [[x["id"] for x in p] for p in pages] == [liked[:0:-1], liked[:1]]
    assert Api().get("/me/likes").status_code == 401


def test_a_browser_session_needs_its_csrf_token(listing):
    fan = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)
    response = client.put(f"/api/v1/listings/{listing.pk}/like")
    assert response.status_code == 403
    assert not ListingLike.objects.exists()
    response = client.post(
        f"/api/v1/listings/{listing.pk}/comments",
        json.dumps({"body": "箱は？"}),
        content_type="application/json",
    )
    assert response.status_code == 403 and not ListingComment.objects.exists()


def test_the_schema_describes_the_new_endpoints(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/listings/{listing_id}/comments"]) == {"get", "post"}
    assert "delete" in paths["/api/v1/listings/{listing_id}/comments/{comment_id}"]
    assert set(paths["/api/v1/listings/{listing_id}/like"]) == {"put", "delete"}
    assert "get" in paths["/api/v1/me/likes"]
    assert "429" in paths["/api/v1/listings/{listing_id}/comments"]["post"]["responses"]
