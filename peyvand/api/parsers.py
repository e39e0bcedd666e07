"""The API's JSON parser: DRF's, with a body nested past what Python can read, or text no UTF-8 encoder
takes, refused as a bad body."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# "\ud800" is valid JSON but no character: a lone UTF-16 surrogate, which Python keeps in the str it reads.
SURROGATE = re.compile("[\ud800-\udfff]")


def _holds_surrogate(data: Any) -> bool:
    """Whether any key or text in the parsed body holds a lone surrogate (walked without recursion: the
    body may be as deep as the parser read)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class JSONParser(parsers.JSONParser):
    """``[[[[…]]]]`` nested a hundred thousand deep made ``json.loads`` raise ``RecursionError``: a 500.
    ``"\\ud800"`` (a lone surrogate) reached the forms, then the database or the problem document quoting it,
    and no UTF-8 encoder takes it: a 500 too."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        if _holds_surrogate(data):
            raise ParseError(_("The JSON body holds text that is not valid Unicode."))
        return data
