"""The user's notification preferences and the inbox's "mark as read"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from furima.notify.forms import PreferencesForm
from furima.notify.models import MailKind
from furima.notify.selectors import notification_settings_get
from furima.notify.services import (
    inbox_mark_one_read,
    inbox_mark_read,
    inbox_mark_step_read,
    notification_settings_save,
)
from furima.web.middleware import SESSION_KEY


@login_required
def preferences(request):
    current = notification_settings_get(user=request.user)
    initial = {
        "mails": [kind for kind in MailKind.values if kind not in current.mail_off],
        "language": current.language or translation.get_language() or settings.LANGUAGE_CODE,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        notification_settings_save(
            user=request.user,
            mail_on=form.cleaned_data["mails"],
            language=language,
        )
        translation.activate(language)
        request.session[SESSION_KEY] = language
        messages.success(request, _("Your notification settings were saved."))
        response = redirect("notify:preferences")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    return render(
        request,
        "notify/preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mark_read(request):
    inbox_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("mypage")


@login_required
@require_POST
def mark_one_read(request, notice_id: int):
    """One notice marked read; someone else's notice, or none, is a 404."""
    if not inbox_mark_one_read(user=request.user, notice_id=notice_id):
        raise Http404
    return redirect(f"{reverse('mypage')}#notifications")


@login_required
@require_POST
def mark_step_read(request, event_id: int):
    """One trade step's line marked read; a step not in the user's inbox is a 404."""
    if not inbox_mark_step_read(user=request.user, event_id=event_id):
        raise Http404
    return redirect(f"{reverse('mypage')}#notifications")
