"""The SMS channel: a small backend interface, a console backend for development and one for tests.

A deployment plugs in its gateway by naming a class with a ``send(phone, text)`` method in
``PEYVAND_SMS_BACKEND``. Numbers reach a backend already normalised to ``09xxxxxxxxx``; anything that
is not an Iranian mobile number is refused quietly (logged) by ``send_sms``.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from peyvand.matching.text import to_ascii_digits

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "peyvand.notifications.sms.ConsoleSMSBackend"


class SMSBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send ``text`` to ``phone`` (normalised ``09xxxxxxxxx``); raise on failure."""


@dataclass(frozen=True)
class SMSMessage:
    phone: str
    text: str


# Messages "sent" by LocMemSMSBackend, in order (tests read and clear it).
outbox: list[SMSMessage] = []


class ConsoleSMSBackend:
    """Development: prints each message to stdout (and logs it), so nothing leaves the machine."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, phone: str, text: str) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"----- SMS to {phone} -----\n{text}\n{'-' * 31}\n")
        stream.flush()
        logger.info("SMS to %s: %s", phone, text)


class LocMemSMSBackend:
    """Tests: keeps every message in ``peyvand.notifications.sms.outbox``."""

    def send(self, phone: str, text: str) -> None:
        outbox.append(SMSMessage(phone=phone, text=text))


def get_backend() -> SMSBackend:
    """An instance of the backend named by ``settings.PEYVAND_SMS_BACKEND`` (console by default)."""
    path = getattr(settings, "PEYVAND_SMS_BACKEND", "") or DEFAULT_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"PEYVAND_SMS_BACKEND cannot be imported: {path!r} ({exc})") from None
    return backend_class()


# Separators people type inside numbers, and the invisible direction marks pasted from RTL text.
_NOISE = re.compile(r"[\s\-–.()/\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MOBILE = re.compile(r"09[0-9]{9}")


def normalise_phone(raw: str | None) -> str | None:
    """An Iranian mobile number as ``09xxxxxxxxx``, or ``None`` when ``raw`` is not one.

    Accepts Persian and Arabic-Indic digits and the forms ``+98 912…``, ``0098912…``, ``98912…``,
    ``912…`` and ``0912…``, with spaces, dashes, dots or brackets between the digits.
    """
    if not raw:
        return None
    text = _NOISE.sub("", to_ascii_digits(str(raw)))
    for prefix in ("+98", "0098"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        if text.startswith("98") and len(text) == 12:
            text = text[2:]
    text = "0" + text.removeprefix("0")  # "+98 (0)912…", "0912…" and "912…" alike
    return text if _MOBILE.fullmatch(text) else None


def send_sms(phone: str, text: str, *, backend: SMSBackend | None = None) -> bool:
    """Send ``text`` to ``phone`` after normalising it. ``False`` (logged) for an invalid number;
    errors of the backend itself propagate to the caller."""
    number = normalise_phone(phone)
    if number is None:
        logger.warning("SMS not sent: %r is not an Iranian mobile number", phone)
        return False
    (backend or get_backend()).send(number, text)
    return True
