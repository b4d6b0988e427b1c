"""Labels for the engine's vocabulary (states, actors, actions, ratings), in the active
language. Plain functions, so services and presenters use them too; the templates get them
as filters (`web/templatetags/furima_labels.py`) rather than includes: the trade screen
shows dozens of them."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

STATES = {
    "awaiting_shipment": _("Awaiting shipment"),
    "shipped": _("Shipped — awaiting receipt rating"),
    "awaiting_seller_rating": _("Awaiting the seller's rating"),
    "completed": _("Completed"),
    "cancelled": _("Cancelled"),
}
ACTORS = {
    "buyer": _("Buyer"),
    "seller": _("Seller"),
    "operator": _("Support"),
    "system": "furima",
    "carrier": _("Carrier"),
}
RATINGS = {"good": _("Good"), "normal": _("Normal"), "bad": _("Bad")}
EVENTS = {
    "purchase": _("Purchased"),
    "message": _("New message"),
    "ship": _("Shipping notice sent"),
    "deliver": _("Delivery confirmed by the carrier"),
    "remind": _("Reminder to rate receipt"),
    "rate": _("Rated"),
    "request_operator": _("The seller asked the operator to rate receipt"),
    "report_problem": _("The buyer reported a problem"),
    "proxy_rate": _("Receipt rated on the buyer's behalf"),
    "cancel": _("Cancelled and refunded"),
    "complete": _("Completed"),
    "staff_message": _("Message from support"),
    "resolve_problem": _("Problem report closed"),
    "request_cancel": _("Cancellation asked for"),
    "accept_cancel": _("Cancellation agreed"),
    "decline_cancel": _("Cancellation declined"),
    "staff_inquiry_answer": _("Inquiry answered"),
    "staff_inquiry_status": _("Inquiry status changed"),
    "staff_timer_retry": _("Failed timer retried"),
}


def _label(table: dict, value) -> str:
    return str(table.get(value, value))


def state_label(value) -> str:
    return _label(STATES, value)


def actor_label(value) -> str:
    return _label(ACTORS, value)


def rating_label(value) -> str:
    return _label(RATINGS, value)


def event_label(value) -> str:
    """An event's action as a sentence ("Shipping notice sent")."""
    return _label(EVENTS, value)


BUTTONS = {
    "remind": _("Remind the buyer to rate"),
    "request_operator": _("Ask the operator to rate receipt"),
    "proxy_rate": _("Rate receipt on the buyer's behalf"),
}


def action_button_label(value) -> str:
    return _label(BUTTONS, value)


def policy_name(value) -> str:
    """A policy's display name in the active language: policy files write bilingual names
    as 「ラクマ 2016 / Rakuma 2016」 (Japanese first)."""
    parts = [part.strip() for part in str(value).split(" / ")]
    if len(parts) == 1:
        return parts[0]
    return parts[0] if get_language() == "ja" else parts[-1]
