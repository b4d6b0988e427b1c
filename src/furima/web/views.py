"""Pages that belong to no single app: the home page and the demo clock control."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.errors import FurimaError
from furima.market.selectors import listings_on_sale
from furima.process.policy import UnknownPolicy
from furima.process.registry import default_registry
from furima.trades.services import clock_shift_forward

HOME_LISTINGS = 12
CLOCK_STEPS = {"1": timedelta(days=1), "7": timedelta(days=7)}


def home(request):
    return render(request, "web/home.html", {"listings": listings_on_sale()[:HOME_LISTINGS]})


@require_POST
@staff_member_required
def demo_clock_forward(request):
    """Demo mode: jump every process's clock forward, so visitors see the deadlines fire."""
    step = CLOCK_STEPS.get(request.POST.get("days", ""))
    if step is None:
        messages.error(request, _("Choose +1 day or +7 days."))
    else:
        try:
            clock_shift_forward(by=step)
            messages.success(
                request, _("The clock moved forward %(days)d day(s).") % {"days": step.days}
            )
        except FurimaError as error:
            messages.error(request, error.detail)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def policy_page(request, policy_id: str):
    """A policy's rules in plain words, linked from every trade screen that runs under it."""
    registry = default_registry()
    try:
        policy = registry.get(policy_id)
    except UnknownPolicy:
        raise Http404 from None
    return render(
        request,
        "web/policy.html",
        {"policy": policy, "others": [p for p in registry.latest() if p.id != policy.id]},
    )
