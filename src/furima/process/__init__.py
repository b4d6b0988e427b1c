"""furima.process: the pure trade process engine (no Django, no I/O beyond reading
policy files, no clock). See ``engine.decide`` and ``deadlines.deadlines``."""

from furima.process.commands import Command
from furima.process.deadlines import Deadlines, Timer, deadlines
from furima.process.engine import Accepted, Decision, Event, Rejected, decide
from furima.process.model import (
    Action,
    Actor,
    ErrorCode,
    OperatorRequestStatus,
    Rating,
    State,
    TradeSnapshot,
)
from furima.process.policy import Policy, PolicyError
from furima.process.registry import PolicyRegistry, default_registry

__all__ = [
    "Accepted",
    "Action",
    "Actor",
    "Command",
    "Deadlines",
    "Decision",
    "ErrorCode",
    "Event",
    "OperatorRequestStatus",
    "Policy",
    "PolicyError",
    "PolicyRegistry",
    "Rating",
    "Rejected",
    "State",
    "Timer",
    "TradeSnapshot",
    "deadlines",
    "decide",
    "default_registry",
]
