"""Policies: the rules of *when*, as versioned TOML files validated on load.

A policy says when the seller may ask the operator, when the operator or the engine rates on
the silent buyer's behalf, when reminders go out, how long the seller may take to rate, when
a buyer may cancel an unshipped trade, and what the platform's fee is. The engine knows
*what* each action does; the policy only decides *when* and *with which values*.

Every problem in a file is reported as ``FILE: KEY: REASON`` so an operator editing a policy
knows exactly what to fix.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from furima.process.model import Rating
from furima.process.when import RuleSyntaxError, TimeRule, parse_rule

if TYPE_CHECKING:  # schedule.py reads a Policy; only its type is named here
    from furima.process.schedule import Schedule

EVENT_ANCHORS = frozenset(
    {
        "purchased_at",
        "shipped_at",
        "delivered_at",
        "last_buyer_message_at",
        "operator_request_opened_at",
        "problem_reported_at",
        "problem_resolved_at",
        "cancel_requested_at",
        "buyer_rated_at",
        "last_seller_reminder_at",
    }
)
"""Anchors that are moments something happened in the trade."""

_TRADE = frozenset({"purchased_at", "shipped_at", "delivered_at", "last_buyer_message_at"})
_ALLOWED_ANCHORS: dict[str, frozenset[str]] = {
    "shipping.ship_by": frozenset({"purchased_at"}),
    "shipping.buyer_may_cancel_from": frozenset({"purchased_at", "ship_by"}),
    "shipping.auto_cancel_at": frozenset({"purchased_at", "ship_by"}),
    "operator_request.allowed_from": _TRADE,
    "proxy_rating.operator_allowed_from": _TRADE
    | {"operator_request_opened_at", "problem_reported_at"},
    "auto_evaluation.first_of": _TRADE,
    "auto_evaluation.not_before": _TRADE,
    "auto_evaluation.at_most": _TRADE,
    "auto_evaluation.after_problem_resolved": frozenset({"problem_resolved_at"}),
    "cancel_request.expires_at": frozenset({"cancel_requested_at"}),
    "reminders.automatic": _TRADE | {"auto_complete_at"},
    "reminders.seller_allowed_from": frozenset({"last_seller_reminder_at"}),
    "seller_rating.closes_at": frozenset({"buyer_rated_at"}),
    "claims.window_closes_at": frozenset({"shipped_at", "delivered_at", "buyer_rated_at"}),
    "claims.seller_rating_not_before": frozenset({"problem_resolved_at"}),
}

_RELEASE_POINTS = ("receipt_evaluation", "completion")


class PolicyError(ValueError):
    """A policy file that cannot be used, with where and why."""

    def __init__(self, source: str, key: str, reason: str) -> None:
        self.source, self.key, self.reason = source, key, reason
        super().__init__(f"{source}: {key}: {reason}")


class UnknownPolicy(LookupError):
    def __init__(self, policy_id: str, version: int | None, known: Iterable[str]) -> None:
        wanted = policy_id if version is None else f"{policy_id}@{version}"
        super().__init__(f"unknown policy {wanted!r} (known: {', '.join(sorted(known))})")


@dataclass(frozen=True, slots=True)
class RatingOnBehalf:
    rating: Rating
    comment: str


@dataclass(frozen=True, slots=True)
class AutoEvaluation:
    """The engine's own receipt evaluation for a buyer who stays silent.

    Due at the first applicable `first_of` rule, never before any `not_before` rule, never
    after `at_most`; paused while the buyer's problem report is open; and never before
    `after_problem_resolved` once a problem report was resolved — that grace beats even
    `at_most`, since the buyer needs time to act on the resolution.
    """

    first_of: tuple[TimeRule, ...]
    not_before: tuple[TimeRule, ...]
    at_most: TimeRule | None
    pause_while_problem_open: bool
    on_behalf: RatingOnBehalf
    after_problem_resolved: TimeRule | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    id: str
    version: int
    name: str
    description: str
    zone: ZoneInfo
    ratings: frozenset[Rating]
    fee_percent: int
    release_escrow_on: str
    ship_by: TimeRule
    buyer_may_cancel_from: TimeRule | None
    auto_cancel_at: TimeRule | None
    seller_may_cancel_before_shipping: bool
    operator_request_allowed_from: tuple[TimeRule, ...]
    operator_request_only_if_buyer_silent: bool
    operator_proxy_rating: RatingOnBehalf
    operator_proxy_allowed_from: tuple[TimeRule, ...]
    operator_proxy_automatic: bool
    auto_evaluation: AutoEvaluation | None
    automatic_reminders: tuple[TimeRule, ...]
    seller_reminder_allowed_from: TimeRule | None
    seller_rating_closes_at: TimeRule | None
    claim_window_closes_at: tuple[TimeRule, ...] = ()
    """Buyer protection after the receipt evaluation: until the first applicable rule's
    instant the buyer may still report a problem (a claim), also after the payout."""
    claim_seller_rating_not_before: TimeRule | None = None
    """An open claim pauses the seller's rating window; once resolved, the window closes no
    earlier than this."""
    # Mutual cancellation (request_cancel / accept_cancel / decline_cancel): None when the
    # policy has no [cancel_request] table, then nobody may ask.
    cancel_request_expires_at: TimeRule | None = None
    source: str = field(default="", compare=False, repr=False)
    source_text: str = field(default="", compare=False, repr=False)
    # The rules above compiled for the deadline computation (schedule.schedule_of), built on
    # first use; not an init field, so `dataclasses.replace` never carries a stale one over.
    schedule: Schedule | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def releases_on_receipt(self) -> bool:
        return self.release_escrow_on == "receipt_evaluation"


@dataclass(frozen=True, slots=True)
class _Section:
    """One table of the file (or the top level, named "")."""

    name: str
    data: Mapping[str, Any]

    def path(self, key: str) -> str:
        return f"{self.name}.{key}" if self.name else key


_ABSENT = _Section("", {})


class _Reader:
    """Walks a parsed TOML document, turning every problem into a PolicyError."""

    def __init__(self, source: str, data: Mapping[str, Any]) -> None:
        self.source = source
        self.top = _Section("", data)

    def fail(self, key: str, reason: str) -> PolicyError:
        return PolicyError(self.source, key, reason)

    @overload
    def table(self, name: str, *, required: Literal[True], allowed: set[str]) -> _Section: ...
    @overload
    def table(self, name: str, *, required: bool, allowed: set[str]) -> _Section | None: ...
    def table(self, name: str, *, required: bool, allowed: set[str]) -> _Section | None:
        value = self.top.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "missing table")
            return None
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        for key in value:
            if key not in allowed:
                allowed_list = ", ".join(sorted(allowed))
                raise self.fail(f"{name}.{key}", f"unknown key (allowed: {allowed_list})")
        return _Section(name, value)

    def value(self, section: _Section | None, key: str, kind: type, default: Any = ...) -> Any:
        """A key of `section` (None: the top level) checked against `kind`."""
        section = section or self.top
        if key not in section.data:
            if default is ...:
                raise self.fail(section.path(key), "missing")
            return default
        value = section.data[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise self.fail(section.path(key), f"must be an integer, not {value!r}")
        if not isinstance(value, kind):
            raise self.fail(section.path(key), f"must be a {kind.__name__}, not {value!r}")
        return value

    @overload
    def rule(self, section: _Section | None, key: str, *, required: Literal[True]) -> TimeRule: ...
    @overload
    def rule(self, section: _Section | None, key: str, *, required: bool) -> TimeRule | None: ...
    def rule(self, section: _Section | None, key: str, *, required: bool) -> TimeRule | None:
        section = section or _ABSENT
        if key not in section.data:
            if required:
                raise self.fail(section.path(key), "missing")
            return None
        path = section.path(key)
        try:
            return parse_rule(section.data[key], allowed_anchors=_ALLOWED_ANCHORS[path])
        except RuleSyntaxError as error:
            raise self.fail(path, str(error)) from None

    def rules(self, section: _Section | None, key: str) -> tuple[TimeRule, ...]:
        section = section or _ABSENT
        if key not in section.data:
            return ()
        path = section.path(key)
        items = section.data[key]
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            raise self.fail(path, "must be a rule or a list of rules")
        parsed = []
        for index, item in enumerate(items):
            try:
                parsed.append(parse_rule(item, allowed_anchors=_ALLOWED_ANCHORS[path]))
            except RuleSyntaxError as error:
                raise self.fail(f"{path}[{index}]", str(error)) from None
        return tuple(parsed)

    def rating(self, value: object, path: str, allowed: frozenset[Rating]) -> Rating:
        try:
            if not isinstance(value, str):  # as Rating(value) would: not one of the names
                raise ValueError(value)
            rating = Rating(value)
        except ValueError:
            raise self.fail(path, f"unknown rating {value!r} (good, normal, bad)") from None
        if rating not in allowed:
            raise self.fail(path, f"rating {value!r} is not in this policy's ratings")
        return rating

    def on_behalf(self, section: _Section, ratings: frozenset[Rating]) -> RatingOnBehalf:
        rating = self.rating(self.value(section, "rating", str), section.path("rating"), ratings)
        comment = self.value(section, "comment", str)
        if not comment.strip():
            raise self.fail(section.path("comment"), "must not be empty")
        return RatingOnBehalf(rating=rating, comment=comment)


_TOP_LEVEL = {
    "id",
    "version",
    "name",
    "description",
    "timezone",
    "ratings",
    "fee_percent",
    "release_escrow_on",
    "shipping",
    "operator_request",
    "proxy_rating",
    "auto_evaluation",
    "reminders",
    "seller_rating",
    "claims",
    "cancel_request",
}


def policy_from_toml(text: str, *, source: str) -> Policy:
    """Parse and validate one policy file's text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(source, "(file)", f"not valid TOML: {error}") from None
    return _policy_from_data(data, source=source, text=text)


def _policy_from_data(data: Mapping[str, Any], *, source: str, text: str) -> Policy:
    r = _Reader(source, data)
    for key in data:
        if key not in _TOP_LEVEL:
            raise r.fail(key, f"unknown key (allowed: {', '.join(sorted(_TOP_LEVEL))})")
    policy_id = r.value(None, "id", str)
    if not policy_id or not all(c.isalnum() or c in "-_" for c in policy_id):
        raise r.fail("id", f"must be letters, digits, '-' or '_', not {policy_id!r}")
    version = r.value(None, "version", int)
    if version < 1:
        raise r.fail("version", "must be 1 or more")
    zone_name = r.value(None, "timezone", str, "Asia/Tokyo")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise r.fail("timezone", f"unknown time zone {zone_name!r}") from None
    rating_names = r.value(None, "ratings", list, ["good", "normal", "bad"])
    if not rating_names:
        raise r.fail("ratings", "must list at least one rating")
    every = frozenset(Rating)
    ratings = frozenset(r.rating(v, "ratings", every) for v in rating_names)
    fee_percent = r.value(None, "fee_percent", int)
    if not 0 <= fee_percent <= 100:
        raise r.fail("fee_percent", f"must be between 0 and 100, not {fee_percent}")
    release = r.value(None, "release_escrow_on", str, "completion")
    if release not in _RELEASE_POINTS:
        raise r.fail("release_escrow_on", f"must be one of {', '.join(_RELEASE_POINTS)}")

    shipping = r.table(
        "shipping",
        required=True,
        allowed={"ship_by", "buyer_may_cancel_from", "auto_cancel_at", "seller_may_cancel"},
    )
    request = r.table(
        "operator_request", required=True, allowed={"allowed_from", "only_if_buyer_silent"}
    )
    proxy = r.table(
        "proxy_rating",
        required=True,
        allowed={"rating", "comment", "operator_allowed_from", "automatic"},
    )
    auto = r.table(
        "auto_evaluation",
        required=False,
        allowed={
            "first_of",
            "not_before",
            "at_most",
            "pause_while_problem_open",
            "after_problem_resolved",
            "rating",
            "comment",
        },
    )
    reminders = r.table("reminders", required=False, allowed={"automatic", "seller_allowed_from"})
    seller_rating = r.table("seller_rating", required=False, allowed={"closes_at"})
    claims = r.table(
        "claims", required=False, allowed={"window_closes_at", "seller_rating_not_before"}
    )
    claim_window = r.rules(claims, "window_closes_at")
    if claims is not None and not claim_window:
        raise r.fail("claims.window_closes_at", "needs at least one rule")
    if claims is not None and release != "receipt_evaluation":
        raise r.fail(
            "claims",
            'a claims window needs release_escrow_on = "receipt_evaluation" (a claim is a '
            "refund after the payout)",
        )
    cancel_request = r.table("cancel_request", required=False, allowed={"expires_at"})
    cancel_expires = None
    if cancel_request is not None:
        cancel_expires = r.rule(cancel_request, "expires_at", required=True)

    auto_evaluation = None
    if auto is not None:
        first_of = r.rules(auto, "first_of")
        if not first_of:
            raise r.fail("auto_evaluation.first_of", "needs at least one rule")
        auto_evaluation = AutoEvaluation(
            first_of=first_of,
            not_before=r.rules(auto, "not_before"),
            at_most=r.rule(auto, "at_most", required=False),
            pause_while_problem_open=r.value(auto, "pause_while_problem_open", bool, True),
            on_behalf=r.on_behalf(auto, ratings),
            after_problem_resolved=r.rule(auto, "after_problem_resolved", required=False),
        )
    automatic_reminders = r.rules(reminders, "automatic")
    if auto_evaluation is None and any(x.anchor == "auto_complete_at" for x in automatic_reminders):
        raise r.fail(
            "reminders.automatic", "refers to auto_complete_at but there is no [auto_evaluation]"
        )

    request_rules = r.rules(request, "allowed_from")
    if not request_rules:
        raise r.fail("operator_request.allowed_from", "needs at least one rule")
    return Policy(
        id=policy_id,
        version=version,
        name=r.value(None, "name", str, policy_id),
        description=r.value(None, "description", str, ""),
        zone=zone,
        ratings=ratings,
        fee_percent=fee_percent,
        release_escrow_on=release,
        ship_by=r.rule(shipping, "ship_by", required=True),
        buyer_may_cancel_from=r.rule(shipping, "buyer_may_cancel_from", required=False),
        auto_cancel_at=r.rule(shipping, "auto_cancel_at", required=False),
        seller_may_cancel_before_shipping=r.value(shipping, "seller_may_cancel", bool, True),
        operator_request_allowed_from=request_rules,
        operator_request_only_if_buyer_silent=r.value(request, "only_if_buyer_silent", bool, False),
        operator_proxy_rating=r.on_behalf(proxy, ratings),
        operator_proxy_allowed_from=r.rules(proxy, "operator_allowed_from"),
        operator_proxy_automatic=r.value(proxy, "automatic", bool, False),
        auto_evaluation=auto_evaluation,
        automatic_reminders=automatic_reminders,
        seller_reminder_allowed_from=r.rule(reminders, "seller_allowed_from", required=False),
        seller_rating_closes_at=r.rule(seller_rating, "closes_at", required=False),
        claim_window_closes_at=claim_window,
        claim_seller_rating_not_before=r.rule(claims, "seller_rating_not_before", required=False),
        cancel_request_expires_at=cancel_expires,
        source=source,
        source_text=text,
    )


def load_policy_file(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(str(path), "(file)", f"cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise PolicyError(str(path), "(file)", "not UTF-8 text") from None
    return policy_from_toml(text, source=str(path))
