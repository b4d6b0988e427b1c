"""Writes to inquiries. One call = one transaction, the inquiry row locked first; each new
message tells the other side through the notification outbox in the same transaction.

Who may do what lives here, so the web pages and the API answer alike: a person sees and
writes only in their own inquiries (anyone else's is "not found"); staff see all and answer.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from furima import clock
from furima.errors import FurimaError
from furima.notify.services import notice_send, recipient_language
from furima.support.models import Category, Inquiry, InquiryMessage, Sender, Status
from furima.support.sla import inquiry_due_at
from furima.trades.errors import NotFound, Unauthenticated
from furima.trades.models import Trade
from furima.trades.staff import STAFF_INQUIRY_ANSWER, STAFF_INQUIRY_STATUS, trade_staff_note

SUBJECT_MAX = 200
BODY_MAX = 5000
VERIFY_SALT = "furima.support.inquiry-verify"


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_staff_of(user, inquiry: Inquiry) -> bool:
    """Staff answer as staff, except in an inquiry of their own."""
    return user.is_staff and inquiry.user_id != user.pk


def _clean_text(value, *, name: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FurimaError(f"{name} is empty", code="invalid_input")
    value = value.strip()
    if len(value) > limit:
        raise FurimaError(f"{name} is longer than {limit} characters", code="invalid_input")
    return value


def inquiry_create(
    *,
    user,
    category: str,
    subject: str,
    body: str,
    trade_id: int | None = None,
    email: str = "",
    language: str | None = None,
) -> Inquiry:
    """A new inquiry with its first message. Signed in: tied to the account and, if given,
    to one of the caller's trades. Anonymous: `email` is required and mailed a verification
    link; the inquiry reaches the staff queue once the address is verified."""
    if category not in Category.values:
        raise FurimaError(f"unknown category {category!r}", code="invalid_input")
    subject = _clean_text(subject, name="subject", limit=SUBJECT_MAX)
    body = _clean_text(body, name="body", limit=BODY_MAX)
    signed_in = _signed_in(user)
    if not signed_in:
        if trade_id is not None:
            raise Unauthenticated("sign in to ask about a trade")
        try:
            validate_email(email)
        except ValidationError:
            raise FurimaError(
                "give an e-mail address we can answer", code="invalid_input"
            ) from None
    language = language or settings.LANGUAGE_CODE
    with transaction.atomic():
        now = clock.now()
        trade = _own_trade(trade_id, user) if trade_id is not None else None
        inquiry = Inquiry.objects.create(
            user=user if signed_in else None,
            email="" if signed_in else email.strip(),
            verified_at=now if signed_in else None,
            trade=trade,
            category=category,
            subject=subject,
            language=language,
            created_at=now,
            updated_at=now,
            due_at=inquiry_due_at(now),
        )
        InquiryMessage.objects.create(
            inquiry=inquiry,
            sender=Sender.USER,
            author=user if signed_in else None,
            body=body,
            at=now,
        )
        if signed_in:
            _tell_staff(inquiry, key=f"inquiry-new:{inquiry.pk}", body=body)
        else:
            _mail_verification(inquiry)
    return inquiry


def _own_trade(trade_id, user) -> Trade:
    """A trade the caller is party to (staff included: an inquiry is about one's own trade)."""
    trade = Trade.objects.filter(pk=trade_id).first() if isinstance(trade_id, int) else None
    if trade is None or trade.role_of(user) is None:
        raise NotFound(f"you have no trade {trade_id}")
    return trade


def inquiry_verification_token(inquiry: Inquiry) -> str:
    """A signed token naming the inquiry and the address, and when it was issued by furima's
    clock (not the signer's own timestamp, which reads the system time and so could not be
    moved by the demo clock or the tests)."""
    claim = {"inquiry": inquiry.pk, "email": inquiry.email, "at": int(clock.now().timestamp())}
    return signing.dumps(claim, salt=VERIFY_SALT)


def inquiry_verify(*, token: str) -> Inquiry:
    """The mailed link was followed: the address is the sender's. Tie the inquiry to the
    account with that address (if exactly one active account has it) and start its SLA.
    Following the link again changes nothing."""
    try:
        claim = signing.loads(token, salt=VERIFY_SALT)
    except signing.BadSignature:
        raise FurimaError("this link is not valid", code="invalid_input") from None
    if not isinstance(claim, dict) or not isinstance(claim.get("at"), int):
        raise FurimaError("this link is not valid", code="invalid_input")
    inquiry_id = claim.get("inquiry")
    if not isinstance(inquiry_id, int):  # what the link was made with (filter(pk=None): none)
        raise FurimaError("this link is not valid", code="invalid_input")
    max_age = timedelta(hours=settings.FURIMA_INQUIRY_VERIFY_HOURS).total_seconds()
    if clock.now().timestamp() - claim["at"] > max_age:
        raise FurimaError("this link has expired; send the inquiry again", code="invalid_input")
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().filter(pk=inquiry_id).first()
        if inquiry is None or inquiry.email != claim.get("email"):
            raise FurimaError("this link is not valid", code="invalid_input")
        if inquiry.verified_at is not None:
            return inquiry
        now = clock.now()
        accounts = list(
            get_user_model().objects.filter(email__iexact=inquiry.email, is_active=True)[:2]
        )
        if len(accounts) == 1:
            inquiry.user = accounts[0]
        inquiry.verified_at = now
        inquiry.due_at = inquiry_due_at(now)
        inquiry.updated_at = now
        inquiry.save(update_fields=["user", "verified_at", "due_at", "updated_at"])
        first = inquiry.messages.order_by("at", "id").first()
        if first is not None and inquiry.user_id is not None:
            InquiryMessage.objects.filter(pk=first.pk).update(author=inquiry.user)
        _tell_staff(inquiry, key=f"inquiry-new:{inquiry.pk}", body=first.body if first else "")
    return inquiry


def inquiry_reply(*, inquiry_id: int, user, body: str) -> InquiryMessage:
    """A new message in the thread. From staff it answers (`answered`); from the person it
    asks again (an answered or closed inquiry is back `in_progress`, with a new SLA)."""
    if not _signed_in(user):
        raise Unauthenticated("sign in to write in an inquiry")
    body = _clean_text(body, name="body", limit=BODY_MAX)
    with transaction.atomic():
        _log_on_trade(inquiry_id, user, STAFF_INQUIRY_ANSWER)
        inquiry = _lock(inquiry_id, user)
        now = clock.now()
        from_staff = _is_staff_of(user, inquiry)
        message = InquiryMessage.objects.create(
            inquiry=inquiry,
            sender=Sender.STAFF if from_staff else Sender.USER,
            author=user,
            body=body,
            at=now,
        )
        fields = ["status", "updated_at"]
        if from_staff:
            inquiry.status = Status.ANSWERED
            if inquiry.assignee_id is None:
                inquiry.assignee = user
                fields.append("assignee")
        elif inquiry.status in (Status.ANSWERED, Status.CLOSED):
            inquiry.status = Status.IN_PROGRESS
            inquiry.due_at = inquiry_due_at(now)
            fields.append("due_at")
        inquiry.updated_at = now
        inquiry.save(update_fields=fields)
        key = f"inquiry-message:{message.pk}"
        if from_staff:
            _tell_person(inquiry, key=key, body=body)
        else:
            _tell_staff(inquiry, key=key, body=body)
    return message


def inquiry_set_status(*, inquiry_id: int, user, status: str) -> Inquiry:
    """Staff take an inquiry (`in_progress`, assigned to them) or close it (`closed`)."""
    if not _signed_in(user):
        raise Unauthenticated("sign in first")
    if status not in (Status.IN_PROGRESS, Status.CLOSED):
        raise FurimaError("staff set an inquiry in_progress or closed", code="invalid_input")
    with transaction.atomic():
        _log_on_trade(inquiry_id, user, STAFF_INQUIRY_STATUS, status=str(status))
        inquiry = _lock(inquiry_id, user)
        if not _is_staff_of(user, inquiry):
            raise NotFound(f"there is no inquiry {inquiry_id}")
        inquiry.status = status
        inquiry.updated_at = clock.now()
        if status == Status.IN_PROGRESS:
            inquiry.assignee = user
        inquiry.save(update_fields=["status", "updated_at", "assignee"])
    return inquiry


def _log_on_trade(inquiry_id, user, action: str, **data) -> None:
    """A staff step on an inquiry tied to a trade goes in the trade's event log too, with
    the staff member's name (`trades.staff`). Written first, so the trade row is locked
    before the inquiry row, in the order every trade service uses; the inquiry's trade and
    person never change once it exists, so reading them unlocked is safe. Staff who are a
    party to the trade are refused, as for every operator step."""
    try:
        row = Inquiry.objects.filter(pk=inquiry_id).values("trade_id", "user_id", "subject").first()
    except (ValueError, TypeError):
        return  # not an inquiry id: `_lock` says so
    if row is None or row["trade_id"] is None or not user.is_staff or row["user_id"] == user.pk:
        return
    data = {"inquiry": int(inquiry_id), "subject": row["subject"], **data}
    trade_staff_note(trade_id=row["trade_id"], user=user, action=action, data=data)


def _lock(inquiry_id, user) -> Inquiry:
    try:
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("user", "assignee")
            .get(pk=inquiry_id)
        )
    except (Inquiry.DoesNotExist, ValueError, TypeError):
        inquiry = None
    if inquiry is None or not (user.is_staff or inquiry.user_id == user.pk):
        raise NotFound(f"there is no inquiry {inquiry_id}")
    return inquiry


# ------------------------------------------------------------------ notices


def _tell_person(inquiry: Inquiry, *, key: str, body: str) -> None:
    """Mail and in-app notice to the person who asked: staff answered."""
    recipient = inquiry.user if inquiry.user_id is not None else None
    language = recipient_language(recipient) if recipient is not None else inquiry.language
    path = f"/help/inquiries/{inquiry.pk}/"
    notice_send(
        key=key,
        recipient=recipient,
        address=inquiry.email,
        language=language,
        templates=("support/mail/answered_subject.txt", "support/mail/answered_body.txt"),
        context=lambda: {"inquiry": inquiry, "body": body, "path": path},
        link=path,
    )


def _tell_staff(inquiry: Inquiry, *, key: str, body: str) -> None:
    """The staff member who took the inquiry (mail and in-app), else the support mailbox."""
    assignee = inquiry.assignee if inquiry.assignee_id is not None else None
    if assignee is None and not settings.FURIMA_SUPPORT_MAIL:
        return  # nobody to mail: the desk's queue shows it
    path = f"/support/inquiries/{inquiry.pk}/"
    notice_send(
        key=key,
        recipient=assignee,
        address=settings.FURIMA_SUPPORT_MAIL,
        language=settings.LANGUAGE_CODE,
        templates=("support/mail/staff_subject.txt", "support/mail/staff_body.txt"),
        context=lambda: {"inquiry": inquiry, "body": body, "path": path},
        link=path,
    )


def _mail_verification(inquiry: Inquiry) -> None:
    path = f"/help/verify/{inquiry_verification_token(inquiry)}/"
    notice_send(
        key=f"inquiry-verify:{inquiry.pk}",
        address=inquiry.email,
        language=inquiry.language,
        templates=("support/mail/verify_subject.txt", "support/mail/verify_body.txt"),
        context=lambda: {
            "inquiry": inquiry,
            "path": path,
            "hours": settings.FURIMA_INQUIRY_VERIFY_HOURS,
        },
        link=path,
    )
