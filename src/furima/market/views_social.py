"""Questions and answers (コメント) and likes (いいね) on the item page, and the liked items.

Every action is a plain form post that redirects back to the item; with htmx the same view
answers with the part of the page it changed (`market/_comments.html`,
`market/_like.html`), the same markup a full reload shows there. A refusal answers with its
HTTP status and a `role="alert"` message, with or without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from furima.errors import FurimaError, NotFound
from furima.market.models import MAX_COMMENT_LENGTH, ListingStatus
from furima.market.selectors import listing_get
from furima.market.selectors_social import (
    LIKED_ORDERING,
    comments_of,
    liked_by,
    likes_of,
)
from furima.market.services_social import comment_delete, comment_post, like_set, like_unset
from furima.pagination import BadCursor, keyset_page, next_page_query

COMMENTS_PER_PAGE = 50
LIKED_PER_PAGE = 24
COMMENTS_CURSOR = "comments"

ERROR_MESSAGES = {
    "not_allowed_in_state": gettext_lazy(
        "This item is no longer on sale: its questions are closed."
    ),
    "rate_limited": gettext_lazy("You have posted many comments just now. Please wait a little."),
    "forbidden_actor": gettext_lazy("You cannot do that here."),
    "invalid_input": gettext_lazy("Write your comment (at most %(limit)s characters)."),
}


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Question or comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


def _listing_or_404(listing_id: int):
    try:
        return listing_get(listing_id=listing_id)
    except NotFound:
        raise Http404 from None


def listing_talk(request, listing) -> dict:
    """What the item page shows of its questions and likes: the newest page of comments
    (oldest first within it; `?comments=` leads to older ones), the comment form and the
    like button's state."""
    try:
        page = keyset_page(
            comments_of(listing_id=listing.pk),
            ordering=("-created_at", "-id"),
            limit=COMMENTS_PER_PAGE,
            cursor=request.GET.get(COMMENTS_CURSOR),
        )
    except BadCursor:
        raise Http404 from None
    user = request.user
    return {
        "comments": list(reversed(page.items)),
        "older_comments_query": next_page_query(
            request.GET, page.next_cursor, param=COMMENTS_CURSOR
        ),
        "comment_form": CommentForm(),
        "comments_open": listing.status == ListingStatus.ON_SALE,
        "liked": liked_by(user=user, listing_id=listing.pk),
        "is_seller": user.is_authenticated and user.pk == listing.seller_id,
    }


def item_page_context(request, listing) -> dict:
    """Everything the item page (`market/detail.html`) shows: the listing, its trade (for
    the buyer's and seller's link once sold), questions and likes."""
    sold = listing.status == ListingStatus.SOLD
    trade = getattr(listing, "trade", None) if sold else None
    return {"listing": listing, "trade": trade, **listing_talk(request, listing)}


def _message(error: FurimaError) -> str:
    message = ERROR_MESSAGES.get(error.code)
    if message is None:
        return error.detail
    return str(message) % {"limit": MAX_COMMENT_LENGTH}


def _answer_comments(request, listing_id: int, *, error=None, form=None, status=200, posted=False):
    listing = _listing_or_404(listing_id)
    context = item_page_context(request, listing)
    if form is not None:
        context["comment_form"] = form
    context.update(comment_error=error, comment_posted=posted)
    if request.htmx:
        return render(request, "market/_comments.html", context, status=status)
    return render(request, "market/detail.html", context, status=status)


@login_required
@require_POST
def comment_new(request, listing_id: int):
    form = CommentForm(request.POST)
    if not form.is_valid():
        error = str(ERROR_MESSAGES["invalid_input"]) % {"limit": MAX_COMMENT_LENGTH}
        return _answer_comments(request, listing_id, error=error, form=form, status=400)
    try:
        comment = comment_post(
            listing_id=listing_id,
            user=request.user,
            body=form.cleaned_data["body"],
            idempotency_key=form.cleaned_data["idempotency_key"] or None,
        )
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        return _answer_comments(
            request, listing_id, error=_message(error), form=form, status=error.http_status
        )
    if request.htmx:
        return _answer_comments(request, listing_id, posted=True)
    messages.success(request, _("Your comment was posted."))
    return redirect(reverse("market:detail", args=[listing_id]) + f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_remove(request, listing_id: int, comment_id: int):
    try:
        comment_delete(comment_id=comment_id, user=request.user, listing_id=listing_id)
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        status = error.http_status
        return _answer_comments(request, listing_id, error=_message(error), status=status)
    if request.htmx:
        return _answer_comments(request, listing_id)
    messages.success(request, _("The comment was deleted."))
    return redirect(reverse("market:detail", args=[listing_id]) + "#comments")


@login_required
@require_POST
def like(request, listing_id: int):
    """`liked=1` likes the item, `liked=0` takes the like back: the form says which, so a
    double submit cannot flip it twice."""
    wanted = request.POST.get("liked") == "1"
    error = None
    status = 200
    try:
        if wanted:
            like_set(listing_id=listing_id, user=request.user)
        else:
            like_unset(listing_id=listing_id, user=request.user)
    except NotFound:
        raise Http404 from None
    except FurimaError as refused:
        error, status = _message(refused), refused.http_status
    listing = _listing_or_404(listing_id)
    if request.htmx:
        context = {
            "listing": listing,
            "liked": liked_by(user=request.user, listing_id=listing_id),
            "is_seller": request.user.pk == listing.seller_id,
            "like_error": error,
        }
        return render(request, "market/_like.html", context, status=status)
    if error is not None:
        messages.error(request, error)
    return redirect("market:detail", listing_id)


@login_required
def liked_list(request):
    """The items the user liked, newest like first (いいね！した商品)."""
    try:
        page = keyset_page(
            likes_of(user=request.user),
            ordering=LIKED_ORDERING,
            limit=LIKED_PER_PAGE,
            cursor=request.GET.get("cursor"),
        )
    except BadCursor:
        raise Http404 from None
    context = {
        "listings": [like.listing for like in page.items],
        "next_query": next_page_query(request.GET, page.next_cursor),
    }
    return render(request, "market/liked.html", context)
