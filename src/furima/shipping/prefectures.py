"""The 47 prefectures, as data (`data/prefectures.toml`): an address stores the JIS code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

PREFECTURES_FILE = Path(__file__).with_name("data") / "prefectures.toml"


@dataclass(frozen=True)
class Prefecture:
    code: str  # JIS X 0401, two digits: "13"
    ja: str  # 東京都
    en: str  # Tokyo

    def name(self) -> str:
        return self.en if (get_language() or "ja").startswith("en") else self.ja

    def __str__(self) -> str:
        return self.name()


@cache
def prefectures() -> dict[str, Prefecture]:
    """By code, in code order (north to south)."""
    data = tomllib.loads(PREFECTURES_FILE.read_text(encoding="utf-8"))
    found = {p["code"]: Prefecture(p["code"], p["ja"], p["en"]) for p in data["prefecture"]}
    if len(found) != 47:
        raise ValueError(f"{PREFECTURES_FILE}: expected the 47 prefectures, found {len(found)}")
    return found


def prefecture_find(value: str) -> Prefecture | None:
    """The prefecture a client named: by code ("13"), Japanese name (東京都) or English name
    (Tokyo, any case); None for anything else."""
    value = value.strip()
    by_code = prefectures()
    if value in by_code:
        return by_code[value]
    for prefecture in by_code.values():
        if value == prefecture.ja or value.casefold() == prefecture.en.casefold():
            return prefecture
    return None


def prefecture_choices() -> list[tuple[str, str]]:
    return [(p.code, p.name()) for p in prefectures().values()]
