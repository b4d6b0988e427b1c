"""furima.simulate: what a policy does to sellers, buyers and support, before it ships.

Synthetic trades drawn from a behaviour model (``behaviour``, ``persona``) run through the
real engine (``trade``), are folded into fixed-size figures (``summary``) and printed side
by side per policy (``render``, ``chart``). Pure Python, no database: ``simulate(policy,
behaviour, trades, seed) -> Summary`` is the library entry point.
"""

from furima.simulate.behaviour import Behaviour, BehaviourError, load_behaviour
from furima.simulate.run import simulate, trace
from furima.simulate.summary import Summary

__all__ = ["Behaviour", "BehaviourError", "Summary", "load_behaviour", "simulate", "trace"]
