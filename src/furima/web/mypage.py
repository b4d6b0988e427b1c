"""The pages that show an account together with its trades: the public profile (ratings
received, items on sale) and マイページ (my trades on both sides with what happens next,
sales balance and statement, notifications). They read every app, so they live in the web
layer rather than in `accounts`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from furima.accounts.models import User
from furima.accounts.selectors import profile_get
from furima.formats import when
from furima.ledger.selectors import sales_balance, sales_statement
from furima.market.selectors import listings_of
from furima.notify.selectors import inbox_page
from furima.pagination import BadCursor, keyset_page, next_page_query
from furima.payouts.forms import PayoutRequestForm
from furima.payouts.selectors import bank_account_of, payout_available, payouts_of
from furima.trades.models import Role
from furima.trades.selectors import rating_counts, trade_deadlines, trades_for_user
from furima.trades.wording import next_step

MYPAGE_TRADES = 50
MYPAGE_NOTIFICATIONS = 20
MYPAGE_STATEMENT = 50
MYPAGE_PAYOUTS = 10


def profile(request, username: str):
    user = get_object_or_404(User, username=username, is_active=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "profile": profile_get(user=user),
            "counts": rating_counts(user=user),
            "listings": listings_of(seller=user).filter(status="on_sale")[:12],
        },
    )


def _next_step(trade, party: str) -> str:
    """What happens next for this side, as a sentence with its date."""
    return next_step(state=trade.state, found=trade_deadlines(trade=trade), party=party, when=when)


def _trade_page(request, role: Role):
    """One page of the user's trades on one side; each side pages on its own cursor
    (`?buying=` / `?selling=`), so paging one list keeps the other where it was."""
    param = "buying" if role == Role.BUYER else "selling"
    try:
        page = keyset_page(
            trades_for_user(user=request.user, role=role, with_ratings=True),
            ordering=("-purchased_at", "-id"),
            limit=MYPAGE_TRADES,
            cursor=request.GET.get(param),
        )
    except BadCursor:
        raise Http404 from None
    rows = [(trade, _next_step(trade, role.value)) for trade in page.items]
    return rows, next_page_query(request.GET, page.next_cursor, param=param)


def _inbox_page(request):
    """The inbox: trade steps and every other in-app notice, newest first, paged on its own
    cursor (`?inbox=`)."""
    try:
        page = inbox_page(
            user=request.user, limit=MYPAGE_NOTIFICATIONS, cursor=request.GET.get("inbox")
        )
    except BadCursor:
        raise Http404 from None
    return page.lines, next_page_query(request.GET, page.next_cursor, param="inbox")


def _on_sale_page(request):
    """The user's items on sale, newest first, paged on their own cursor (`?on_sale=`)."""
    try:
        page = keyset_page(
            listings_of(seller=request.user).filter(status="on_sale"),
            ordering=("-created_at", "-id"),
            limit=MYPAGE_TRADES,
            cursor=request.GET.get("on_sale"),
        )
    except BadCursor:
        raise Http404 from None
    return page.items, next_page_query(request.GET, page.next_cursor, param="on_sale")


@login_required
def mypage(request, *, payout_form=None, status: int = 200):
    """マイページ. `payout_form` and `status`: the payout request form sent back with what
    was wrong with it (`furima.payouts.views`)."""
    user = request.user
    buying, buying_next = _trade_page(request, Role.BUYER)
    selling, selling_next = _trade_page(request, Role.SELLER)
    on_sale, on_sale_next = _on_sale_page(request)
    inbox, inbox_next = _inbox_page(request)
    return render(
        request,
        "accounts/mypage.html",
        {
            "buying": buying,
            "buying_next": buying_next,
            "selling": selling,
            "selling_next": selling_next,
            "on_sale": on_sale,
            "on_sale_next": on_sale_next,
            "balance": sales_balance(user=user),
            "statement": sales_statement(user=user, limit=MYPAGE_STATEMENT),
            "payout": payout_available(user=user),
            "bank": bank_account_of(user=user),
            "payouts": payouts_of(user=user)[:MYPAGE_PAYOUTS],
            "payout_form": payout_form or PayoutRequestForm.fresh(),
            "counts": rating_counts(user=user),
            "inbox": inbox,
            "inbox_next": inbox_next,
        },
        status=status,
    )
