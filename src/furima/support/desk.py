"""The staff desk (事務局), at /support/: queues ordered by when someone is owed an answer, a
trade with everything that happened in it, one-click operator actions through the same trade
service as every other step, and inquiries answered with filled reply templates.

Staff only: everyone else gets a plain 404 on every desk URL (not the admin login page,
which would tell them the desk exists)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima import clock
from furima.errors import FurimaError, http_status
from furima.pagination import BadCursor, keyset_page, next_page_query
from furima.payouts.selectors import payouts_open_count
from furima.process.policy import UnknownPolicy
from furima.shipping.selectors import address_accesses
from furima.shipping.services import trade_address_reveal
from furima.support.forms import ReplyForm, SimulationForm, StaffMessageForm, TradeActionForm
from furima.support.models import Status
from furima.support.queues import desk_queues
from furima.support.replies import reply_template_get, reply_templates, reply_values
from furima.support.selectors import (
    inquiries_for_trade,
    inquiry_get,
    trade_events_with_people,
    trade_mails,
    trade_postings,
)
from furima.support.services import inquiry_reply, inquiry_set_status
from furima.support.simulation import policy_comparison
from furima.trades.errors import NotFound
from furima.trades.presenters import ERROR_MESSAGES
from furima.trades.selectors import trade_get, trade_messages, trade_outlook
from furima.trades.services import trade_act, trade_staff_message
from furima.trades.staff import trade_timer_retry

DESK_ACTIONS = ("proxy_rate", "cancel", "resolve_problem")


def staff_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _language() -> str:
    return (get_language() or "ja").split("-")[0]


@staff_only
def desk(request):
    """The queues, most urgent first, each paged on its own cursor."""
    try:
        queues = desk_queues(query=request.GET, now=clock.now())
    except BadCursor:
        raise Http404 from None
    return render(
        request,
        "support/desk.html",
        {"queues": queues, "now": queues.now, "payouts_open": payouts_open_count()},
    )


def _trade_or_404(trade_id, user):
    try:
        return trade_get(trade_id=trade_id, user=user)
    except NotFound:
        raise Http404 from None


def _render_trade(request, trade, *, status=200, error=None, message_form=None, ship_to=None):
    try:
        outlook = trade_outlook(trade=trade, viewer=request.user)
    except UnknownPolicy:
        # The trade's pinned policy does not load (a bad deploy: its timers fail too). The
        # desk still shows the trade's story, to find out what happened; no actions.
        outlook = None
    template = reply_template_get(request.GET.get("template", ""))
    if message_form is None:
        text = ""
        if template is not None:
            text = template.fill(reply_values(staff=request.user, trade=trade), _language())
        message_form = StaffMessageForm(initial={"to": request.GET.get("to", "both"), "text": text})
    allowed = {o.action.value for o in outlook.options if o.allowed} if outlook else set()
    return render(
        request,
        "support/desk_trade.html",
        {
            "trade": trade,
            "outlook": outlook,
            "deadlines": outlook.deadlines.as_dict() if outlook else {},
            "events": trade_events_with_people(trade=trade),
            "thread": trade_messages(trade=trade),
            "postings": trade_postings(trade=trade),
            "mails": trade_mails(trade=trade)[:50],
            "inquiries": inquiries_for_trade(trade=trade, user=request.user),
            "actions": [a for a in DESK_ACTIONS if a in allowed],
            "templates": [(t.id, t.title(_language())) for t in reply_templates()],
            "message_form": message_form,
            "error": error,
            "shipping": trade.shipping,
            "ship_to": ship_to,
        },
        status=status,
    )


@staff_only
def desk_trade(request, trade_id: int):
    return _render_trade(request, _trade_or_404(trade_id, request.user))


@staff_only
@require_POST
def desk_trade_act(request, trade_id: int):
    """Proxy rate, cancel with refund, resolve the problem report: as the operator, through
    the trade service (logged with the staff member as the event's user)."""
    trade = _trade_or_404(trade_id, request.user)
    form = TradeActionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in DESK_ACTIONS:
        return _render_trade(request, trade, status=400, error=_("Please check the form."))
    data = form.cleaned_data
    try:
        trade_act(
            trade_id=trade.pk,
            user=request.user,
            action=data["action"],
            actor="operator",
            reason=data["text"] if data["action"] == "cancel" else "",
            text=data["text"] if data["action"] != "cancel" else "",
            refund=(data["refund"] or 0) if data["action"] == "resolve_problem" else 0,
            idempotency_key=data["idempotency_key"] or None,
        )
    except FurimaError as error:
        message = ERROR_MESSAGES.get(error.code, error.detail)
        trade = _trade_or_404(trade_id, request.user)
        return _render_trade(request, trade, status=http_status(error.code), error=message)
    messages.success(request, _("Done."))
    return redirect("support:trade", trade.pk)


@staff_only
@require_POST
def desk_trade_address(request, trade_id: int):
    """Show the trade's shipping address to this staff member — logged first (who, when,
    which trade, why). A POST, so no link preview or prefetch can log a look nobody took;
    the page is rendered, not redirected to, so the address is never in a URL or a cache."""
    trade = _trade_or_404(trade_id, request.user)
    try:
        ship_to = trade_address_reveal(
            trade=trade, staff=request.user, reason=request.POST.get("reason", "")
        )
    except FurimaError as error:
        return _render_trade(request, trade, status=http_status(error.code), error=error.detail)
    if ship_to is None:
        return _render_trade(request, trade, error=_("This trade has no shipping address."))
    response = _render_trade(request, trade, ship_to=ship_to)
    response["Cache-Control"] = "no-store"
    return response


ADDRESS_LOG_PAGE = 50


@staff_only
def desk_address_log(request):
    """Every look staff took at a trade's address, newest first (paged by cursor)."""
    try:
        page = keyset_page(
            address_accesses(),
            ordering=("-at", "-id"),
            limit=ADDRESS_LOG_PAGE,
            cursor=request.GET.get("cursor"),
        )
    except BadCursor:
        raise Http404 from None
    return render(
        request,
        "support/address_log.html",
        {"accesses": page.items, "next_query": next_page_query(request.GET, page.next_cursor)},
    )


@staff_only
@require_POST
def desk_trade_message(request, trade_id: int):
    trade = _trade_or_404(trade_id, request.user)
    form = StaffMessageForm(request.POST)
    if not form.is_valid():
        return _render_trade(request, trade, status=400, message_form=form)
    try:
        trade_staff_message(
            trade_id=trade.pk,
            user=request.user,
            to=form.cleaned_data["to"],
            text=form.cleaned_data["text"],
        )
    except FurimaError as error:
        return _render_trade(request, trade, status=400, error=error.detail, message_form=form)
    messages.success(request, _("Message sent."))
    return redirect("support:trade", trade.pk)


@staff_only
@require_POST
def desk_timer_retry(request, trade_id: int):
    """Try a failing timer again now (at the worker's next sweep) instead of after its
    backoff: for when the cause has been fixed. Logged with the staff member's name."""
    trade = _trade_or_404(trade_id, request.user)
    try:
        trade_timer_retry(trade_id=trade.pk, user=request.user)
    except FurimaError as error:
        message = ERROR_MESSAGES.get(error.code, error.detail)
        if error.code == "conflict":
            message = _("This trade has no failing timer to retry.")
        return _render_trade(request, trade, status=http_status(error.code), error=message)
    messages.success(request, _("The timer will be tried again at the worker's next sweep."))
    if request.POST.get("back") == "desk":
        return redirect("support:desk")
    return redirect("support:trade", trade.pk)


def _inquiry_or_404(inquiry_id, user):
    try:
        return inquiry_get(inquiry_id=inquiry_id, user=user)
    except NotFound:
        raise Http404 from None


@staff_only
def desk_inquiry(request, inquiry_id: int, form: ReplyForm | None = None, status: int = 200):
    inquiry = _inquiry_or_404(inquiry_id, request.user)
    if form is None:
        template = reply_template_get(request.GET.get("template", ""))
        text = ""
        if template is not None:
            values = reply_values(staff=request.user, inquiry=inquiry)
            text = template.fill(values, inquiry.language)
        form = ReplyForm(initial={"body": text})
    return render(
        request,
        "support/desk_inquiry.html",
        {
            "inquiry": inquiry,
            "form": form,
            "templates": [(t.id, t.title(_language())) for t in reply_templates()],
        },
        status=status,
    )


@staff_only
@require_POST
def desk_inquiry_reply(request, inquiry_id: int):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return desk_inquiry(request, inquiry_id, form=form, status=400)
    try:
        inquiry_reply(inquiry_id=inquiry_id, user=request.user, body=form.cleaned_data["body"])
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        messages.error(request, ERROR_MESSAGES.get(error.code, error.detail))
        return desk_inquiry(request, inquiry_id, form=form, status=http_status(error.code))
    messages.success(request, _("Answer sent."))
    return redirect("support:inquiry", inquiry_id)


@staff_only
@require_POST
def desk_inquiry_status(request, inquiry_id: int):
    status = request.POST.get("status", "")
    if status not in (Status.IN_PROGRESS, Status.CLOSED):
        return desk_inquiry(request, inquiry_id, status=400)
    try:
        inquiry_set_status(inquiry_id=inquiry_id, user=request.user, status=status)
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        messages.error(request, ERROR_MESSAGES.get(error.code, error.detail))
        return desk_inquiry(request, inquiry_id, status=http_status(error.code))
    return redirect("support:inquiry", inquiry_id)


@staff_only
def simulation(request):
    """GET with the form's fields runs the comparison (a read: nothing is stored)."""
    form = SimulationForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = policy_comparison(
            policy_keys=[data["policy_a"], data["policy_b"]],
            trades=data["trades"],
            seed=data["seed"],
        )
    status = 400 if form.errors else 200
    return render(
        request, "support/simulation.html", {"form": form, "result": result}, status=status
    )
