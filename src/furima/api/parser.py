"""The API's JSON parser: Python's, plus a refusal of NUL characters anywhere in the body.

PostgreSQL cannot store a NUL in text, so a `"\\u0000"` in any string (or key) would
otherwise reach the database as a 500. Ninja turns a parser's exception into a 400; the
`FurimaError` it carries gives the answer its code and detail (`furima.api.errors`).
"""

from __future__ import annotations

import json

from ninja.parser import Parser

from furima.errors import FurimaError

NUL = "\x00"


def _refuse_nul(value, where: str = "body") -> None:
    if isinstance(value, str):
        if NUL in value:
            raise FurimaError(f"{where} contains a NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, f"{key}" if where == "body" else f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, f"{where}[{index}]")


class JsonParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        _refuse_nul(data)
        return data
