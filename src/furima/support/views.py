"""The help centre (public) and a person's inquiries: thin views over `help`, the selectors
and the services. Every form is a plain post that works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.errors import FurimaError
from furima.support.forms import TRADES_IN_PICKER, InquiryForm, ReplyForm
from furima.support.help import article_get, articles_search, help_centre, reader_facts
from furima.support.models import Category
from furima.support.selectors import inquiries_for_user, inquiry_get
from furima.support.services import inquiry_create, inquiry_reply, inquiry_verify
from furima.trades.errors import NotFound
from furima.trades.selectors import trades_for_user


def _language() -> str:
    return (get_language() or "ja").split("-")[0]


def help_index(request):
    query = request.GET.get("q", "").strip()
    results = articles_search(query=query, language=_language()) if query else None
    return render(
        request,
        "support/help_index.html",
        {"categories": help_centre(_language()), "query": query, "results": results},
    )


def help_article(request, slug: str):
    found = article_get(slug=slug, language=_language())
    if found is None:
        raise Http404
    category, article = found
    return render(
        request,
        "support/help_article.html",
        {
            "category": category,
            "article": article,
            "facts": reader_facts(user=request.user, facts=article.facts),
        },
    )


def _picker_trades(user):
    if not user.is_authenticated:
        return []
    return list(trades_for_user(user=user).order_by("-purchased_at", "-id")[:TRADES_IN_PICKER])


def inquiry_new(request):
    """The inquiry form, prefilled from the link that opened it (「解決しましたか？」→「いいえ」
    passes the article's category, and the trade when asked from a trade screen)."""
    trades = _picker_trades(request.user)
    if request.method == "POST":
        form = InquiryForm(request.POST, user=request.user, trades=trades)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inquiry = inquiry_create(
                    user=request.user,
                    category=data["category"],
                    subject=data["subject"],
                    body=data["body"],
                    trade_id=data.get("trade"),
                    email=data.get("email", ""),
                    language=_language(),
                )
            except FurimaError as error:
                form.add_error(None, error.detail)
            else:
                if request.user.is_authenticated:
                    messages.success(request, _("Thank you. Support will answer here."))
                    return redirect("help:inquiry", inquiry.pk)
                return render(request, "support/inquiry_check_mail.html", {"inquiry": inquiry})
        return render(request, "support/inquiry_form.html", {"form": form}, status=400)
    initial = {}
    if request.GET.get("category") in Category.values:
        initial["category"] = request.GET["category"]
    if request.GET.get("trade", "").isdigit():
        initial["trade"] = int(request.GET["trade"])
    article = article_get(slug=request.GET.get("article", ""), language=_language())
    if article is not None:
        initial.setdefault("category", article[0].inquiry)
        initial["subject"] = article[1].title
    form = InquiryForm(initial=initial, user=request.user, trades=trades)
    return render(request, "support/inquiry_form.html", {"form": form})


def inquiry_verify_view(request, token: str):
    try:
        inquiry = inquiry_verify(token=token)
    except FurimaError as error:
        return render(request, "support/inquiry_verified.html", {"error": error.detail}, status=400)
    return render(request, "support/inquiry_verified.html", {"inquiry": inquiry})


@login_required
def inquiry_list(request):
    inquiries = inquiries_for_user(user=request.user).filter(user=request.user)[:100]
    return render(request, "support/inquiry_list.html", {"inquiries": inquiries})


@login_required
def inquiry_detail(request, inquiry_id: int, form: ReplyForm | None = None, status: int = 200):
    try:
        inquiry = inquiry_get(inquiry_id=inquiry_id, user=request.user)
    except NotFound:
        raise Http404 from None
    if inquiry.user_id != request.user.pk:
        return redirect("support:inquiry", inquiry.pk)  # staff answer from the desk
    context = {"inquiry": inquiry, "form": form or ReplyForm()}
    return render(request, "support/inquiry_detail.html", context, status=status)


@login_required
@require_POST
def inquiry_reply_view(request, inquiry_id: int):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return inquiry_detail(request, inquiry_id, form=form, status=400)
    try:
        inquiry_reply(inquiry_id=inquiry_id, user=request.user, body=form.cleaned_data["body"])
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Sent."))
    return redirect("help:inquiry", inquiry_id)
