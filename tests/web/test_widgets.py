"""furima renders select widgets with its own copy of Django's select.html (options inline,
no include per option: the search page's filters were a third of its rendering time). The
copy must write exactly what Django's own templates write, for every select furima has."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from furima.accounts.forms import ApiTokenForm
from furima.market.forms import ListingForm, SearchForm
from furima.notify.forms import PreferencesForm
from furima.payouts.forms import BankAccountForm
from furima.shipping.forms import AddressForm
from furima.support.forms import InquiryForm, SimulationForm
from furima.trades.forms import ActionForm

FORMS = {
    "search-chosen": lambda **kw: SearchForm(
        {"category": "", "condition": "like_new", "sort": "price_asc"}, **kw
    ),
    "search-empty": lambda **kw: SearchForm({}, **kw),
    "listing": lambda **kw: ListingForm(**kw),
    "inquiry": lambda **kw: InquiryForm(**kw),
    "simulation": lambda **kw: SimulationForm(**kw),
    "address": lambda **kw: AddressForm({"prefecture": "13"}, **kw),
    "bank-account": lambda **kw: BankAccountForm(**kw),
    "preferences": lambda **kw: PreferencesForm(**kw),
    "api-token": lambda **kw: ApiTokenForm(**kw),
    "trade-action": lambda **kw: ActionForm({"action": "rate", "rating": "good"}, **kw),
}


def select_html(form: forms.Form) -> list[str]:
    return [str(field) for field in form if isinstance(field.field.widget, forms.Select)]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("make", FORMS.values(), ids=FORMS.keys())
def test_every_select_renders_as_djangos_own_templates_render_it(db, language, make):
    with translation.override(language):
        ours = select_html(make())
        djangos = select_html(make(renderer=DjangoTemplates()))

    assert ours and all("<option" in html for html in ours)
    assert ours == djangos
