"""Sign-up, public profiles, profile edit, API tokens and マイページ (my trades, sales
balance, notifications). Password change and reset are Django's own views (see urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from furima import clock
from furima.accounts.forms import ApiTokenForm, ProfileForm, SignupForm
from furima.accounts.models import User
from furima.accounts.selectors import (
    TOKEN_STATUS_LABELS,
    api_token_status,
    api_tokens_of,
    profile_get,
    rating_counts,
)
from furima.accounts.services import (
    api_token_create,
    api_token_revoke,
    profile_update,
    user_create,
)
from furima.errors import FurimaError
from furima.ledger.selectors import sales_balance, sales_statement
from furima.market.selectors import listings_of
from furima.notify.selectors import inbox_lines
from furima.pagination import BadCursor, keyset_page, next_page_query
from furima.trades.models import Role
from furima.trades.selectors import trade_deadlines, trades_for_user
from furima.trades.wording import next_step
from furima.web.templatetags.furima_format import when

MYPAGE_TRADES = 50
MYPAGE_NOTIFICATIONS = 20
MYPAGE_STATEMENT = 50


def signup(request):
    if request.user.is_authenticated:
        return redirect("mypage")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
            )
        except FurimaError as error:  # what the form could not see (a race on the address)
            form.add_error(None, error.detail)
        else:
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


def _next_step(trade, party: str) -> str:
    """What happens next for this side, as a sentence with its date."""
    return next_step(state=trade.state, found=trade_deadlines(trade=trade), party=party, when=when)


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
    rows = [(trade, _next_step(trade, role.value)) for trade in page.items]
    return rows, next_page_query(request.GET, page.next_cursor, param=param)


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
def mypage(request):
    user = request.user
    buying, buying_next = _trade_page(request, Role.BUYER)
    selling, selling_next = _trade_page(request, Role.SELLER)
    on_sale, on_sale_next = _on_sale_page(request)
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
            "counts": rating_counts(user=user),
            "inbox": inbox_lines(user=user, limit=MYPAGE_NOTIFICATIONS),
        },
    )


@login_required
def profile_edit(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"display_name": user.display_name, "bio": profile_get(user=user).bio},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                user=user,
                bio=form.cleaned_data["bio"],
                display_name=form.cleaned_data["display_name"],
            )
        except FurimaError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:profile", username=user.username)
    return render(
        request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache  # the response may carry a new token: no cache may keep it
@login_required
def api_tokens(request):
    """The user's API tokens: make one (shown once, on this response only), see when each
    was last used, revoke them."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = ApiTokenForm()
    now = clock.now()
    rows = []
    for token in api_tokens_of(user=request.user):
        status = api_token_status(token, now=now)
        rows.append({"token": token, "status": status, "status_label": TOKEN_STATUS_LABELS[status]})
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": rows, "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def api_token_revoke_view(request, token_id: int):
    try:
        api_token_revoke(token_id=token_id, user=request.user)
    except FurimaError as error:
        raise Http404(error.detail) from None
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")
