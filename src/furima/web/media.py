"""Serves the stored photos in development and the demo (`FURIMA_SERVE_MEDIA`).

Every photo file is a JPEG furima encoded itself, under a random name that is never reused,
so the answer may be cached for a year (`immutable`). In production the photos are better
served by the front server from `FURIMA_MEDIA_ROOT`, or by the S3 bucket or its CDN
(`FURIMA_MEDIA_STORAGE=s3`, which writes the same Cache-Control on every object) — then
this view is off and `MEDIA_URL` points there.
"""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def media(request, path: str):
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = settings.PHOTO_CACHE_CONTROL
    return response
