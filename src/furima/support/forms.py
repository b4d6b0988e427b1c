from django import forms
from django.utils.translation import gettext_lazy as _

from furima.process.registry import default_registry

MAX_SIMULATED_TRADES = 10_000


def _policy_choices():
    return [(p.key, f"{p.key} — {p.name}") for p in default_registry().all()]


class SimulationForm(forms.Form):
    # By default furima's own rules against the 2016 Rakuma rules, not a policy against itself.
    policy_a = forms.ChoiceField(label=_("Policy"), choices=_policy_choices, initial="furima@1")
    policy_b = forms.ChoiceField(
        label=_("Compared with"), choices=_policy_choices, initial="rakuma-2016@1"
    )
    trades = forms.IntegerField(
        label=_("Trades per policy"), min_value=100, max_value=MAX_SIMULATED_TRADES, initial=2000
    )
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**31, initial=2016)
