"""The help centre: articles shipped as Markdown data (ja and en), sanitised, searchable;
deadline articles show the reader's own numbers from the trade screen's engine call; every
article ends with 「解決しましたか？」 whose 「いいえ」 opens the prefilled inquiry form."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from furima.support.help import (
    HELP_DIR,
    help_centre,
    known_facts,
    parse_article,
    reader_facts,
)
from furima.trades.presenters import trade_screen
from furima.trades.services import trade_act
from tests.clients import signed_in
from tests.factories import make_trade

pytestmark = pytest.mark.usefixtures("clock")

REQUIRED = {
    "buyer_trouble": {"購入者が受取評価をしてくれない", "購入者から連絡がない"},
    "seller_trouble": {"商品が届かない", "発送されない", "商品に問題があった"},
    "cancel": {"キャンセルしたい"},
    "rating": {"評価を間違えた"},
    "payout": {"売上金・手数料"},
    "account": {"アカウント・ログイン"},
}


def test_the_tree_has_the_required_articles_in_japanese():
    tree = {c.id: {a.title for a in c.articles} for c in help_centre("ja")}
    for category, titles in REQUIRED.items():
        assert titles <= tree[category], category


def test_every_article_exists_in_english_too_and_names_only_known_facts():
    ja = {a.slug for c in help_centre("ja") for a in c.articles}
    en = {a.slug for c in help_centre("en") for a in c.articles}
    assert ja == en
    for language in ("ja", "en"):
        for category in help_centre(language):
            for article in category.articles:
                assert set(article.facts) <= known_facts(), article.slug


def test_markdown_is_rendered_and_raw_html_never_passes(tmp_path: Path):
    path = tmp_path / "x.md"
    path.write_text(
        '+++\ntitle = "t"\ncategory = "account"\n+++\n**bold** <script>alert(1)</script>\n'
        "[x](javascript:alert(1))\n",
        encoding="utf-8",
    )
    html = parse_article(path, "ja").html
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_the_shipped_files_are_where_the_package_data_says():
    assert (HELP_DIR / "categories.toml").is_file()
    assert list((HELP_DIR / "ja").glob("*.md"))


def test_the_index_and_an_article_are_public_in_both_languages(db):
    client = Client()
    assert "購入者とのトラブル" in client.get("/help/").content.decode()
    page = client.get("/help/articles/buyer-no-receipt-rating/").content.decode()
    assert "購入者が受取評価をしてくれない" in page
    english = client.get("/help/articles/buyer-no-receipt-rating/", HTTP_ACCEPT_LANGUAGE="en")
    assert "The buyer does not rate receipt" in english.content.decode()
    assert client.get("/help/articles/no-such-article/").status_code == 404


def test_search_finds_articles_by_words_in_them(db):
    response = Client().get("/help/", {"q": "受取評価"})
    titles = [a.title for a in response.context["results"]]
    assert titles[0] == "購入者が受取評価をしてくれない"
    assert Client().get("/help/", {"q": "存在しない言葉"}).context["results"] == []


def test_a_deadline_article_shows_the_readers_own_numbers_from_the_trade_screens_call(db, clock):
    trade = make_trade("shipped")  # furima policy: request_operator from shipped + 5d@13:00
    clock.advance(timedelta(days=1))
    page = signed_in(trade.seller).get("/help/articles/buyer-no-receipt-rating/")
    texts = [f.text for f in page.context["facts"]]
    screen = trade_screen(trade=trade, viewer=trade.seller)
    allowed_from = screen["waiting"]["request_operator"]
    assert allowed_from is not None
    assert f"#{trade.pk}" in texts[0] or any(f"#{trade.pk}" in t for t in texts)
    ask = next(f for f in page.context["facts"] if f.at == allowed_from)
    assert "3月7日 13:00" in ask.text and "事務局" in ask.text


def test_the_numbers_follow_the_engine_when_the_trade_moves_on(db, clock):
    trade = make_trade("shipped")
    clock.advance(timedelta(days=6))
    now = [f.text for f in reader_facts(user=trade.seller, facts=("request_operator",))]
    assert len(now) == 1 and "3月7日" not in now[0]
    trade_act(trade_id=trade.pk, user=trade.buyer, action="rate", rating="good")
    assert reader_facts(user=trade.seller, facts=("request_operator",)) == []


def test_anonymous_readers_and_finished_trades_get_no_numbers(db):
    make_trade("completed")
    assert reader_facts(user=None, facts=("request_operator",)) == []
    assert Client().get("/help/articles/buyer-no-receipt-rating/").context["facts"] == []


def test_no_opens_the_inquiry_form_prefilled_with_the_category_and_a_trade_picker(db):
    trade = make_trade("shipped")
    make_trade("shipped")  # someone else's: not in the picker
    client = signed_in(trade.seller)
    article = client.get("/help/articles/buyer-no-receipt-rating/")
    assert "/help/contact/?category=buyer_trouble&amp;article=buyer-no-receipt-rating" in (
        article.content.decode()
    )
    form = client.get(
        "/help/contact/", {"category": "buyer_trouble", "article": "buyer-no-receipt-rating"}
    ).context["form"]
    assert form.initial["category"] == "buyer_trouble"
    assert form.initial["subject"] == "購入者が受取評価をしてくれない"
    assert [value for value, _ in form.fields["trade"].choices] == ["", trade.pk]


def test_contact_leads_to_the_form(db):
    response = Client().get("/contact/")
    assert response.status_code == 302 and response["Location"] == "/help/contact/"


def test_the_trade_screen_links_its_inquiries(db):
    trade = make_trade("shipped")
    client = signed_in(trade.seller)
    client.post(
        "/help/contact/",
        {"category": "buyer_trouble", "trade": trade.pk, "subject": "評価がない", "body": "…"},
    )
    page = client.get(f"/trades/{trade.pk}/").content.decode()
    assert "評価がない" in page
    assert f"/help/contact/?category=buyer_trouble&amp;trade={trade.pk}" in page
    assert "評価がない" not in signed_in(trade.buyer).get(f"/trades/{trade.pk}/").content.decode()
