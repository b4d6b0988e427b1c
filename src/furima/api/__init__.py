"""The HTTP API (django-ninja), versioned under /api/v1/.

One `NinjaAPI` object; each app keeps its own router in `<app>/api.py`. Every error leaves
as `{"error": CODE, "detail": TEXT}` with a 4xx status, mapped in one place (`errors.py`),
including ninja's own validation, authentication and 404 errors.
"""
