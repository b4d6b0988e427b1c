"""Names other traders see must not pass for furima's staff (「サポート」「事務局」「運営」,
"support", "admin"…): a buyer who gets a message from 「furima事務局」 should be able to
trust it. Names are compared after folding what makes look-alikes: full-width and
half-width forms (ＳＵＰＰＯＲＴ, ｻﾎﾟｰﾄ), letter case, hiragana for katakana (さぽーと),
and the spaces and punctuation put between letters (s.u.p.p.o.r.t)."""

from __future__ import annotations

import unicodedata

# In folded form: katakana as hiragana, so 「サポート」 is "さぽーと".
STAFF_WORDS = (
    *("さぽーと", "じむきょく", "事務局", "うんえい", "運営", "ふりま"),
    *("support", "staff", "admin", "furima"),
)
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def folded(name: str) -> str:
    """`name` in the one form look-alikes share."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_KATAKANA_TO_HIRAGANA)
    return "".join(c for c in text if c.isalnum() or c == "ー")


def imitates_staff(name: str) -> bool:
    text = folded(name)
    return any(word in text for word in STAFF_WORDS)
