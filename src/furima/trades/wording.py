"""Who did what, as one sentence: the trade screen's timeline, the in-app inbox and the mails
all say 「はなこさんが発送しました」 the same way.

A sentence names its subject once (`%(who)s`), so nothing reads 「購入者: 購入者が…」. The
subject is "you" for the reader's own steps, a person's name where the reader knows them,
else their side of the trade (購入者 / 出品者), 事務局 or furima.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

SENTENCES = {
    "purchase": gettext_lazy("%(who)s bought the item"),
    "message": gettext_lazy("%(who)s sent a message"),
    "ship": gettext_lazy("%(who)s sent the shipping notice"),
    "deliver": gettext_lazy("The carrier confirmed delivery"),
    "remind": gettext_lazy("%(who)s reminded the buyer to rate receipt"),
    "request_operator": gettext_lazy("%(who)s asked the operator to rate receipt"),
    "report_problem": gettext_lazy("%(who)s reported a problem"),
    "resolve_problem": gettext_lazy("%(who)s closed the problem report"),
    "proxy_rate": gettext_lazy("%(who)s rated receipt on the buyer's behalf"),
    "cancel": gettext_lazy("%(who)s cancelled the trade; the buyer is refunded"),
    "request_cancel": gettext_lazy("%(who)s asked to cancel the trade"),
    "accept_cancel": gettext_lazy("%(who)s agreed to cancel; the buyer is refunded"),
    "decline_cancel": gettext_lazy("%(who)s declined to cancel; the trade goes on"),
    "complete": gettext_lazy("The trade completed"),
    "staff_message": gettext_lazy("%(who)s sent a message"),
    "staff_inquiry_answer": gettext_lazy("%(who)s answered an inquiry about this trade"),
    "staff_inquiry_status": gettext_lazy("%(who)s updated an inquiry about this trade"),
    "staff_timer_retry": gettext_lazy("%(who)s retried a timer that had failed"),
}
RATE_SENTENCES = {
    "buyer": gettext_lazy("%(who)s confirmed receipt and rated the seller"),
    "seller": gettext_lazy("%(who)s rated the buyer"),
}
SIDES = {
    "buyer": pgettext_lazy("subject of a sentence", "The buyer"),
    "seller": pgettext_lazy("subject of a sentence", "The seller"),
    "operator": pgettext_lazy("subject of a sentence", "furima support"),
    "system": pgettext_lazy("subject of a sentence", "furima"),
    "carrier": pgettext_lazy("subject of a sentence", "The carrier"),
}


def person(user) -> str:
    """A person as the other party sees them: 「はなこさん」 / "hanako"."""
    return _("%(name)s (person)") % {"name": str(user)}


def subject(*, actor: str, reader: str | None, name: str | None = None) -> str:
    """The sentence's subject for a step by `actor`, read by the party `reader` (buyer,
    seller, or None for staff). `name` is the acting person's name, where shown."""
    if reader is not None and actor == reader:
        return str(pgettext_lazy("subject of a sentence", "You"))
    if name and actor in ("buyer", "seller"):
        return name
    return str(SIDES.get(actor, actor))


def sentence(*, action: str, actor: str, who: str) -> str:
    """「はなこさんが発送しました」: the step `action` by `actor`, with its subject `who`."""
    if action == "rate":
        template = RATE_SENTENCES.get(actor, RATE_SENTENCES["seller"])
    else:
        found = SENTENCES.get(action)
        if found is None:
            return f"{who}: {action}"
        template = found
    return str(template) % {"who": who}


def next_step(*, state: str, found, party: str, when) -> str:
    """What happens next for `party`, with its date (`when` formats an instant): the line
    a mail ends its news with. "" when nothing is scheduled."""
    if state == "awaiting_shipment" and found.ship_by is not None:
        if party == "seller":
            return _("Please ship by %(when)s.") % {"when": when(found.ship_by)}
        return _("The seller ships by %(when)s.") % {"when": when(found.ship_by)}
    if state == "shipped":
        if found.proxy_rate_at is not None:
            return _("At %(when)s the operator rates receipt on the buyer's behalf.") % {
                "when": when(found.proxy_rate_at)
            }
        if found.auto_complete_at is not None:
            if party == "buyer":
                return _(
                    "Please check the item now and rate receipt. If anything is wrong, report "
                    "a problem before %(when)s, when receipt is rated automatically."
                ) % {"when": when(found.auto_complete_at)}
            return _("Receipt will be rated automatically at %(when)s.") % {
                "when": when(found.auto_complete_at)
            }
        if party == "buyer":
            return _("Please rate receipt once the item has arrived.")
        if found.operator_request_allowed_from is not None:
            return _("From %(when)s you can ask the operator to rate receipt.") % {
                "when": when(found.operator_request_allowed_from)
            }
    if state == "awaiting_seller_rating" and found.seller_rating_closes_at is not None:
        if party == "seller":
            return _(
                "Please rate the buyer by %(when)s; after that the trade "
                "completes without your rating."
            ) % {"when": when(found.seller_rating_closes_at)}
        return _("The trade completes at %(when)s at the latest.") % {
            "when": when(found.seller_rating_closes_at)
        }
    return ""
