"""The market's parts of マイページ: the items the user liked (いいね！した商品). A template
tag, so the accounts app shows it without reading the market's likes itself."""

from __future__ import annotations

from django import template

from furima.market.selectors_social import LIKED_ORDERING, likes_of

register = template.Library()

MYPAGE_LIKED = 6


@register.inclusion_tag("market/_liked_card.html", takes_context=True)
def liked_items(context) -> dict:
    user = context["user"]
    if not user.is_authenticated:
        return {"listings": []}
    likes = likes_of(user=user).order_by(*LIKED_ORDERING)[: MYPAGE_LIKED + 1]
    listings = [like.listing for like in likes]
    return {"listings": listings[:MYPAGE_LIKED], "more": len(listings) > MYPAGE_LIKED}
