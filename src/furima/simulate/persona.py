"""One simulated trade's people, drawn before the trade starts.

A persona says what the buyer, the seller, the carrier and the support desk *would* do and
when, relative to the moment that triggers it (purchase, shipping notice, receipt, …). The
engine then decides what actually happens: a buyer who would rate on day 9 never gets to if
the automatic evaluation came on day 7.

``draw_persona`` always consumes the same number of random numbers, so the i-th persona of
a seed is the same whatever the policy: policies are compared on identical trades.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from furima.simulate.behaviour import Behaviour
from furima.simulate.distributions import MINUTES_PER_DAY, nth_trial_sample

_ONE_MINUTE = timedelta(minutes=1)


@dataclass(slots=True)
class Persona:
    """Minutes are counted from the anchor each field names; None means "never".

    Not frozen only because a frozen dataclass is slow to build, and one is built per trade;
    nothing changes a persona once drawn."""

    cohort: int
    price: int
    ship_within: str
    purchased_at: datetime
    ship_after_purchase: int | None
    transit: int  # shipping notice → the buyer has the parcel
    tracked: bool  # the carrier confirms the delivery to the engine (`deliver`)
    rate_after_receipt: int | None  # the buyer rates by themselves
    message_after_shipping: int | None
    problem_after_receipt: int | None  # a buyer with a problem reports instead of rating
    rates_after_reminder: int | None  # the n-th reminder received makes the buyer rate …
    reminder_response: int  # … this many minutes later
    cancel_after_ship_by: int  # an unshipped trade: the buyer cancels (or asks support)
    first_reminder_after_shipping: int | None  # None: this seller never reminds
    reminder_every: int
    max_reminders: int
    ask_after_allowed: int | None  # the seller asks the operator once allowed
    seller_rates_after_evaluation: int | None
    request_review_after: int  # the operator reviews an open request …
    problem_review_after: int  # … and a problem report
    problem_refunded: bool
    checks_on_reminder: bool  # a buyer with an unnoticed problem checks on the last reminder
    refund_share: float  # a refunded claim pays back this share of the price (1.0: in full)
    withdrawn_before_claim: bool  # the seller's balance no longer holds this trade's money


def draw_persona(rng: Random, behaviour: Behaviour) -> Persona:
    # Every value is drawn from the generator's `random` method, read once (see
    # distributions.Uniform); `random() < p` is `happens(rng, p)` written out: one random
    # number either way, and a million personas make the call itself a cost worth saving.
    random = rng.random
    cohort = behaviour.cohort_choice.sample(random)
    habits = behaviour.cohorts[cohort]
    seller, buyer, carrier, operator = (
        habits.seller,
        habits.buyer,
        habits.carrier,
        behaviour.operator,
    )
    price = behaviour.prices.sample(random)
    ship_within = behaviour.ship_within.sample(random)
    window = behaviour.purchase_window_days * MINUTES_PER_DAY
    purchased_at = behaviour.epoch + _ONE_MINUTE * int(random() * window)

    # A delay the persona will not use (the buyer never writes, the seller never reminds) is
    # skipped rather than drawn: its random numbers are used up all the same (`Delay.skip`).
    never_ships = random() < seller["never_ships_probability"]
    delay = seller["shipping_delay_hours"]
    ship_after_purchase = delay.skip(random) if never_ships else delay.sample(random)
    transit = carrier["transit_hours"].sample(random)
    tracked = random() < carrier["tracked_share"]

    rate_after = buyer["rates_on_day"].sample(random)
    messages = random() < buyer["message_probability"]
    delay = buyer["message_after_hours"]
    message_after_shipping = delay.sample(random) if messages else delay.skip(random)
    has_problem = random() < buyer["problem_probability"]
    delay = buyer["problem_after_hours"]
    problem_after_receipt = delay.sample(random) if has_problem else delay.skip(random)
    nth_reminder = nth_trial_sample(random, buyer["reminder_response_probability"])
    reminder_response = buyer["reminder_response_hours"].sample(random)
    cancel_after_ship_by = buyer["cancel_after_hours"].sample(random)

    reminds = random() < seller["reminds_probability"]
    delay = seller["first_reminder_after_hours"]
    first_reminder_after_shipping = delay.sample(random) if reminds else delay.skip(random)
    asks = random() < seller["asks_operator_probability"]
    delay = seller["asks_operator_after_hours"]
    ask_after_allowed = delay.sample(random) if asks else delay.skip(random)
    never_rates = random() < seller["never_rates_probability"]
    delay = seller["rating_delay_hours"]
    seller_rates_after_evaluation = delay.skip(random) if never_rates else delay.sample(random)

    request_review_after = operator["review_hours"].sample(random)
    problem_review_after = operator["review_hours"].sample(random)
    problem_refunded = random() < operator["problem_refund_probability"]
    checks_on_reminder = random() < buyer["checks_on_reminder_probability"]
    partial = random() < operator["partial_refund_probability"]
    withdrawn_before_claim = random() < seller["withdrawn_before_claim_probability"]

    # Positional, in the fields' order (each variable is named after its field): Python
    # 3.11 matches 24 keyword arguments one by one, which made up a sixth of a draw.
    return Persona(
        cohort,
        price,
        ship_within,
        purchased_at,
        ship_after_purchase,
        transit,
        tracked,
        None if has_problem else rate_after,  # rate_after_receipt
        message_after_shipping,
        problem_after_receipt,
        None if has_problem else nth_reminder,  # rates_after_reminder
        reminder_response,
        cancel_after_ship_by,
        first_reminder_after_shipping,
        round(seller["reminder_every_hours"] * 60),  # reminder_every
        seller["max_reminders"],
        ask_after_allowed,
        seller_rates_after_evaluation,
        request_review_after,
        problem_review_after,
        problem_refunded,
        checks_on_reminder,
        operator["partial_refund_share"] if partial else 1.0,  # refund_share
        withdrawn_before_claim,
    )
