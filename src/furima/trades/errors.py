"""The services' errors: `FurimaError`s whose `code` is the contract's, so the API and CLI
map them in one place. Raising one always means nothing was written."""

from __future__ import annotations

from datetime import datetime

from furima.errors import (  # re-exported: the services' callers import them from here
    Conflict,
    Forbidden,
    ForbiddenActor,
    FurimaError,
    NotFound,
    PriceChanged,
    Unauthenticated,
)
from furima.process import Rejected

__all__ = [
    "ActionRejected",
    "Conflict",
    "Forbidden",
    "ForbiddenActor",
    "FurimaError",
    "NotFound",
    "PriceChanged",
    "Unauthenticated",
]


class ActionRejected(FurimaError):
    """The engine said no: `code` is its error code; `allowed_from` is set for `too_early`
    and `too_soon`."""

    def __init__(self, detail: str, *, code: str, allowed_from: datetime | None = None) -> None:
        super().__init__(detail, code=code)
        self.allowed_from = allowed_from

    @classmethod
    def from_decision(cls, decision: Rejected) -> ActionRejected:
        return cls(decision.detail, code=decision.code.value, allowed_from=decision.allowed_from)
