"""What the trade screen shows, computed once: the step bar, the deadline banners that say
exactly when the next thing happens, and the actions the viewer may take now.

Kept apart from the view so the HTML page, the htmx partial and tests share one answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from furima.process import Actor, State
from furima.trades.selectors import trade_events, trade_messages, trade_outlook
from furima.trades.services import STAFF_MESSAGE, STAFF_MESSAGE_RECIPIENTS
from furima.web.templatetags.furima_format import remaining, when

STEP_LABELS = [
    gettext_lazy("Purchased"),
    gettext_lazy("Shipped"),
    gettext_lazy("Receipt rated"),
    gettext_lazy("Completed"),
]
_STEPS_DONE = {
    State.AWAITING_SHIPMENT: 1,
    State.SHIPPED: 2,
    State.AWAITING_SELLER_RATING: 3,
    State.COMPLETED: 4,
}

ERROR_MESSAGES = {
    "not_allowed_in_state": gettext_lazy("That is not possible at this stage of the trade."),
    "forbidden_actor": gettext_lazy("You cannot do that in this trade."),
    "too_early": gettext_lazy("It is too early for that; see the times shown on this page."),
    "too_soon": gettext_lazy("You did that recently; please wait a little."),
    "invalid_rating": gettext_lazy("Choose a rating: good, normal or bad."),
    "invalid_input": gettext_lazy("Please check what you entered."),
    "conflict": gettext_lazy("Someone else changed this at the same moment; please try again."),
}


@dataclass(frozen=True)
class Banner:
    text: str
    kind: str = "info"  # "info" | "warn"


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # "done" | "current" | "todo"


def step_bar(state: State) -> list[Step]:
    done = _STEPS_DONE.get(state, 0)
    return [
        Step(str(label), "done" if i < done else "current" if i == done else "todo")
        for i, label in enumerate(STEP_LABELS)
    ]


def _banners(state: State, actor: Actor, found, options) -> list[Banner]:
    """Each deadline that matters to this viewer, as one sentence with date, time and
    how long is left."""
    out: list[Banner] = []

    def add(moment, text, kind="info"):
        if moment is not None:
            out.append(Banner(text % {"when": when(moment), "left": remaining(moment)}, kind))

    waiting = {o.action: o for o in options if not o.allowed}
    if state is State.AWAITING_SHIPMENT:
        if actor is Actor.SELLER:
            add(found.ship_by, _("Please ship by %(when)s (%(left)s)."), "warn")
        else:
            add(found.ship_by, _("The seller ships by %(when)s (%(left)s)."))
        if actor is Actor.BUYER and "cancel" in waiting:
            add(
                waiting["cancel"].allowed_from,
                _("If it has not shipped, you may cancel from %(when)s."),
            )
        add(
            found.auto_cancel_at,
            _(
                "If it has not shipped by %(when)s, the trade is cancelled "
                "and the buyer refunded automatically."
            ),
        )
    elif state is State.SHIPPED:
        if actor is Actor.SELLER:
            if "request_operator" in waiting:
                add(
                    waiting["request_operator"].allowed_from,
                    _("From %(when)s you can ask the operator to rate receipt (%(left)s)."),
                )
            add(found.reminder_at, _("furima reminds the buyer at %(when)s."))
        add(found.proxy_rate_at, _("At %(when)s the operator rates receipt on the buyer's behalf."))
        if actor is Actor.BUYER:
            add(
                found.auto_complete_at,
                _("Please rate receipt: at %(when)s it will be rated automatically (%(left)s)."),
                "warn",
            )
        else:
            add(found.auto_complete_at, _("Receipt will be rated automatically at %(when)s."))
    elif state is State.AWAITING_SELLER_RATING:
        if actor is Actor.SELLER:
            add(
                found.seller_rating_closes_at,
                _(
                    "Please rate the buyer by %(when)s; after that the trade "
                    "completes without your rating (%(left)s)."
                ),
                "warn",
            )
        else:
            add(found.seller_rating_closes_at, _("The trade completes at %(when)s at the latest."))
    return out


def _staff_messages(events, actor: Actor) -> list:
    """Messages from support (事務局) this viewer may read: those to their side or both
    (staff, seeing the trade as the operator, read all)."""
    return [
        event
        for event in events
        if event.action == STAFF_MESSAGE
        and (
            actor is Actor.OPERATOR
            or actor.value in STAFF_MESSAGE_RECIPIENTS.get(event.data.get("to"), ())
        )
    ]


def trade_screen(*, trade, viewer) -> dict:
    """Everything the trade screen needs for `viewer` (a party, or staff as operator)."""
    outlook = trade_outlook(trade=trade, viewer=viewer)
    actor, policy, found, options = (
        outlook.actor,
        outlook.policy,
        outlook.deadlines,
        outlook.options,
    )
    state = State(trade.state)
    events = list(trade_events(trade=trade))
    return {
        "trade": trade,
        "actor": actor.value,
        "snapshot": outlook.snapshot,
        "policy": policy,
        "deadlines": found,
        "steps": step_bar(state),
        "cancelled": state is State.CANCELLED,
        "banners": _banners(state, actor, found, options),
        "allowed": {o.action.value for o in options if o.allowed},
        "waiting": {o.action.value: o.allowed_from for o in options if not o.allowed},
        "ratings": outlook.ratings,
        "thread": trade_messages(trade=trade),
        "events": events,
        "staff_messages": _staff_messages(events, actor),
        "rating_choices": [r for r in ("good", "normal", "bad") if r in policy.ratings],
    }
