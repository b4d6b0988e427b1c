"""The item page's questions and likes, and the liked items on マイページ: plain form posts
that work without JavaScript, htmx swaps that equal a full reload, refusals with their HTTP
status and a message, and nothing written on bad input."""

from __future__ import annotations

import re

import pytest

from furima.market.models import ListingComment, ListingLike
from furima.market.services_social import comment_post, like_set
from furima.trades.purchase import listing_purchase
from tests.clients import signed_in
from tests.factories import make_listing, make_user

pytestmark = pytest.mark.usefixtures("clock")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HTMX = {"HTTP_HX_REQUEST": "true"}


def part(html: str, box: str) -> str:
    """The inside of `<div id="{box}">` on a full page, without CSRF tokens."""
    start = html.index(f'<div id="{box}"')
    start = html.index(">", start) + 1
    end = html.index("</div>\n</section>" if box == "comments-body" else "</div>\n", start)
    return CSRF.sub("", html[start:end])


def partial(response) -> str:
    html = response.content.decode()
    assert "<html" not in html
    return CSRF.sub("", html)


@pytest.fixture
def listing(db):
    return make_listing(title="ワイヤレスイヤホン")


def test_anyone_reads_the_questions_and_answers_oldest_first(listing, clock):
    asker = make_user()
    comment_post(listing_id=listing.pk, user=asker, body="箱はありますか？")
    clock.advance(minutes=3)
    comment_post(listing_id=listing.pk, user=listing.seller, body="はい、あります。")
    html = signed_in(make_user()).get(f"/items/{listing.pk}/").content.decode()
    assert html.index("箱はありますか？") < html.index("はい、あります。")
    assert html.count('data-testid="seller-mark"') == 1
    anonymous = listing_page_as(None, listing)
    assert "箱はありますか？" in anonymous and "ログインして質問する" in anonymous


def listing_page_as(user, listing) -> str:
    from django.test import Client

    client = Client() if user is None else signed_in(user)
    return client.get(f"/items/{listing.pk}/").content.decode()


def test_asking_without_javascript_posts_and_redirects_to_the_comment(listing):
    asker = make_user()
    response = signed_in(asker).post(f"/items/{listing.pk}/comments/", {"body": "色は？"})
    comment = ListingComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/items/{listing.pk}/#comment-{comment.pk}"
    assert comment.author == asker and comment.body == "色は？"


def test_an_htmx_question_swaps_in_the_same_thread_a_reload_shows(listing):
    asker = signed_in(make_user())
    answer = asker.post(f"/items/{listing.pk}/comments/", {"body": "色は？"}, **HTMX)
    assert answer.status_code == 200
    swapped = partial(answer)
    assert "コメントを送信しました。" in swapped  # read out after the swap
    swapped = re.sub(r'<p class="visually-hidden" data-focus-after-swap>.*?</p>', "", swapped)
    reload = asker.get(f"/items/{listing.pk}/").content.decode()
    assert swapped == part(reload, "comments-body")


def test_a_blank_question_is_refused_with_400_and_a_message(listing):
    asker = signed_in(make_user())
    for headers in ({}, HTMX):
        response = asker.post(f"/items/{listing.pk}/comments/", {"body": "   "}, **headers)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    assert not ListingComment.objects.exists()


def test_a_question_on_a_sold_item_is_refused_with_409(listing):
    listing_purchase(listing_id=listing.pk, buyer=make_user())
    asker = signed_in(make_user())
    response = asker.post(f"/items/{listing.pk}/comments/", {"body": "まだありますか？"}, **HTMX)
    assert response.status_code == 409
    assert "販売が終了したため、コメントできません" in response.content.decode()
    assert not ListingComment.objects.exists()
    assert "コメントは締め切られました" in asker.get(f"/items/{listing.pk}/").content.decode()


def test_too_many_questions_at_once_are_refused_with_429(listing):
    asker = signed_in(make_user())
    statuses = [
        asker.post(f"/items/{listing.pk}/comments/", {"body": f"質問{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
    assert ListingComment.objects.count() == 5


def test_a_visitor_must_log_in_to_ask(listing):
    from django.test import Client

    response = Client().post(f"/items/{listing.pk}/comments/", {"body": "色は？"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ListingComment.objects.exists()


def test_the_author_deletes_a_comment_and_the_thread_says_so(listing):
    author = make_user()
    comment = comment_post(listing_id=listing.pk, user=author, body="電話番号は…")
    client = signed_in(author)
    response = client.post(f"/items/{listing.pk}/comments/{comment.pk}/delete/", **HTMX)
    assert response.status_code == 200
    html = client.get(f"/items/{listing.pk}/").content.decode()
    assert "このコメントは削除されました" in html and "電話番号は" not in html
    assert partial(response) == part(html, "comments-body")


def test_someone_else_cannot_delete_a_comment(listing):
    comment = comment_post(listing_id=listing.pk, user=make_user(), body="色は？")
    stranger = signed_in(make_user())
    html = stranger.get(f"/items/{listing.pk}/").content.decode()
    assert 'data-testid="delete-comment"' not in html
    response = stranger.post(f"/items/{listing.pk}/comments/{comment.pk}/delete/")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.deleted


def test_the_seller_sees_delete_buttons_and_answers_with_a_marked_comment(listing):
    comment_post(listing_id=listing.pk, user=make_user(), body="色は？")
    seller = signed_in(listing.seller)
    html = seller.get(f"/items/{listing.pk}/").content.decode()
    assert 'data-testid="delete-comment"' in html and "回答・コメント" in html
    seller.post(f"/items/{listing.pk}/comments/", {"body": "黒です"})
    assert ListingComment.objects.get(body="黒です").by_seller


def test_liking_without_javascript_redirects_back_and_counts(listing):
    fan = signed_in(make_user())
    response = fan.post(f"/items/{listing.pk}/like/", {"liked": "1"})
    assert response.status_code == 302 and response["Location"] == f"/items/{listing.pk}/"
    html = fan.get(f"/items/{listing.pk}/").content.decode()
    assert 'aria-pressed="true"' in html
    assert '<span data-testid="like-count">1</span>' in html
    fan.post(f"/items/{listing.pk}/like/", {"liked": "0"})
    listing.refresh_from_db()
    assert listing.like_count == 0 and not ListingLike.objects.exists()


def test_a_double_submitted_like_does_not_flip_back(listing):
    fan = signed_in(make_user())
    for _ in range(2):
        fan.post(f"/items/{listing.pk}/like/", {"liked": "1"})
    listing.refresh_from_db()
    assert listing.like_count == 1


def test_an_htmx_like_swaps_in_the_same_button_a_reload_shows(listing):
    fan = signed_in(make_user())
    response = fan.post(f"/items/{listing.pk}/like/", {"liked": "1"}, **HTMX)
    assert response.status_code == 200
    reload = fan.get(f"/items/{listing.pk}/").content.decode()
    assert partial(response) == part(reload, "like-box")


def test_the_seller_sees_the_count_but_no_like_button(listing):
    like_set(listing_id=listing.pk, user=make_user())
    seller = signed_in(listing.seller)
    html = seller.get(f"/items/{listing.pk}/").content.decode()
    assert 'data-testid="like-button"' not in html and "いいね 1" in html
    response = seller.post(f"/items/{listing.pk}/like/", {"liked": "1"}, **HTMX)
    assert response.status_code == 403
    listing.refresh_from_db()
    assert listing.like_count == 1


def test_cards_show_the_like_count(listing):
    like_set(listing_id=listing.pk, user=make_user())
    like_set(listing_id=listing.pk, user=make_user())
    html = signed_in(make_user()).get("/items/").content.decode()
    assert 'data-testid="card-likes"' in html and "いいね 2" in html


def test_my_page_lists_the_items_i_liked_with_a_paged_full_list(db, clock):
    fan = make_user()
    liked = []
    for n in range(8):
        item = make_listing(title=f"商品{n}")
        like_set(listing_id=item.pk, user=fan)
        liked.append(item)
        clock.advance(minutes=1)
    client = signed_in(fan)
    mypage = client.get("/mypage/").content.decode()
    assert "いいね！した商品" in mypage and "商品7" in mypage and "商品1" not in mypage
    first = client.get("/items/liked/").content.decode()
    assert first.index("商品7") < first.index("商品0")
    assert 'data-testid="next-page"' not in first  # 8 fit on one page of 24


def test_the_liked_list_pages_with_the_cursor(db, clock, monkeypatch):
    from furima.market import views_social

    monkeypatch.setattr(views_social, "LIKED_PER_PAGE", 2)
    fan = make_user()
    for n in range(3):
        like_set(listing_id=make_listing(title=f"品{n}").pk, user=fan)
        clock.advance(minutes=1)
    client = signed_in(fan)
    first = client.get("/items/liked/").content.decode()
    cursor = re.search(r'href="\?cursor=([^"]+)"', first)[1]
    second = client.get(f"/items/liked/?cursor={cursor}").content.decode()
    assert "品2" in first and "品1" in first and "品0" not in first
    assert "品0" in second and "品2" not in second
    assert client.get("/items/liked/?cursor=garbage").status_code == 404


def test_the_seller_finds_the_question_notice_on_my_page(listing):
    comment_post(listing_id=listing.pk, user=make_user(), body="色は？")
    html = signed_in(listing.seller).get("/mypage/").content.decode()
    inbox = html[html.index('data-testid="notifications"') :]
    assert 'data-testid="notice-questions"' in inbox and "新しい質問があります" in inbox
    assert html.count("新しい質問があります") == 1  # once, in the one inbox


def test_older_comments_are_a_link_away(listing, clock, monkeypatch):
    from furima.market import views_social

    monkeypatch.setattr(views_social, "COMMENTS_PER_PAGE", 2)
    for n in range(3):
        comment_post(listing_id=listing.pk, user=make_user(), body=f"質問その{n}")
        clock.advance(minutes=1)
    client = signed_in(make_user())
    newest = client.get(f"/items/{listing.pk}/").content.decode()
    assert "質問その0" not in newest and newest.index("質問その1") < newest.index("質問その2")
    older = re.search(r'href="\?(comments=[^"#]+)#comments"', newest)[1]
    assert "質問その0" in client.get(f"/items/{listing.pk}/?{older}").content.decode()


def test_the_item_page_reads_in_english_too(listing):
    comment_post(listing_id=listing.pk, user=make_user(), body="Is the box included?")
    comment_post(listing_id=listing.pk, user=listing.seller, body="Yes.")
    client = signed_in(make_user())
    client.cookies["django_language"] = "en"
    html = client.get(f"/items/{listing.pk}/").content.decode()
    assert "Questions and comments" in html and ">Seller</span>" in html
    assert "Question or comment" in html and "Like" in html


def test_the_demo_has_a_question_an_answer_and_likes(db, clock, settings):
    from furima.web.seed import seed_demo

    settings.FURIMA_DEMO = True  # the demo's trades run under chosen policies
    seed_demo()
    asked = ListingComment.objects.select_related("listing").first().listing
    assert [c.by_seller for c in asked.comments.order_by("created_at")] == [False, True]
    assert asked.like_count == 2
