"""マイページ's list of notices about questions and answers on items (コメント): the in-app
rows `furima.notify.comments` writes, shown apart from the trade inbox and support's."""

from __future__ import annotations

from django import template

from furima.notify.selectors import question_notices_for

register = template.Library()


@register.inclusion_tag("notify/_question_notices.html", takes_context=True)
def question_notices(context) -> dict:
    user = context["user"]
    return {"notices": list(question_notices_for(user=user)) if user.is_authenticated else []}
