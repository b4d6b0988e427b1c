"""The engine's command handlers, one module per family of actions.

Each handler has the signature ``(snapshot, command, now, policy) -> Decision`` and is reached
only through ``engine.decide``, which has already checked the actor and put ``now`` in the
policy's zone. ``transitions`` holds the state changes several families end in.
"""
