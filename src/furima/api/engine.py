"""Policies and the paper replay (`furima timeline` over HTTP): the engine without a database."""

from __future__ import annotations

from typing import Any

from ninja import Body, Router, Schema

from furima.api.timeline_schema import TIMELINE_OPENAPI
from furima.errors import FurimaError
from furima.process.policy import UnknownPolicy
from furima.process.registry import default_registry
from furima.process.replay import ScriptError, check_script_size, parse_script, replay
from furima.schemas import ERRORS

router = Router(tags=["engine"])


class PolicyOut(Schema):
    id: str
    version: int
    name: str
    description: str
    fee_percent: int
    latest: bool


class PolicyDetailOut(PolicyOut):
    toml: str


def _policy(policy, latest_keys: set[str]) -> dict:
    return {
        "id": policy.id,
        "version": policy.version,
        "name": policy.name,
        "description": policy.description,
        "fee_percent": policy.fee_percent,
        "latest": policy.key in latest_keys,
        "toml": policy.source_text,
    }


@router.get("/policies", response={200: list[PolicyOut], **ERRORS}, auth=None)
def policies_list(request):
    registry = default_registry()
    latest = {p.key for p in registry.latest()}
    return [_policy(p, latest) for p in registry.all()]


@router.get("/policies/{policy_ref}", response={200: PolicyDetailOut, **ERRORS}, auth=None)
def policy_get(request, policy_ref: str):
    """A policy by id (latest version) or `id@version`, with its TOML source."""
    registry = default_registry()
    try:
        policy = registry.resolve(policy_ref)
    except UnknownPolicy as error:
        raise FurimaError(str(error), code="not_found") from None
    return _policy(policy, {p.key for p in registry.latest()})


SCRIPT_BODY = Body(..., description="a timeline script, as for `furima timeline`")


@router.post(
    "/timeline",
    response={200: dict[str, Any], **ERRORS},
    auth=None,
    openapi_extra=TIMELINE_OPENAPI,  # the script's real shape (the body is parsed as the CLI does)
)
def timeline(request, script: dict[str, Any] = SCRIPT_BODY):
    """Replay a scripted trade exactly as `furima timeline` does (no database). At most
    2,000 events and 1,000,000 bytes; times from 1970 to before 2200."""
    try:
        check_script_size(len(request.body))
        return replay(parse_script(script))
    except ScriptError as error:
        raise FurimaError(str(error)) from None
