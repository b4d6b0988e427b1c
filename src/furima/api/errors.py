"""Errors, mapped once: every failure is `{"error": CODE, "detail": TEXT}` with a 4xx."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from furima.errors import FurimaError

STATUS_OF = {
    "invalid_input": 400,
    "invalid_rating": 400,
    "unauthenticated": 401,
    "forbidden_actor": 403,
    "not_found": 404,
    "conflict": 409,
    "not_allowed_in_state": 409,
    "too_early": 409,
    "too_soon": 409,
    "validation_error": 422,
}
_CODE_OF_STATUS = {
    400: "invalid_input",
    401: "unauthenticated",
    403: "unauthenticated",
    404: "not_found",
    405: "invalid_input",
    409: "conflict",
    422: "validation_error",
}


def error_body(code: str, detail: str, **extra) -> dict:
    return {"error": code, "detail": detail, **extra}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(FurimaError)
    def furima_error(request, error: FurimaError):
        extra = {}
        allowed_from = getattr(error, "allowed_from", None)
        if allowed_from is not None:
            extra["allowed_from"] = allowed_from.isoformat()
        status = STATUS_OF.get(error.code, 400)
        return api.create_response(
            request, error_body(error.code, error.detail, **extra), status=status
        )

    @api.exception_handler(ValidationError)
    def validation_error(request, error: ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', ()))}: {item.get('msg', 'invalid')}"
            for item in error.errors
        )
        return api.create_response(
            request, error_body("validation_error", problems or "invalid request"), status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error):
        body = error_body("unauthenticated", "send a bearer token or sign in")
        return api.create_response(request, body, status=401)

    @api.exception_handler(Http404)
    def not_found(request, error):
        return api.create_response(request, error_body("not_found", "no such resource"), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        code = _CODE_OF_STATUS.get(error.status_code, "invalid_input")
        return api.create_response(request, error_body(code, str(error)), status=error.status_code)
