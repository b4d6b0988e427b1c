from django import forms
from django.utils.translation import gettext_lazy as _

from furima.process.registry import default_registry
from furima.support.models import Category
from furima.support.services import BODY_MAX, SUBJECT_MAX

MAX_SIMULATED_TRADES = 10_000
TRADES_IN_PICKER = 50


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


class InquiryForm(forms.Form):
    """The inquiry form: the trade picker lists the signed-in person's trades; someone not
    signed in gives an e-mail address instead."""

    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    trade = forms.TypedChoiceField(
        label=_("Which trade?"), coerce=int, required=False, empty_value=None
    )
    email = forms.EmailField(label=_("Your e-mail address"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Tell us what happened"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, user=None, trades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = user is not None and user.is_authenticated
        if self.signed_in:
            del self.fields["email"]
            self.fields["trade"].choices = [("", _("Not about one trade"))] + [
                (t.pk, f"#{t.pk} {t.listing.title}") for t in trades
            ]
        else:
            del self.fields["trade"]
            self.fields["email"].required = True


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class StaffMessageForm(forms.Form):
    to = forms.ChoiceField(
        label=_("To"),
        choices=[("both", _("Buyer and seller")), ("buyer", _("Buyer")), ("seller", _("Seller"))],
    )
    text = forms.CharField(
        label=_("Message"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class TradeActionForm(forms.Form):
    action = forms.CharField(max_length=24)
    text = forms.CharField(required=False, max_length=2000)
    # resolve_problem on a claim after the payout (furima@2): yen back to the buyer.
    refund = forms.IntegerField(required=False, min_value=0)
    idempotency_key = forms.CharField(required=False, max_length=200)
