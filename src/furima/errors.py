"""One error hierarchy for everything a user can get wrong.

`FurimaError(code, detail)` is raised by services and command-line parsing alike; the API
maps it once to ``{"error": CODE, "detail": TEXT}`` with a 4xx status and the CLI maps it
once to exit status 2 with one line on stderr.
"""

from __future__ import annotations


class FurimaError(Exception):
    code = "invalid_input"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
