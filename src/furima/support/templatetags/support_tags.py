"""Support's part of another app's page (the trade screen's inquiries card), as a template
tag: the trades app renders it without importing the support app, which sits above it."""

from __future__ import annotations

from django import template

from furima.support.selectors import trade_inquiries_card

register = template.Library()


@register.inclusion_tag("support/_trade_inquiries.html", takes_context=True)
def trade_inquiries(context, trade) -> dict:
    user = context["user"]
    role = trade.role_of(user)
    category = "seller_trouble" if role is not None and role.value == "buyer" else "buyer_trouble"
    return {
        "trade": trade,
        "inquiries": trade_inquiries_card(trade=trade, user=user),
        "category": category,
        "is_party": role is not None,
    }
