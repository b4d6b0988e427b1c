"""Reply templates (定型文) shipped as data (`replies/replies.toml`), filled with a trade's
and an inquiry's data (names, dates, deadlines, amounts) for staff to edit before sending.

The deadlines come from `trade_outlook`, as on the trade screen."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from furima.formats import when, yen
from furima.trades.selectors import trade_outlook

REPLIES_FILE = Path(__file__).parent / "replies" / "replies.toml"
MISSING = "—"


@dataclass(frozen=True)
class ReplyTemplate:
    id: str
    titles: dict[str, str]
    bodies: dict[str, str]

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles[settings.LANGUAGE_CODE]

    def fill(self, values: dict[str, str], language: str) -> str:
        body = self.bodies.get(language) or self.bodies[settings.LANGUAGE_CODE]
        return body.strip().format_map(_Blanks(values))


class _Blanks(dict):
    def __missing__(self, key: str) -> str:
        return MISSING


@lru_cache(maxsize=1)
def reply_templates() -> tuple[ReplyTemplate, ...]:
    data = tomllib.loads(REPLIES_FILE.read_text(encoding="utf-8"))
    return tuple(
        ReplyTemplate(
            id=item["id"],
            titles=item["title"],
            bodies={lang: item[lang] for lang in ("ja", "en") if lang in item},
        )
        for item in data["reply"]
    )


def reply_template_get(template_id: str) -> ReplyTemplate | None:
    return next((t for t in reply_templates() if t.id == template_id), None)


def reply_values(*, staff, trade=None, inquiry=None) -> dict[str, str]:
    """The placeholders' values for a trade (seen as the operator) and/or an inquiry."""
    values = {"staff": str(staff)}
    if inquiry is not None:
        values["person"] = str(inquiry.user) if inquiry.user_id else inquiry.email
        trade = trade or inquiry.trade
    if trade is not None:
        outlook = trade_outlook(trade=trade, viewer=staff)
        found = outlook.deadlines.as_dict()
        values.update(
            trade_id=str(trade.pk),
            title=trade.listing.title,
            price=yen(trade.price),
            buyer=str(trade.buyer),
            seller=str(trade.seller),
            policy=f"{trade.policy_id}@{trade.policy_version}",
            purchased_at=when(trade.purchased_at),
            shipped_at=when(trade.shipped_at) or MISSING,
        )
        for name, at in found.items():
            values[name] = when(at) if at is not None else MISSING
    return {k: v for k, v in values.items() if v}
