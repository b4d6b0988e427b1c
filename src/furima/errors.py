"""One error hierarchy for everything a user can get wrong, and its one map to the outside.

`FurimaError(detail, code=…)` is raised by services and command-line parsing alike. Its
`code` is the contract's vocabulary (CONTRACT.md); `HTTP_STATUS` maps it once to the status
every HTTP answer uses (the API's ``{"error": CODE, "detail": TEXT}`` and the web pages
alike), and the CLI maps every `FurimaError` once to exit status `EXIT_USAGE` with one line
on stderr. Raising one always means nothing was written.

This module is the bottom layer: no Django, so the pure engine's callers can use it too.
"""

from __future__ import annotations

EXIT_USAGE = 2
"""The CLI's exit status for bad input (argparse's own convention)."""

HTTP_STATUS: dict[str, int] = {
    # The request itself is wrong: retrying it unchanged can never succeed.
    "invalid_input": 400,
    "invalid_rating": 400,
    "invalid_image": 400,  # a listing photo that is not a complete JPEG, PNG or WebP
    "too_many_photos": 400,  # more than a listing may hold (market.photos.MAX_PHOTOS)
    "unauthenticated": 401,
    "forbidden": 403,
    "forbidden_actor": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    # The request is well formed but clashes with the resource's current state, time
    # included: `too_early` and `too_soon` name the moment from which the same request
    # succeeds, which is what 409 means (400 would tell a client never to retry it).
    "conflict": 409,
    "price_changed": 409,
    "not_allowed_in_state": 409,
    "too_early": 409,
    "too_soon": 409,
    "insufficient_balance": 409,  # a payout larger than what may be requested now
    "payload_too_large": 413,
    "image_too_large": 413,  # one photo over the byte or pixel limit
    "validation_error": 422,
    "rate_limited": 429,
}
"""Error code → HTTP status, for every caller (API handlers, web views, middleware)."""

CODE_OF_STATUS: dict[int, str] = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
}
"""For errors that arrive as a bare status (a framework's own 404, 413, CSRF 403…)."""


def http_status(code: str) -> int:
    """The HTTP status of an error code (400 for a code the table does not know)."""
    return HTTP_STATUS.get(code, 400)


def code_of_status(status: int) -> str:
    """The error code for a bare HTTP status; `server_error` for any 5xx."""
    if status >= 500:
        return "server_error"
    return CODE_OF_STATUS.get(status, "invalid_input")


class FurimaError(Exception):
    code = "invalid_input"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code

    @property
    def http_status(self) -> int:
        return http_status(self.code)


class NotFound(FurimaError):
    """No such thing — or one the caller may not know exists (the same answer for both)."""

    code = "not_found"


class Unauthenticated(FurimaError):
    code = "unauthenticated"


class Forbidden(FurimaError):
    """Known caller, known resource, but this is not theirs to ask for (e.g. a policy)."""

    code = "forbidden"


class ForbiddenActor(FurimaError):
    code = "forbidden_actor"


class Conflict(FurimaError):
    code = "conflict"


class PriceChanged(FurimaError):
    """The listing's price or shipping terms differ from what the buyer was shown; `changed`
    names them (`price`, `shipping_payer`, `shipping_method`, `ship_within`)."""

    code = "price_changed"

    def __init__(self, detail: str, *, changed: tuple[str, ...] = ()) -> None:
        super().__init__(detail)
        self.changed = changed
