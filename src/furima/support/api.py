"""/api/v1/inquiries: a person's inquiries to support and the staff's answers (CONTRACT.md,
Additions). The same services as the help centre's pages."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.timezone import localtime
from ninja import Field, Router, Schema, Status

from furima.pagination import DEFAULT_LIMIT, paginate
from furima.schemas import ERRORS
from furima.support.models import Category, Inquiry
from furima.support.models import Status as InquiryStatus
from furima.support.selectors import inquiries_for_user, inquiry_get
from furima.support.services import BODY_MAX, SUBJECT_MAX, inquiry_create, inquiry_reply

router = Router(tags=["inquiries"])


class InquiryIn(Schema):
    category: Category
    subject: str = Field(..., min_length=1, max_length=SUBJECT_MAX)
    body: str = Field(..., min_length=1, max_length=BODY_MAX)
    trade_id: int | None = None


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=BODY_MAX)


class InquiryMessageOut(Schema):
    from_: str = Field(..., alias="from")
    body: str
    at: datetime


class InquiryOut(Schema):
    id: int
    category: str
    subject: str
    status: str
    trade_id: int | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime
    messages: list[InquiryMessageOut]


def inquiry_resource(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk,
        "category": inquiry.category,
        "subject": inquiry.subject,
        "status": inquiry.status,
        "trade_id": inquiry.trade_id,
        "created_at": localtime(inquiry.created_at),
        "updated_at": localtime(inquiry.updated_at),
        "due_at": localtime(inquiry.due_at),
        "messages": [
            {"from": m.sender, "body": m.body, "at": localtime(m.at)}
            for m in inquiry.messages.all()
        ],
    }


@router.post("/inquiries", response={201: InquiryOut, **ERRORS}, by_alias=True)
def inquiries_create(request, payload: InquiryIn):
    """Ask support; `trade_id` ties it to one of your trades."""
    inquiry = inquiry_create(
        user=request.user,
        category=payload.category.value,
        subject=payload.subject,
        body=payload.body,
        trade_id=payload.trade_id,
        language=request.LANGUAGE_CODE,
    )
    return Status(201, inquiry_resource(inquiry_get(inquiry_id=inquiry.pk, user=request.user)))


@router.get("/inquiries", response={200: list[InquiryOut], **ERRORS}, by_alias=True)
def inquiries_list(
    request,
    response: HttpResponse,
    status: InquiryStatus | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str = "",
):
    """Your inquiries, newest first (staff: everyone's), optionally of one `status`."""
    inquiries = inquiries_for_user(user=request.user, status=status.value if status else None)
    page = paginate(
        request, response, inquiries, ordering=("-created_at", "-id"), limit=limit, cursor=cursor
    )
    return [inquiry_resource(i) for i in page]


@router.get("/inquiries/{inquiry_id}", response={200: InquiryOut, **ERRORS}, by_alias=True)
def inquiries_detail(request, inquiry_id: int):
    return inquiry_resource(inquiry_get(inquiry_id=inquiry_id, user=request.user))


@router.post(
    "/inquiries/{inquiry_id}/messages", response={201: InquiryOut, **ERRORS}, by_alias=True
)
def inquiries_reply(request, inquiry_id: int, payload: MessageIn):
    """Write in the thread. A staff answer sets `answered`; yours reopens an answered one."""
    inquiry_reply(inquiry_id=inquiry_id, user=request.user, body=payload.body)
    return Status(201, inquiry_resource(inquiry_get(inquiry_id=inquiry_id, user=request.user)))
