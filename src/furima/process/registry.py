"""Where policies come from: every version of every policy, looked up by id and version.

A trade pins ``(id, version)``; the registry keeps every version it finds so a trade started
under ``furima@1`` keeps its rules after ``furima@2`` ships. Files are named
``<id>.v<version>.toml``; the package's own live in ``furima/process/policies/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from furima.process.policy import Policy, PolicyError, UnknownPolicy, load_policy_file

PACKAGE_POLICY_DIR = Path(__file__).with_name("policies")
EXTRA_DIRS_VARIABLE = "FURIMA_POLICY_DIRS"


class PolicyRegistry:
    def __init__(self, policies: Iterable[Policy]) -> None:
        self._by_key: dict[tuple[str, int], Policy] = {}
        for policy in policies:
            key = (policy.id, policy.version)
            if key in self._by_key:
                other = self._by_key[key].source
                raise PolicyError(
                    policy.source, "version", f"{policy.key} is also defined in {other}"
                )
            self._by_key[key] = policy

    @classmethod
    def from_directories(cls, *directories: Path) -> PolicyRegistry:
        files = [path for d in directories for path in sorted(Path(d).glob("*.toml"))]
        return cls(load_policy_file(path) for path in files)

    def get(self, policy_id: str, version: int | None = None) -> Policy:
        if version is not None:
            try:
                return self._by_key[(policy_id, version)]
            except KeyError:
                raise UnknownPolicy(policy_id, version, self._keys()) from None
        versions = [p for (pid, _), p in self._by_key.items() if pid == policy_id]
        if not versions:
            raise UnknownPolicy(policy_id, None, self._ids())
        return max(versions, key=lambda p: p.version)

    def resolve(self, reference: str) -> Policy:
        """``"furima"`` → the latest version; ``"furima@1"`` → exactly that version."""
        policy_id, _, version_text = reference.partition("@")
        if not version_text:
            return self.get(policy_id)
        if not version_text.isdigit():
            raise UnknownPolicy(reference, None, self._keys())
        return self.get(policy_id, int(version_text))

    def all(self) -> list[Policy]:
        return sorted(self._by_key.values(), key=lambda p: (p.id, p.version))

    def latest(self) -> list[Policy]:
        return [self.get(policy_id) for policy_id in sorted(self._ids())]

    def _ids(self) -> set[str]:
        return {policy_id for policy_id, _ in self._by_key}

    def _keys(self) -> list[str]:
        return [f"{pid}@{version}" for pid, version in self._by_key]


def policy_directories() -> list[Path]:
    """The package's policies, then any listed in FURIMA_POLICY_DIRS (os.pathsep-separated)."""
    extra = os.environ.get(EXTRA_DIRS_VARIABLE, "")
    return [PACKAGE_POLICY_DIR, *(Path(p) for p in extra.split(os.pathsep) if p)]


@lru_cache(maxsize=1)
def default_registry() -> PolicyRegistry:
    return PolicyRegistry.from_directories(*policy_directories())
