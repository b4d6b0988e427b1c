"""Sign-up, profile edit and API tokens: pages about the account alone. Password change and
reset are Django's own views (`web/account_urls.py`); the public profile and マイページ, which
show trades, sales and notifications too, are the web layer's (`web/mypage.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from furima import clock
from furima.accounts.forms import ApiTokenForm, ProfileForm, SignupForm
from furima.accounts.selectors import (
    TOKEN_STATUS_LABELS,
    api_token_status,
    api_tokens_of,
    profile_get,
)
from furima.accounts.services import (
    api_token_create,
    api_token_revoke,
    profile_update,
    user_create,
)
from furima.errors import FurimaError


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
