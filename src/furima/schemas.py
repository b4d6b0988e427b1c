"""API shapes shared by every app's router (errors, parties, policy references): kept out of
`furima.api` so an app's router need not import the layer above it. Times leave in
Asia/Tokyo (+09:00), as in the CLI."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    error: str
    detail: str
    allowed_from: datetime | None = None
    changed: list[str] | None = None  # price_changed: which terms (price, shipping_method, …)


class PolicyRef(Schema):
    id: str
    version: int


class PartyOut(Schema):
    id: int
    username: str
    display_name: str


ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 413, 422)}
"""Every error status an endpoint may answer with, documented in the schema."""
