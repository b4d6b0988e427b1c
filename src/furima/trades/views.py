"""The trade screen (取引画面) and its one action endpoint.

Every action is a plain form post that works without JavaScript (redirect after success);
with htmx the same view answers with the trade panel only, which is the same markup a full
reload renders for that part of the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.errors import FurimaError
from furima.trades.errors import NotFound
from furima.trades.forms import ActionForm
from furima.trades.presenters import (
    ERROR_MESSAGES,
    NEEDS_CONFIRMATION,
    confirmation,
    done_message,
    trade_screen,
    would_accept,
)
from furima.trades.selectors import trade_get
from furima.trades.services import trade_act


def _trade_or_404(trade_id: int, user):
    try:
        return trade_get(trade_id=trade_id, user=user)
    except NotFound:
        raise Http404 from None


def _render(request, trade, *, status=200, error=None, form=None, confirming=None, actor=None):
    context = trade_screen(trade=trade, viewer=request.user, actor=actor)
    confirm = None
    if confirming is not None:
        confirm = confirmation(
            trade=trade, actor=context["actor"], action=confirming, data=form.cleaned_data
        )
    # `form` is the posted form, for its errors; the panel's own forms are plain markup, so
    # a page view builds no unbound form (eight deep-copied fields for nothing).
    context.update(error=error, form=form, confirm=confirm)
    template = "trades/_panel.html" if request.htmx else "trades/detail.html"
    return render(request, template, context, status=status)


@login_required
def detail(request, trade_id: int):
    return _render(request, _trade_or_404(trade_id, request.user))


@login_required
@require_POST
def act(request, trade_id: int):
    form = ActionForm(request.POST)
    if not form.is_valid():
        trade = _trade_or_404(trade_id, request.user)
        return _render(request, trade, status=400, error=_("Please check the form."), form=form)
    data = form.cleaned_data
    # Final steps are asked twice, without JavaScript too: the confirmation is the panel
    # itself. Only for a step the engine would take now; a refused one is refused at once.
    if data["action"] in NEEDS_CONFIRMATION and not data["confirmed"]:
        trade = _trade_or_404(trade_id, request.user)
        if would_accept(trade=trade, viewer=request.user, data=data):
            return _render(request, trade, form=form, confirming=data["action"])
    try:
        # The service reads the trade once and settles who the user acts as (their side,
        # or the operator for staff); the page is rendered from what it returns.
        result = trade_act(
            trade_id=trade_id,
            user=request.user,
            action=data["action"],
            rating=data["rating"] or None,
            comment=data["comment"],
            text=data["text"],
            reason=data["reason"],
            tracking_number=data["tracking_number"],
            idempotency_key=data["idempotency_key"] or None,
        )
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        # A refusal that knows its own sentence (a tracking number) says it; else by code.
        message = getattr(error, "message", None) or ERROR_MESSAGES.get(error.code, error.detail)
        trade = _trade_or_404(trade_id, request.user)  # refused: nothing changed; show it
        return _render(request, trade, status=error.http_status, error=message, form=form)
    if request.htmx:
        return _render(request, result.trade, actor=result.actor)
    messages.success(request, done_message(trade=result.trade, action=data["action"]))
    return redirect("trades:detail", result.trade.pk)
