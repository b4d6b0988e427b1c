"""The purchase (購入): the confirmation step that shows an item's terms and the buyer's
addresses, and the post that buys it and starts the trade."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from furima.errors import FurimaError, NotFound
from furima.market.selectors import listing_get
from furima.shipping.selectors import addresses_of
from furima.trades.forms import PurchaseForm
from furima.trades.purchase import listing_purchase


def _listing_or_404(listing_id: int):
    try:
        return listing_get(listing_id=listing_id)
    except NotFound:
        raise Http404 from None


def _buy_page(request, listing, *, status=200, **context):
    """The confirmation step: the item, its terms, and the buyer's addresses to choose from
    (the newest first, chosen unless the buyer chose another)."""
    addresses = list(addresses_of(user=request.user))
    chosen = context.pop("chosen", None) or (addresses[0].pk if addresses else None)
    context = {"listing": listing, "addresses": addresses, "chosen": chosen, **context}
    return render(request, "trades/buy.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def buy(request, listing_id: int):
    """GET shows the confirmation step; POST buys at what that step showed, shipped to the
    address chosen there.

    If the seller changed the price or shipping terms (payer, method, ship-within) in
    between, nothing is bought: the step is shown again (409) with the new terms and a notice
    saying what changed."""
    listing = _listing_or_404(listing_id)
    if request.method != "POST":
        return _buy_page(request, listing)
    form = PurchaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please open the item again and confirm its price."))
        return _buy_page(request, listing, status=400)
    shown = form.cleaned_data
    if shown["address"] is None:
        messages.error(request, _("Choose where the item should be shipped."))
        return _buy_page(request, listing, status=400)
    try:
        trade = listing_purchase(
            listing_id=listing.pk,
            buyer=request.user,
            expected_price=shown["expected_price"],
            shipping_payer=shown["shipping_payer"],
            ship_within=shown["ship_within"],
            shipping_method=shown["shipping_method"],
            address_id=shown["address"],
            require_address=True,
            idempotency_key=shown["idempotency_key"] or None,
        )
    except FurimaError as error:
        context = {"shown": shown, "chosen": shown["address"]}
        if error.code == "price_changed":
            context["changed"] = True
        elif error.code == "not_found":  # the listing exists (above): the address does not
            messages.error(request, _("Choose one of your addresses."))
        else:
            messages.error(request, error.detail)
        listing = _listing_or_404(listing_id)
        return _buy_page(request, listing, status=error.http_status, **context)
    messages.success(request, _("Thank you for your purchase. Wait for the seller to ship."))
    return redirect("trades:detail", trade.pk)
