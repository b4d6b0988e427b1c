"""Sign-up, public profiles and マイページ (my trades, sales balance, notifications)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from furima.accounts.forms import SignupForm
from furima.accounts.models import User
from furima.accounts.selectors import profile_get, rating_counts
from furima.accounts.services import user_create
from furima.ledger.selectors import sales_balance
from furima.market.selectors import listings_of
from furima.pagination import BadCursor, keyset_page, next_page_query
from furima.trades.models import Role
from furima.trades.selectors import notifications_for_user, trade_deadlines, trades_for_user

MYPAGE_TRADES = 50
MYPAGE_NOTIFICATIONS = 20


def signup(request):
    if request.user.is_authenticated:
        return redirect("mypage")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to furima!"))
        return redirect("mypage")
    return render(
        request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200
    )


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


def _trade_page(request, role: Role):
    """One page of the user's trades on one side; each side pages on its own cursor
    (`?buying=` / `?selling=`), so paging one list keeps the other where it was."""
    param = "buying" if role == Role.BUYER else "selling"
    try:
        page = keyset_page(
            trades_for_user(user=request.user, role=role),
            ordering=("-purchased_at", "-id"),
            limit=MYPAGE_TRADES,
            cursor=request.GET.get(param),
        )
    except BadCursor:
        raise Http404 from None
    rows = [(trade, trade_deadlines(trade=trade).next_timer) for trade in page.items]
    return rows, next_page_query(request.GET, page.next_cursor, param=param)


@login_required
def mypage(request):
    user = request.user
    buying, buying_next = _trade_page(request, Role.BUYER)
    selling, selling_next = _trade_page(request, Role.SELLER)
    return render(
        request,
        "accounts/mypage.html",
        {
            "buying": buying,
            "buying_next": buying_next,
            "selling": selling,
            "selling_next": selling_next,
            "balance": sales_balance(user=user),
            "counts": rating_counts(user=user),
            "notifications": notifications_for_user(user=user, limit=MYPAGE_NOTIFICATIONS),
        },
    )
