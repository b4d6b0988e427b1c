"""The shape of a timeline script (CONTRACT.md, `furima timeline`), for the OpenAPI schema of
`POST /api/v1/timeline`.

The endpoint validates a script exactly as the CLI does (`furima.process.replay`), so its
answers name the event at fault (`events[3]: …`) the same way; these models only *document*
that shape — the first event is the buyer's purchase, then events of the contract's actors
and actions — so generated clients build scripts of the right shape and a fuzzer reaches the
replay instead of the parser. What a schema cannot say (times must not go back, and must
lie between 1970 and 2200) the endpoint answers with 400 `invalid_input`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from furima.process import Action, Actor
from furima.process.commands import (
    MAX_COMMENT_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_TRACKING_NUMBER_LENGTH,
)
from furima.process.model import SHIP_WITHIN_CHOICES

MAX_EVENTS = 2000


class ScriptEvent(BaseModel):
    """One step, at a time with a UTC offset. `rate` needs `rating`, `message` needs `text`."""

    at: datetime = Field(description="ISO 8601 with a UTC offset, e.g. 2016-12-09T10:00:00+09:00")
    actor: Actor
    action: Action
    rating: Literal["good", "normal", "bad"] | None = None
    comment: str = Field("", max_length=MAX_COMMENT_LENGTH)
    text: str = Field("", max_length=MAX_TEXT_LENGTH)
    reason: str = Field("", max_length=MAX_TEXT_LENGTH)
    tracking_number: str = Field("", max_length=MAX_TRACKING_NUMBER_LENGTH)


class PurchaseEvent(BaseModel):
    """The first event: the buyer's purchase, with the item's terms."""

    at: datetime = Field(description="ISO 8601 with a UTC offset")
    actor: Literal["buyer"]
    action: Literal["purchase"]
    price: int = Field(1000, ge=1, description="yen")
    ship_within: Literal[tuple(SHIP_WITHIN_CHOICES)] = "2-3"  # type: ignore[valid-type]


class TimelineScript(BaseModel):
    policy: str = Field(description='a policy id ("rakuma-2016") or id@version')
    events: list[Any] = Field(min_length=1, max_length=MAX_EVENTS)
    until: datetime | None = Field(None, description="replay the timers up to here")


def _inline(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """The schema with every `#/$defs/…` reference replaced by its definition."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(definitions[ref.removeprefix("#/$defs/")], definitions)
        return {key: _inline(value, definitions) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_inline(item, definitions) for item in schema]
    return schema


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return _inline(schema, schema.pop("$defs", {}))


def timeline_script_schema() -> dict[str, Any]:
    """The request body's JSON Schema: an object whose `events` start with the purchase."""
    script = _schema(TimelineScript)
    script["properties"]["events"].update(
        prefixItems=[_schema(PurchaseEvent)], items=_schema(ScriptEvent)
    )
    script.pop("title", None)
    return script


TIMELINE_OPENAPI = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": timeline_script_schema()}},
    }
}
"""`openapi_extra` for the endpoint."""
