"""Errors, mapped once: every API failure is `{"error": CODE, "detail": TEXT}`.

The status comes from `furima.errors.HTTP_STATUS`, the table the web views use too. Ninja's
own errors (validation, authentication, CSRF, 404) are mapped here; what Django answers
before or around ninja on `/api/` (an unknown URL, a body over the limit, a crash) is mapped
by `furima.api.middleware`.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from furima.errors import FurimaError, code_of_status, http_status


def error_body(code: str, detail: str, **extra) -> dict:
    return {"error": code, "detail": detail, **extra}


def _problems(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in item.get('loc', ()))}: {item.get('msg', 'invalid')}"
        for item in error.errors
    )


def install(api: NinjaAPI) -> None:
    def answer(request, code: str, detail: str, status: int | None = None, **extra):
        status = status or http_status(code)
        return api.create_response(request, error_body(code, detail, **extra), status=status)

    @api.exception_handler(FurimaError)
    def furima_error(request, error: FurimaError):
        extra = {}
        allowed_from = getattr(error, "allowed_from", None)
        if allowed_from is not None:
            extra["allowed_from"] = allowed_from.isoformat()
        changed = getattr(error, "changed", None)
        if changed:
            extra["changed"] = list(changed)
        return answer(request, error.code, error.detail, **extra)

    @api.exception_handler(ValidationError)
    def validation_error(request, error: ValidationError):
        return answer(request, "validation_error", _problems(error) or "invalid request")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        return answer(request, "unauthenticated", "send a bearer token or sign in")

    @api.exception_handler(Http404)
    def not_found(request, error):
        return answer(request, "not_found", "no such resource")

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, error):
        return answer(request, "payload_too_large", "the request body is too large")

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        cause = error.__cause__  # e.g. the parser's refusal of a NUL character
        if isinstance(cause, FurimaError):
            return answer(request, cause.code, cause.detail)
        code = code_of_status(error.status_code)
        return answer(request, code, str(error), status=error.status_code)
