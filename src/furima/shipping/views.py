"""The address book pages under マイページ (/accounts/addresses/): list, add, edit, delete.
Each view parses, calls one service or selector, and renders. `?next=` (a path on this
site) brings the buyer back to the purchase step after adding an address there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from furima.errors import FurimaError, NotFound
from furima.shipping.forms import FIELD_MESSAGES, AddressForm
from furima.shipping.selectors import address_get, addresses_of
from furima.shipping.services import address_create, address_delete, address_update
from furima.shipping.validation import AddressInvalid

ADDRESS_FIELDS = tuple(AddressForm.base_fields)


def _next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _address_or_404(address_id, user):
    try:
        return address_get(address_id=address_id, user=user)
    except NotFound:
        raise Http404 from None


@login_required
def address_list(request):
    return render(
        request, "shipping/address_list.html", {"addresses": addresses_of(user=request.user)}
    )


def _save(request, form, address=None):
    """The saved address, or None with the service's refusal put on the form."""
    try:
        if address is None:
            return address_create(user=request.user, **form.cleaned_data)
        return address_update(address_id=address.pk, user=request.user, **form.cleaned_data)
    except AddressInvalid as error:
        form.add_error(error.field, FIELD_MESSAGES.get(error.field, error.detail))
    except FurimaError as error:
        if error.code == "conflict":
            form.add_error(None, _("Your address book is full: delete an address first."))
        else:
            form.add_error(None, error.detail)
    return None


def _form_page(request, form, address=None):
    context = {"form": form, "address": address, "next": _next(request)}
    status = 400 if form.errors else 200
    return render(request, "shipping/address_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def address_new(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form) is not None:
        messages.success(request, _("The address was added."))
        return redirect(_next(request) or "shipping:addresses")
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request, address_id: int):
    address = _address_or_404(address_id, request.user)
    initial = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    initial["postal_code"] = address.postal_code_display.removeprefix("〒")
    form = AddressForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, address):
        messages.success(
            request,
            _("The address was saved. Items already bought still go to the address chosen then."),
        )
        return redirect(_next(request) or "shipping:addresses")
    return _form_page(request, form, address)


@login_required
@require_POST
def address_delete_view(request, address_id: int):
    try:
        address_delete(address_id=address_id, user=request.user)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The address was deleted."))
    return redirect("shipping:addresses")
