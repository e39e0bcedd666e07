"""The rules of a registry's identifiers and addresses, each written once: a form, a service, an importer
and the API clean a company national ID, an e-mail or a website with the same function, so the same bad
value is refused in the same words through every door (issue 19).

Each ``clean_*`` takes what was typed (any digit set, spaces, a missing scheme), returns the stored form
("" or ``None`` for nothing) and raises ``ValidationError`` whose message names the value. They are
idempotent: a stored value passes unchanged.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from peyvand.matching.text import normalize, to_ascii_digits

EMAIL_LENGTH = 254  # Django's EmailField
WEBSITE_LENGTH = 200  # Django's URLField

_NATIONAL_ID_SEPARATORS = re.compile(r"[\s\-_.,،\u200c\u200e\u200f]")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)


def _typed(value: Any) -> str:
    """A typed value as text, as typed (messages name it so); a whole float from a sheet loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _too_long(text: str, max_length: int) -> None:
    if len(text) > max_length:
        raise ValidationError(
            _("The text is %(length)d characters long; at most %(max)d fit here."),
            code="max_length",
            params={"length": len(text), "max": max_length},
        )


def clean_national_id(value: Any) -> str | None:
    """A company's national ID: 11 digits, typed with any digit set, spaces or dashes; ``None`` for none."""
    typed = _typed(value)
    digits = _NATIONAL_ID_SEPARATORS.sub("", to_ascii_digits(typed))
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 11:
        raise ValidationError(
            _("“%(value)s” is not a company national ID: it has 11 digits."),
            code="national_id",
            params={"value": typed},
        )
    return digits


def clean_email(value: Any) -> str:
    """An e-mail address, lower case; "" for none. Its length is the stored one: normalising unfolds a
    presentation-form ligature ("ﻻ", one character) into its letters, past the column's 254."""
    typed = _typed(value)
    email = normalize(typed).lower()
    _too_long(email, EMAIL_LENGTH)
    if email:
        EmailValidator(_("“%(value)s” is not an e-mail address."), code="email")(email)
    return email


def clean_website(value: Any) -> str:
    """A web address; one typed without its scheme (``example.ir``) is read as ``https://example.ir``."""
    typed = _typed(value)
    url = normalize(typed)
    if not url:
        return ""
    url = url if _SCHEME.match(url) else "https://" + url
    _too_long(url, WEBSITE_LENGTH)
    try:
        URLValidator()(url)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a web address."), code="website", params={"value": typed}
        ) from None
    if "@" in urlsplit(url).netloc:
        # «https://bank.ir@evil.example» shows a trusted name and opens another site: a unit's public
        # profile links it, so an address with a user part is refused.
        raise ValidationError(
            _("“%(value)s” hides the site it opens behind a name before “@”; type the site's address only."),
            code="website",
            params={"value": typed},
        )
    return url
