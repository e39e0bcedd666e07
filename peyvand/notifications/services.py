"""Writes of the notifications area: create notifications, deliver them, mark them read.

``notify`` is what every other app calls. The in-app row is written in the caller's transaction; e-mail
and SMS go out only after that transaction commits (nobody is told about something that was rolled
back), and a failing channel is logged, never raised — the in-app notification always lands.
Tests that look at ``mail.outbox`` or the SMS outbox wrap the call in
``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from peyvand.accounts.models import Membership, Organisation, User
from peyvand.core import permissions

from . import sms as sms_module
from .choices import NotificationKind
from .models import Notification

logger = logging.getLogger(__name__)

# (Persian, English); or a lazy string / a function returning text, rendered once in each language.
Bilingual = tuple[str, str] | Promise | Callable[[], str] | str

_LANGUAGES = ("fa", "en")
_TITLE_LENGTH = Notification._meta.get_field("title_fa").max_length


def _in_both_languages(text: Bilingual) -> tuple[str, str]:
    """(fa, en) of ``text``; a missing side takes the other one."""
    if isinstance(text, tuple):
        persian, english = (str(part or "").strip() for part in text)
    elif isinstance(text, Promise) or callable(text):
        rendered = []
        for language in _LANGUAGES:
            with translation.override(language):
                rendered.append(str(text() if callable(text) else text).strip())
        persian, english = rendered
    else:
        persian = english = str(text or "").strip()
    return persian or english, english or persian


def bilingual(message: Promise, **values: Any) -> tuple[str, str]:
    """(fa, en) of ``message`` % ``values``, for notifications stored in both languages.

    ``message`` is a lazy translation written at the call site (``gettext_lazy("… %(title)s")``), so it
    is in the catalogue; values are inserted as given, never translated — a callable value is called in
    each language (a date, a translated word).
    """
    if not isinstance(message, Promise):
        raise TypeError("write the message with gettext_lazy() at the call site, so it can be translated")
    rendered = []
    for language in _LANGUAGES:
        with translation.override(language):
            rendered.append(
                str(message) % {key: value() if callable(value) else value for key, value in values.items()}
            )
    return rendered[0], rendered[1]


def _recipients(users: Iterable[User] | User) -> list[User]:
    """Distinct active users, in the order given."""
    if isinstance(users, User):
        users = [users]
    seen: set[int] = set()
    recipients = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(user)
    return recipients


def notify(
    users: Iterable[User] | User,
    kind: str,
    *,
    title: Bilingual,
    body: Bilingual = ("", ""),
    url: str = "",
    email: bool = True,
    sms: bool = False,
    base_url: str = "",
) -> list[Notification]:
    """Notify each distinct active user once; e-mail (and text, when ``sms``) after commit.

    ``title``/``body`` are ``(fa, en)`` pairs — or a lazy string, or a function returning a string,
    which is rendered in both languages. ``url`` is a path on this site (``/sourcing/…``). ``base_url``
    (``https://peyvand.example.ir``) makes the link in e-mails and SMS absolute; without it the
    ``PEYVAND_SITE_URL`` setting is used when present, and the messages carry no link otherwise.
    """
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"notification links are paths on this site, got {url!r}")
    title_fa, title_en = (Truncator(part).chars(_TITLE_LENGTH) for part in _in_both_languages(title))
    if not title_fa:
        raise ValueError("a notification needs a title")
    body_fa, body_en = _in_both_languages(body)
    recipients = _recipients(users)
    notifications = Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=kind,
            title_fa=title_fa,
            title_en=title_en,
            body_fa=body_fa,
            body_en=body_en,
            url=url,
        )
        for user in recipients
    )
    for notification, user in zip(notifications, recipients, strict=True):
        notification.user = user  # deliveries read the user we were given, without a query
    if notifications and (email or sms):
        site = (base_url or getattr(settings, "PEYVAND_SITE_URL", "")).rstrip("/")
        transaction.on_commit(
            lambda: deliver(notifications, email=email, sms=sms, base_url=site), robust=True
        )
    return notifications


def notify_organisation(
    organisation: Organisation,
    kind: str,
    *,
    roles: Iterable[str] | None = None,
    **options: Any,
) -> list[Notification]:
    """``notify`` every active member of ``organisation`` (only those in ``roles`` when given)."""
    members = Membership.objects.filter(organisation=organisation, user__is_active=True)
    if roles is not None:
        members = members.filter(role__in=list(roles))
    users = User.objects.filter(pk__in=members.values("user_id")).order_by("pk")
    return notify(users, kind, **options)


def deliver(
    notifications: Iterable[Notification], *, email: bool = True, sms: bool = False, base_url: str = ""
) -> None:
    """Send the e-mails and SMS of ``notifications``; each failure is logged and the rest go on."""
    notifications = list(notifications)
    emailed: list[int] = []
    texted: list[int] = []
    sms_backend: sms_module.SMSBackend | None = None
    for notification in notifications:
        user = notification.user
        language = user.preferred_language or settings.LANGUAGE_CODE
        link = base_url + reverse("notifications:open", args=[notification.pk]) if base_url else ""
        with translation.override(language):
            title = " ".join(notification.display_title.split())  # a mail subject is one line
            if email and user.email:
                try:
                    _send_email(notification, user, title, link)
                    emailed.append(notification.pk)
                except Exception:
                    logger.exception("E-mail of notification %s to user %s failed", notification.pk, user.pk)
            if sms and user.phone:
                try:
                    sms_backend = sms_backend or sms_module.get_backend()
                    if sms_module.send_sms(
                        user.phone, "\n".join(filter(None, [title, link])), backend=sms_backend
                    ):
                        texted.append(notification.pk)
                except Exception:
                    logger.exception("SMS of notification %s to user %s failed", notification.pk, user.pk)
    if emailed:
        Notification.objects.filter(pk__in=emailed).update(emailed=True)
    if texted:
        Notification.objects.filter(pk__in=texted).update(texted=True)
    for notification in notifications:
        notification.emailed = notification.emailed or notification.pk in emailed
        notification.texted = notification.texted or notification.pk in texted


def _send_email(notification: Notification, user: User, title: str, link: str) -> None:
    context = {"user": user, "title": title, "body": notification.display_body, "link": link}
    send_mail(
        title,
        render_to_string("notifications/email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def mark_read(notification: Notification, user: Any) -> Notification:
    """Mark ``notification`` read by its recipient (a no-op when it already is)."""
    permissions.require(user, permissions.CHANGE, notification)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(user: Any) -> int:
    """Mark every unread notification of ``user`` read; the number marked."""
    return unread(user).update(read_at=timezone.now())


def unread(user: Any) -> models.QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count(user: Any) -> int:
    """The number under the bell: one query on the (user, read_at) index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread(user).count()


def ask_managers_to_approve(sender: Any, *, pending: Any, managers: Any, **kwargs: Any) -> None:
    """A membership awaits approval (``accounts.signals.membership_awaits_approval``): tell the managers."""
    notify(
        managers,
        "system",
        title=bilingual(
            gettext_lazy("A membership awaits your approval: %(organisation)s"),
            organisation=pending.organisation.name,
        ),
        body=bilingual(
            gettext_lazy(
                "%(user)s would hold a staff role and a client role at once; approve or refuse it on the organisation's page."
            ),
            user=pending.user.username,
        ),
        url=reverse("accounts:organisation_detail", args=[pending.organisation_id]),
    )
