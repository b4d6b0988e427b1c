"""The help centre: a tree of articles shipped as data (Markdown files with TOML front
matter under `support/help/<language>/`), rendered with markdown-it-py and sanitised with
nh3, searchable; and the signed-in reader's own numbers for the deadlines an article is about.

Those numbers come from `trade_outlook`, the very call behind the trade screen's banners
and buttons, so an article can never state a rule the engine does not apply.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import nh3
from django.conf import settings
from django.utils.translation import gettext_lazy
from markdown_it import MarkdownIt

from furima.formats import when
from furima.trades.selectors import trade_outlook, trades_for_user

HELP_DIR = Path(__file__).parent / "help"
FRONT_MATTER = "+++"
OPEN_TRADES_SHOWN = 20


@dataclass(frozen=True)
class Article:
    slug: str
    language: str
    title: str
    category: str
    order: int
    facts: tuple[str, ...]
    keywords: tuple[str, ...]
    html: str
    text: str  # the Markdown source, for search


@dataclass(frozen=True)
class HelpCategory:
    id: str
    inquiry: str
    title: str
    articles: list[Article] = field(default_factory=list)


class HelpDataError(ValueError):
    """A help file that cannot be read; the message names the file and the problem."""


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def parse_article(path: Path, language: str) -> Article:
    source = path.read_text(encoding="utf-8")
    if not source.startswith(FRONT_MATTER + "\n"):
        raise HelpDataError(f"{path}: no '+++' front matter")
    try:
        head, body = source[len(FRONT_MATTER) + 1 :].split("\n" + FRONT_MATTER + "\n", 1)
        meta = tomllib.loads(head)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise HelpDataError(f"{path}: front matter: {error}") from None
    for key in ("title", "category"):
        if not isinstance(meta.get(key), str):
            raise HelpDataError(f"{path}: front matter needs {key!r}")
    return Article(
        slug=path.stem,
        language=language,
        title=meta["title"],
        category=meta["category"],
        order=int(meta.get("order", 0)),
        facts=tuple(meta.get("facts", ())),
        keywords=tuple(meta.get("keywords", ())),
        html=nh3.clean(_markdown().render(body)),
        text=body,
    )


@lru_cache(maxsize=8)
def help_centre(language: str) -> tuple[HelpCategory, ...]:
    """The category tree in `language` (falling back to Japanese, the site's first)."""
    if not (HELP_DIR / language).is_dir():
        language = settings.LANGUAGE_CODE
    tree = tomllib.loads((HELP_DIR / "categories.toml").read_text(encoding="utf-8"))
    categories = {
        c["id"]: HelpCategory(
            id=c["id"],
            inquiry=c["inquiry"],
            title=c["title"].get(language) or c["title"][settings.LANGUAGE_CODE],
        )
        for c in tree["category"]
    }
    for path in sorted((HELP_DIR / language).glob("*.md")):
        article = parse_article(path, language)
        if article.category not in categories:
            raise HelpDataError(f"{path}: unknown category {article.category!r}")
        categories[article.category].articles.append(article)
    for category in categories.values():
        category.articles.sort(key=lambda a: (a.order, a.slug))
    return tuple(categories.values())


def article_get(*, slug: str, language: str) -> tuple[HelpCategory, Article] | None:
    for category in help_centre(language):
        for article in category.articles:
            if article.slug == slug:
                return category, article
    return None


def articles_search(*, query: str, language: str) -> list[Article]:
    """Articles whose title, keywords or text contain every word of `query` (case-blind),
    title matches first."""
    words = [w.casefold() for w in query.split() if w.strip()]
    if not words:
        return []
    found = []
    for category in help_centre(language):
        for article in category.articles:
            title = article.title.casefold()
            haystack = " ".join((title, *article.keywords, article.text)).casefold()
            if all(w in haystack for w in words):
                found.append((not all(w in title for w in words), article.order, article))
    return [article for *_, article in sorted(found, key=lambda f: f[:2])]


# ------------------------------------------------------------- the reader's numbers

_ACTION_NOW = {
    "request_operator": gettext_lazy("Trade #%(id)s (%(title)s): you can ask support now."),
    "remind": gettext_lazy("Trade #%(id)s (%(title)s): you can remind the buyer now."),
    "cancel": gettext_lazy("Trade #%(id)s (%(title)s): you can cancel now (full refund)."),
    "report_problem": gettext_lazy("Trade #%(id)s (%(title)s): you can report a problem now."),
}
_ACTION_FROM = {
    "request_operator": gettext_lazy(
        "Trade #%(id)s (%(title)s): you can ask support from %(when)s."
    ),
    "remind": gettext_lazy("Trade #%(id)s (%(title)s): you can remind the buyer from %(when)s."),
    "cancel": gettext_lazy("Trade #%(id)s (%(title)s): you can cancel from %(when)s."),
}
_DEADLINE = {
    "ship_by": gettext_lazy("Trade #%(id)s (%(title)s): to be shipped by %(when)s."),
    "auto_cancel_at": gettext_lazy(
        "Trade #%(id)s (%(title)s): if not shipped, cancelled and refunded at %(when)s."
    ),
    "reminder_at": gettext_lazy("Trade #%(id)s (%(title)s): furima reminds the buyer at %(when)s."),
    "proxy_rate_at": gettext_lazy(
        "Trade #%(id)s (%(title)s): support rates receipt on the buyer's behalf at %(when)s."
    ),
    "auto_complete_at": gettext_lazy(
        "Trade #%(id)s (%(title)s): receipt is rated automatically at %(when)s."
    ),
}


@dataclass(frozen=True)
class Fact:
    trade_id: int
    text: str
    at: datetime | None = None


def reader_facts(*, user, facts: tuple[str, ...]) -> list[Fact]:
    """For each of the reader's open trades, what the article's `facts` (action or deadline
    names) mean for it now, as sentences such as
    「取引 #123 は 12月23日 14:05 から事務局に依頼できます」."""
    if not facts or user is None or not user.is_authenticated:
        return []
    trades = trades_for_user(user=user).exclude(state__in=["completed", "cancelled"])
    out: list[Fact] = []
    for trade in trades.order_by("-purchased_at", "-id")[:OPEN_TRADES_SHOWN]:
        outlook = trade_outlook(trade=trade, viewer=user)
        options = {o.action.value: o for o in outlook.options}
        named = {"id": trade.pk, "title": trade.listing.title}
        for fact in facts:
            option = options.get(fact)
            if option is not None and option.allowed and fact in _ACTION_NOW:
                out.append(Fact(trade.pk, str(_ACTION_NOW[fact]) % named))
            elif option is not None and option.allowed_from and fact in _ACTION_FROM:
                at = option.allowed_from
                out.append(
                    Fact(trade.pk, str(_ACTION_FROM[fact]) % {**named, "when": when(at)}, at)
                )
            elif fact in _DEADLINE and getattr(outlook.deadlines, fact, None) is not None:
                at = getattr(outlook.deadlines, fact)
                out.append(Fact(trade.pk, str(_DEADLINE[fact]) % {**named, "when": when(at)}, at))
    return out


def known_facts() -> set[str]:
    """Every name an article's `facts` may use (a test checks the shipped articles)."""
    return set(_ACTION_NOW) | set(_ACTION_FROM) | set(_DEADLINE)
