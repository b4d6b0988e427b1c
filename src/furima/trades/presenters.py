"""What the trade screen shows, computed once: the step bar, the deadline banners that say
exactly when the next thing happens, and the actions the viewer may take now.

Kept apart from the view so the HTML page, the htmx partial and tests share one answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from furima import clock
from furima.formats import remaining, when, yen
from furima.labels import rating_label
from furima.process import Action, Actor, State, decide
from furima.process.commands import Command
from furima.shipping.selectors import trade_ship_to
from furima.trades.selectors import trade_log, trade_outlook
from furima.trades.services import STAFF_MESSAGE, STAFF_MESSAGE_RECIPIENTS
from furima.trades.staff import STAFF_ONLY_EVENTS
from furima.trades.wording import person, sentence, subject

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
    """One sentence about a deadline. `left` is the countdown (the same rule on every
    screen and for both sides); `overdue` marks a moment already past."""

    text: str
    kind: str = "info"  # "info" | "warn"
    left: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # "done" | "current" | "todo"


@dataclass(frozen=True)
class TimelineLine:
    at: object
    text: str


@dataclass(frozen=True)
class ThreadMessage:
    """A trade message as the thread shows it, read from its event (the `Message` row holds
    the same sender, side, text and time): the screen needs no query of its own for them."""

    sender_id: int
    role: str
    text: str
    at: object


def _thread(events) -> list[ThreadMessage]:
    messages = [e for e in events if e.action == Action.MESSAGE.value]
    return [
        ThreadMessage(e.user_id, e.actor, e.data["text"], e.at)
        for e in sorted(messages, key=lambda e: (e.at, e.seq))
    ]


def step_bar(state: State) -> list[Step]:
    done = _STEPS_DONE.get(state, 0)
    return [
        Step(str(label), "done" if i < done else "current" if i == done else "todo")
        for i, label in enumerate(STEP_LABELS)
    ]


class _Banners:
    """Collects the banners; every one says when, and how long is left."""

    def __init__(self, now):
        self.now = now
        self.out: list[Banner] = []

    def add(self, moment, text, kind="info", *, past_text=None):
        if moment is None:
            return
        overdue = moment <= self.now
        if overdue and past_text is not None:
            self.out.append(Banner(past_text % {"when": when(moment)}, "warn", overdue=True))
            return
        left = remaining(moment, self.now)
        self.out.append(Banner(text % {"when": when(moment)}, kind, left, overdue))

    def say(self, text, kind="info"):
        self.out.append(Banner(text, kind))


def _banners(trade, state: State, actor: Actor, found, options, now) -> list[Banner]:
    """Each deadline that matters to this viewer, as one sentence with date, time and
    how long is left; a passed deadline says so and what may happen now."""
    banners = _Banners(now)
    add = banners.add
    waiting = {o.action: o for o in options if not o.allowed}
    allowed = {o.action for o in options if o.allowed}
    if state is State.AWAITING_SHIPMENT:
        if actor is Actor.SELLER:
            add(
                found.ship_by,
                _("Please ship by %(when)s."),
                "warn",
                past_text=_(
                    "The ship-by deadline (%(when)s) has passed. Please ship now: "
                    "the buyer may cancel the trade."
                ),
            )
        else:
            add(
                found.ship_by,
                _("The seller ships by %(when)s."),
                past_text=_("The ship-by deadline (%(when)s) has passed and it has not shipped."),
            )
        overdue = found.ship_by is not None and found.ship_by <= now
        if actor is Actor.BUYER and Action.CANCEL in allowed and overdue:
            banners.say(_("You may cancel the trade now and get a full refund."), "warn")
        if actor is Actor.BUYER and Action.CANCEL in waiting:
            add(
                waiting[Action.CANCEL].allowed_from,
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
        if trade.problem_reported_at and not trade.problem_closed_at:
            banners.say(
                _(
                    "The automatic receipt rating is paused since %(since)s: the buyer "
                    "reported a problem. It resumes when furima support or the buyer "
                    "closes the report."
                )
                % {"since": when(trade.problem_reported_at)},
                "warn",
            )
        if actor is Actor.SELLER:
            if Action.REQUEST_OPERATOR in waiting:
                add(
                    waiting[Action.REQUEST_OPERATOR].allowed_from,
                    _("From %(when)s you can ask the operator to rate receipt."),
                )
            add(found.reminder_at, _("furima reminds the buyer at %(when)s."))
        add(found.proxy_rate_at, _("At %(when)s the operator rates receipt on the buyer's behalf."))
        if actor is Actor.BUYER:
            add(
                found.auto_complete_at,
                _(
                    "Please check the item now and rate receipt. If anything is wrong, report "
                    "a problem before %(when)s, when receipt is rated automatically."
                ),
                "warn",
            )
        else:
            add(found.auto_complete_at, _("Receipt will be rated automatically at %(when)s."))
    if state in (State.AWAITING_SELLER_RATING, State.COMPLETED):
        _claims(banners, trade, found, actor, when)
    if state is State.AWAITING_SELLER_RATING:
        if actor is Actor.SELLER:
            add(
                found.seller_rating_closes_at,
                _(
                    "Please rate the buyer by %(when)s; after that the trade "
                    "completes without your rating."
                ),
                "warn",
            )
        else:
            add(found.seller_rating_closes_at, _("The trade completes at %(when)s at the latest."))
    return banners.out


def _claims(banners, trade, found, actor: Actor, when) -> None:
    """Buyer protection after the payout (a policy with a claims window): an open claim, and
    until when one may still be made."""
    if trade.problem_reported_at and not trade.problem_closed_at:
        banners.say(
            _(
                "Since %(since)s the buyer's problem report is with furima support, who "
                "decide on any refund; the seller's rating window waits until then."
            )
            % {"since": when(trade.problem_reported_at)},
            "warn",
        )
        return
    if actor is Actor.SELLER:
        text = _("The buyer may still report a problem with the item until %(when)s.")
    else:
        text = _("If you find a problem with the item, you may still report it until %(when)s.")
    closes = found.claim_window_closes_at
    if closes is not None and closes > banners.now:
        banners.add(closes, text)


def _reader(actor: Actor) -> str | None:
    return actor.value if actor in (Actor.BUYER, Actor.SELLER) else None


def _names(trade) -> dict[str, str]:
    """The parties' names as this viewer may see them."""
    return {"buyer": person(trade.buyer), "seller": person(trade.seller)}


def _line(event, actor: Actor, names) -> str:
    who = subject(actor=event.actor, reader=_reader(actor), name=names.get(event.actor))
    return sentence(action=event.action, actor=event.actor, who=who)


def _cancellation(trade, events, actor: Actor, names) -> dict | None:
    """Who cancelled, why, and the refund — from the step that cancelled the trade."""
    if trade.state != State.CANCELLED.value:
        return None
    ending = next((e for e in reversed(events) if e.action in ("cancel", "accept_cancel")), None)
    if ending is None:
        return None
    reason = ending.data.get("reason", "")
    if ending.action == "accept_cancel":
        asked = next((e for e in reversed(events) if e.action == "request_cancel"), None)
        reason = asked.data.get("reason", "") if asked is not None else reason
    who = subject(actor=ending.actor, reader=_reader(actor), name=names.get(ending.actor))
    return {
        "text": sentence(action=ending.action, actor=ending.actor, who=who),
        "by_system": ending.actor == Actor.SYSTEM.value,
        "reason": reason,
        "at": ending.at,
        "refund": trade.price,
    }


def _cancel_request(trade, actor: Actor, names, found) -> dict | None:
    """A pending request to cancel by mutual agreement: who asked, why, until when."""
    by = getattr(trade, "cancel_requested_by", "")
    if not by or trade.state == State.CANCELLED.value:
        return None
    who = subject(actor=by, reader=_reader(actor), name=names.get(by))
    return {
        "text": sentence(action="request_cancel", actor=by, who=who),
        "reason": getattr(trade, "cancel_request_reason", ""),
        "at": getattr(trade, "cancel_requested_at", None),
        "expires_at": getattr(found, "cancel_request_expires_at", None),
        "mine": by == _reader(actor),
    }


def _problem(trade, actor: Actor) -> dict | None:
    if trade.problem_reported_at is None:
        return None
    return {
        "text": trade.problem_text,
        "reported_at": trade.problem_reported_at,
        "closed_at": trade.problem_closed_at,
        "mine": actor is Actor.BUYER,
    }


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


def event_visible_to(event, actor: Actor) -> bool:
    """Whether `actor` (a party, or staff as operator) may see this step of the trade's log:
    everything, except a message from support to the other side and the desk's own notes."""
    if actor is Actor.OPERATOR:
        return True
    if event.action in STAFF_ONLY_EVENTS:
        return False
    if event.action == STAFF_MESSAGE:
        return actor.value in STAFF_MESSAGE_RECIPIENTS.get(event.data.get("to"), ())
    return True


def trade_screen(*, trade, viewer, actor: Actor | None = None) -> dict:
    """Everything the trade screen needs for `viewer` (a party, or staff as operator);
    `actor` when the caller already knows their side (it just acted as it)."""
    outlook = trade_outlook(trade=trade, viewer=viewer, actor=actor)
    actor, policy, found, options = (
        outlook.actor,
        outlook.policy,
        outlook.deadlines,
        outlook.options,
    )
    state = State(trade.state)
    now = clock.now()
    events = trade_log(trade=trade)
    staff_messages = _staff_messages(events, actor)
    names = _names(trade)
    # A message from support shows in the timeline only to those it was written to; the
    # desk's own notes (inquiries answered, timers retried) only to staff.
    seen = [e for e in events if event_visible_to(e, actor)]
    timeline = [TimelineLine(e.at, _line(e, actor, names)) for e in seen]
    return {
        "trade": trade,
        "actor": actor.value,
        "snapshot": outlook.snapshot,
        "policy": policy,
        "deadlines": found,
        "steps": step_bar(state),
        "cancelled": state is State.CANCELLED,
        "cancellation": _cancellation(trade, events, actor, names),
        "problem": _problem(trade, actor),
        "cancel_request": _cancel_request(trade, actor, names, found),
        "banners": _banners(trade, state, actor, found, options, now),
        "allowed": {o.action.value for o in options if o.allowed},
        "waiting": {o.action.value: o.allowed_from for o in options if not o.allowed},
        "ratings": outlook.ratings,
        "thread": _thread(events),
        "timeline": timeline,
        "latest": timeline[-1] if timeline else None,
        "staff_messages": staff_messages,
        "rating_choices": [r for r in ("good", "normal", "bad") if r in policy.ratings],
        "shipping": trade.shipping,
        "ship_to": trade_ship_to(trade=trade, viewer=viewer),
    }


NEEDS_CONFIRMATION = frozenset(
    {"cancel", "accept_cancel", "rate", "request_operator", "proxy_rate"}
)
"""Final steps: the screen asks once more before taking them."""


def would_accept(*, trade, viewer, data: dict) -> bool:
    """Whether the engine would take this exact step now (asked before the confirmation,
    so a step that will be refused is refused at once, not after a second click)."""
    outlook = trade_outlook(trade=trade, viewer=viewer)
    command = Command(
        actor=outlook.actor,
        action=Action(data["action"]),
        rating=data.get("rating") or None,
        comment=data.get("comment") or "",
        text=data.get("text") or "",
        reason=data.get("reason") or "",
        tracking_number=data.get("tracking_number") or "",
    )
    return decide(outlook.snapshot, command, clock.now(), outlook.policy).accepted


def confirmation(*, trade, actor: str, action: str, data: dict) -> dict:
    """The confirmation step for a final action: the question, what it means, and the
    fields to post again."""
    amount = yen(trade.price)
    details: list[str] = []
    danger = False
    if action in ("cancel", "accept_cancel"):
        question = _("Cancel this trade? %(amount)s is refunded to the buyer.") % {"amount": amount}
        if data.get("reason"):
            details.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
        details.append(_("A cancelled trade cannot be reopened."))
        button, danger = _("Yes, cancel and refund"), True
    elif action == "rate":
        rating = rating_label(data.get("rating") or "")
        if actor == "buyer":
            question = _("Confirm receipt and rate the seller %(rating)s?") % {"rating": rating}
            details.append(_("Only do this once the item has arrived and is as described."))
            details.append(_("The seller is paid, and a rating cannot be changed later."))
        else:
            question = _("Rate the buyer %(rating)s?") % {"rating": rating}
            details.append(_("A rating cannot be changed later."))
        if data.get("comment"):
            details.append(_("Comment: %(comment)s") % {"comment": data["comment"]})
        button = _("Yes, rate")
    elif action == "request_operator":
        question = _("Ask furima support to rate receipt on the buyer's behalf?")
        details.append(_("Both of you are told; support rates if the buyer stays silent."))
        button = _("Yes, ask support")
    else:
        question = _("Rate receipt on the buyer's behalf?")
        details.append(_("The seller is paid, and the rating cannot be changed later."))
        button = _("Yes, rate on the buyer's behalf")
    fields = [("action", action)]
    for name in ("rating", "comment", "reason"):
        if data.get(name):
            fields.append((name, data[name]))
    return {
        "question": question,
        "details": details,
        "button": button,
        "danger": danger,
        "fields": fields,
    }


DONE = {
    "message": gettext_lazy("Your message was sent."),
    "ship": gettext_lazy("The shipping notice was sent to the buyer."),
    "remind": gettext_lazy("The buyer was reminded."),
    "rate": gettext_lazy("Your rating was saved."),
    "request_operator": gettext_lazy("furima support was asked; both of you were told."),
    "report_problem": gettext_lazy("Your report was sent; the automatic rating is paused."),
    "proxy_rate": gettext_lazy("Receipt was rated on the buyer's behalf."),
    "cancel": gettext_lazy("The trade was cancelled and the buyer refunded."),
    "accept_cancel": gettext_lazy("The trade was cancelled and the buyer refunded."),
    "request_cancel": gettext_lazy("Your request to cancel was sent."),
    "decline_cancel": gettext_lazy("You declined; the trade goes on."),
    "resolve_problem": gettext_lazy("The problem report was closed."),
}


def done_message(*, trade, action: str) -> str:
    """What the page says after a plain (no JavaScript) post went through."""
    return str(DONE.get(action, _("Done.")))
