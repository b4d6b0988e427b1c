"""Human-readable rendering of a replayed timeline (``furima timeline --format text``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class _Labels:
    """One language's words for the timeline table."""

    columns: tuple[str, str, str, str, str]
    text: dict[str, str]  # fixed phrases by key
    weekdays: str | None  # Monday first; None: the English abbreviations of the format
    words: dict[str, dict[str, str]]  # actors, actions, states: value -> word (else the value)


LABELS = {
    "ja": _Labels(
        columns=("日時", "誰が", "操作", "結果", "状態"),
        text={
            "accepted": "受付",
            "rejected": "却下",
            "skipped": "スキップ（期限超過）",
            "due_at": "予定",
            "final": "最終状態",
            "completed_at": "取引完了",
            "cancelled_at": "キャンセル",
            "buyer_rating": "購入者側の評価",
            "seller_rating": "出品者の評価",
            "operator_request": "事務局への依頼",
            "allowed_from": "可能になる日時",
            "none": "なし",
        },
        weekdays="月火水木金土日",
        words={
            "actors": {
                "buyer": "購入者",
                "seller": "出品者",
                "operator": "事務局",
                "system": "システム",
                "carrier": "配送業者",
            },
            "actions": {
                "purchase": "購入",
                "message": "取引メッセージ",
                "ship": "発送通知",
                "deliver": "配達完了",
                "remind": "リマインド",
                "rate": "評価",
                "request_operator": "事務局へ評価依頼",
                "report_problem": "問題を報告",
                "proxy_rate": "代理評価",
                "cancel": "キャンセル",
                "complete": "取引完了",
                "resolve_problem": "問題の解決",
                "request_cancel": "キャンセル申請",
                "accept_cancel": "キャンセルに同意",
                "decline_cancel": "キャンセルを拒否",
            },
            "states": {
                "awaiting_shipment": "発送待ち",
                "shipped": "発送済み・受取評価待ち",
                "awaiting_seller_rating": "出品者の評価待ち",
                "completed": "取引完了",
                "cancelled": "キャンセル",
            },
        },
    ),
    "en": _Labels(
        columns=("When", "Who", "Action", "Result", "State"),
        text={
            "accepted": "accepted",
            "rejected": "rejected",
            "skipped": "skipped (overtaken)",
            "due_at": "due",
            "final": "Final state",
            "completed_at": "completed",
            "cancelled_at": "cancelled",
            "buyer_rating": "buyer's rating",
            "seller_rating": "seller's rating",
            "operator_request": "operator request",
            "allowed_from": "allowed from",
            "none": "none",
        },
        weekdays=None,
        words={
            "actors": {},
            "actions": {},
            "states": {},
        },
    ),
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _when(value: str | None, lang: str) -> str:
    if value is None:
        return "-"
    moment = datetime.fromisoformat(value)
    weekdays = LABELS[lang].weekdays
    if weekdays:
        return f"{moment:%Y/%m/%d}({weekdays[moment.weekday()]}) {moment:%H:%M}"
    return f"{moment:%a %Y-%m-%d %H:%M}"


def timeline_table(result: dict, *, lang: str = "ja") -> str:
    labels = LABELS[lang]

    def word(kind: str, key: str | None) -> str:
        return labels.words[kind].get(key, key) if key else "-"

    rows: list[tuple[str, ...]] = [labels.columns]
    for step in result["steps"]:
        if step["accepted"]:
            outcome = labels.text["skipped"] if step.get("skipped") else labels.text["accepted"]
            if step.get("due_at") and step["due_at"] != step["at"]:
                outcome += f" ({labels.text['due_at']} {_when(step['due_at'], lang)})"
        else:
            outcome = f"{labels.text['rejected']}: {step['error']}"
            if "allowed_from" in step:
                outcome += f" ({labels.text['allowed_from']} {_when(step['allowed_from'], lang)})"
        rows.append(
            (
                _when(step["at"], lang),
                word("actors", step["actor"]),
                word("actions", step["action"]),
                outcome,
                word("states", step["state"]),
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    final = result["final"]
    policy = result["policy"]
    lines.append("")
    lines.append(
        f"{labels.text['final']} ({policy['id']}@{policy['version']}): "
        f"{word('states', final['state'])}"
    )
    for key in ("completed_at", "cancelled_at"):
        if final.get(key):
            lines.append(f"  {labels.text[key]}: {_when(final[key], lang)}")
    for side in ("buyer", "seller"):
        rating = final["ratings"][side]
        text = labels.text["none"]
        if rating:
            by = word("actors", rating["by"])
            text = f"{rating['rating']} by {by} — {rating['comment']}".rstrip(" —")
        lines.append(f"  {labels.text[side + '_rating']}: {text}")
    request = final["operator_request"]
    request_text = (
        labels.text["none"]
        if request is None
        else f"{request['status']} ({_when(request['opened_at'], lang)})"
    )
    lines.append(f"  {labels.text['operator_request']}: {request_text}")
    return "\n".join(lines) + "\n"
