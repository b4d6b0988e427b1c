"""The door every request passes: bad input the database or the framework would otherwise
turn into a 500 (or an HTML page on the API) is answered here with the contract's error.

- A body longer than `DATA_UPLOAD_MAX_MEMORY_SIZE` (`FURIMA_MAX_UPLOAD_BYTES` for multipart
  forms with files) is refused with 413 before anything reads it.
- A NUL character in the path or a query parameter is refused with 400: PostgreSQL cannot
  store one in text, and no legitimate client sends one. (JSON bodies are checked by the
  API's parser, form fields by Django's form fields.)
- On `/api/`, whatever Django itself answers around ninja — an unknown URL's 404, a 405, a
  crash's 500 — leaves as `{"error": CODE, "detail": TEXT}` too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from furima.errors import code_of_status, http_status

API_PREFIX = "/api/"
NUL = "\x00"


def error_response(request, code: str, detail: str, status: int | None = None) -> HttpResponse:
    """The contract's error on the API; a short plain-text page elsewhere (the web's own
    error pages are templates; these are answers to requests no browser form sends)."""
    status = status or http_status(code)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": code, "detail": detail}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def body_limit(request) -> int:
    if request.content_type == "multipart/form-data":
        return settings.FURIMA_MAX_UPLOAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_too_big(request) -> bool:
    """Whether a web form's fields (not its files) exceed Django's limit. Parsed here, once
    (Django keeps the result), because the first reader is otherwise the CSRF check, which
    would turn the refusal into a bare 400."""
    if request.method != "POST" or request.path.startswith(API_PREFIX):
        return False
    if request.content_type not in FORM_TYPES:
        return False
    try:
        request.POST  # noqa: B018 - parsing is the point
    except RequestDataTooBig:
        return True
    return False


def refusal(request) -> HttpResponse | None:
    """Why this request is refused before any view sees it, if it is."""
    limit = body_limit(request)
    if _declared_length(request) > limit:
        detail = _("The request body is larger than %(limit)d bytes.") % {"limit": limit}
        return error_response(request, "payload_too_large", detail)
    if _form_too_big(request):
        detail = _("The form is larger than %(limit)d bytes.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
        return error_response(request, "payload_too_large", detail)
    if NUL in request.path:
        return error_response(request, "invalid_input", _("The address contains a NUL character."))
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            detail = _("The query parameter %(name)s contains a NUL character.") % {
                "name": key.replace(NUL, "")
            }
            return error_response(request, "invalid_input", detail)
    return None


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class RequestGuardMiddleware:
    """First in `MIDDLEWARE`, so it also sees the final answer of everything below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = refusal(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not _is_json(response)
        ):
            status = response.status_code
            code = code_of_status(status)
            detail = response.reason_phrase if code != "not_found" else "no such resource"
            answer = JsonResponse({"error": code, "detail": detail}, status=status)
            if "Allow" in response:
                answer["Allow"] = response["Allow"]
            return answer
        return response
