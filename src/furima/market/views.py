"""Browse, search, see, list (出品) and edit items; buying one is `trades/views_purchase.py`.
Each view parses, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from furima.errors import FurimaError, NotFound
from furima.market.catalog import FeePreview, fee_preview
from furima.market.forms import ListingForm, PhotoRemovalForm, SearchForm
from furima.market.models import MAX_PRICE, MIN_PRICE
from furima.market.photos import (
    listing_create_with_photos,
    listing_photo_make_cover,
    listing_update_with_photos,
)
from furima.market.search import ListingSearch, listings_search
from furima.market.selectors import listing_get
from furima.market.views_social import item_page_context
from furima.pagination import BadCursor, keyset_page, next_page_query

PAGE_SIZE = 24


def _listing_or_404(listing_id: int):
    try:
        return listing_get(listing_id=listing_id)
    except NotFound:
        raise Http404 from None


def browse(request):
    """The search page: keyword, filters, sort; paged by the same cursor as the API."""
    form = SearchForm(request.GET)
    search = form.search()
    try:
        page = keyset_page(
            listings_search(search),
            ordering=search.ordering,
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor"),
        )
    except BadCursor:
        raise Http404 from None
    context = {
        "form": form,
        "listings": page.items,
        "query": search.query,
        "filtered": search != ListingSearch(query=search.query),
        "next_query": next_page_query(request.GET, page.next_cursor),
    }
    return render(request, "market/browse.html", context)


def detail(request, listing_id: int):
    listing = _listing_or_404(listing_id)
    return render(request, "market/detail.html", item_page_context(request, listing))


PHOTO_ERRORS = ("invalid_image", "image_too_large", "too_many_photos")


def _save_listing(request, form, listing=None, remove_photos=()):
    data = dict(form.cleaned_data)
    photos = data.pop("photos")
    try:
        if listing is None:
            return listing_create_with_photos(seller=request.user, photos=photos, **data)
        return listing_update_with_photos(
            listing_id=listing.pk,
            user=request.user,
            add_photos=photos,
            remove_photos=remove_photos,
            **data,
        )
    except FurimaError as error:
        form.add_error("photos" if error.code in PHOTO_ERRORS else None, error.detail)
        return None


def _fee_of(price) -> FeePreview | None:
    try:
        price = int(price)
    except (TypeError, ValueError):
        return None
    return fee_preview(price) if MIN_PRICE <= price <= MAX_PRICE else None


def fee(request):
    """The fee and profit for `?price=`: the 出品 form's live preview (an htmx partial)."""
    return render(request, "market/_fee_preview.html", {"fee": _fee_of(request.GET.get("price"))})


def _form_page(request, form, context):
    context = {**context, "form": form, "fee": _fee_of(form["price"].value())}
    status = 400 if form.errors else 200
    return render(request, "market/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        listing = _save_listing(request, form)
        if listing is not None:
            messages.success(request, _("Your item is on sale."))
            return redirect("market:detail", listing.pk)
    return _form_page(request, form, {"creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, listing_id: int):
    listing = _listing_or_404(listing_id)
    if listing.seller_id != request.user.pk:
        raise Http404
    initial = {f: getattr(listing, f) for f in ListingForm.base_fields if f != "photos"}
    form = ListingForm(request.POST or None, request.FILES or None, initial=initial)
    removal = PhotoRemovalForm(request.POST or None, photos=listing.photos.all())
    saved = (
        request.method == "POST"
        and form.is_valid()
        and removal.is_valid()
        and _save_listing(request, form, listing, removal.cleaned_data["remove_photos"])
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("market:detail", listing.pk)
    if removal.errors:
        form.add_error(None, _("Choose photos of this item to remove."))
    return _form_page(request, form, {"listing": listing, "creating": False})


@login_required
@require_POST
def photo_cover(request, listing_id: int, photo_id: int):
    """ "Make this the cover" on the edit page: a button of the edit form posting here (the
    rest of the form is not saved by it)."""
    try:
        listing_photo_make_cover(listing_id=listing_id, user=request.user, photo_id=photo_id)
    except NotFound:
        raise Http404 from None
    except FurimaError as error:
        if error.code == "forbidden_actor":
            raise Http404 from None  # someone else's item: as if it were not there
        messages.error(request, error.detail)
        return redirect("market:detail", listing_id)
    messages.success(request, _("The cover photo is changed."))
    return redirect("market:edit", listing_id)
