"""Support's parts of other apps' pages (the trade screen's inquiries card, the in-app
notices on My page), as template tags: the trades and accounts apps render them without
importing the support app, which sits above them."""

from __future__ import annotations

from django import template

from furima.support.selectors import inquiries_for_trade, notices_for_user

register = template.Library()


@register.inclusion_tag("support/_trade_inquiries.html", takes_context=True)
def trade_inquiries(context, trade) -> dict:
    user = context["user"]
    role = trade.role_of(user)
    category = "seller_trouble" if role is not None and role.value == "buyer" else "buyer_trouble"
    return {
        "trade": trade,
        "inquiries": list(inquiries_for_trade(trade=trade, user=user)[:10]),
        "category": category,
        "is_party": role is not None,
    }


@register.inclusion_tag("support/_notices.html", takes_context=True)
def support_notices(context) -> dict:
    user = context["user"]
    return {"notices": list(notices_for_user(user=user)) if user.is_authenticated else []}
