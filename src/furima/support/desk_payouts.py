"""The staff desk's payout queue (振込申請), at /support/payouts/: open requests oldest
first, each with the bank details staff transfer to, and one click to mark it paid or to
reject it with a reason (the whole amount goes back to the seller's balance). Both lists are
keyset-paged on their own cursors (`?open=`, `?decided=`), like the desk's queues. Staff
only, like the rest of the desk (404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.errors import FurimaError, NotFound, http_status
from furima.pagination import BadCursor
from furima.payouts.selectors import payout_queue, payouts_decided
from furima.payouts.services import payout_mark_paid, payout_reject
from furima.support.desk import staff_only
from furima.support.queues import queue_page

QUEUE_SIZE = 50
DECIDED_SHOWN = 20
OPEN_ORDER = ("requested_at", "id")  # the longest waiting first
DECIDED_ORDER = ("-decided_at", "-id")  # the most recently decided first


def _render_queue(request, *, error: str = "", status: int = 200):
    query = request.GET
    try:
        waiting, open_next = queue_page(query, "open", payout_queue(), OPEN_ORDER, QUEUE_SIZE)
        decided, decided_next = queue_page(
            query, "decided", payouts_decided(), DECIDED_ORDER, DECIDED_SHOWN
        )
    except BadCursor:
        raise Http404 from None
    return render(
        request,
        "support/desk_payouts.html",
        {
            "open": waiting,
            "open_next": open_next,
            "decided": decided,
            "decided_next": decided_next,
            "error": error,
        },
        status=status,
    )


@staff_only
def payouts(request):
    return _render_queue(request)


@staff_only
@require_POST
def payout_paid(request, payout_id: int):
    return _decide(request, lambda: payout_mark_paid(payout_id=payout_id, user=request.user))


@staff_only
@require_POST
def payout_rejected(request, payout_id: int):
    reason = request.POST.get("reason", "")
    return _decide(
        request, lambda: payout_reject(payout_id=payout_id, user=request.user, reason=reason)
    )


def _decide(request, decide):
    try:
        payout = decide()
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        message = (
            _("This request was already decided.")
            if error.code == "conflict"
            else _("Say why the request is rejected.")
        )
        return _render_queue(request, error=message, status=http_status(error.code))
    messages.success(
        request,
        _("Payout #%(number)s: %(status)s.")
        % {"number": payout.pk, "status": payout.get_status_display()},
    )
    return redirect("support:payouts")
