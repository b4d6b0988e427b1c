"""マイページ's list of notices about items: questions and answers (コメント,
`furima.notify.comments`) and price drops on liked items (`furima.notify.likes`), shown apart
from the trade inbox and support's."""

from __future__ import annotations

from django import template

from furima.notify.selectors import item_notices_for

register = template.Library()


@register.inclusion_tag("notify/_question_notices.html", takes_context=True)
def question_notices(context) -> dict:
    user = context["user"]
    return {"notices": list(item_notices_for(user=user)) if user.is_authenticated else []}
