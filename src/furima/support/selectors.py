"""The support desk's queue: trades whose seller asked the operator, or whose buyer
reported a problem, oldest first (the ones waiting longest are answered first)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from furima.trades.models import Trade


def operator_queue() -> QuerySet[Trade]:
    waiting = Q(operator_request_status="open") | Q(
        problem_reported_at__isnull=False, problem_closed_at__isnull=True
    )
    return (
        Trade.objects.filter(waiting, state="shipped")
        .select_related("listing", "buyer", "seller")
        .annotate(waiting_since=Coalesce(F("operator_request_opened_at"), F("problem_reported_at")))
        .order_by("waiting_since", "id")
    )
