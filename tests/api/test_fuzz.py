"""Fuzz the API from its own OpenAPI schema (schemathesis): whatever a client sends, the
answer is never a 5xx and always matches the schema the API publishes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from furima.accounts.services import api_token_create
from furima.wsgi import application
from tests.factories import make_trade

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def bearer(db, clock):
    """A shipped trade and its buyer's token, so authenticated paths get past the door.

    Requests go straight to the WSGI app, so — as Django's own test client does — keep the
    end of each request from closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        trade = make_trade("shipped")
        yield {"Authorization": f"Bearer {api_token_create(user=trade.buyer)}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_never_fails_and_answers_as_its_schema_says(case, bearer):
    # A schema-valid request may still break a business rule (an empty message, a rating
    # the policy does not allow): that is a documented 4xx, not a failure.
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
