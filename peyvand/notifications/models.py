"""Notifications: one row per message to one person, stored in both languages so each reads their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali
from peyvand.core.permissions import CHANGE, VIEW, Gate

from .choices import NotificationKind


class Notification(models.Model):
    """A message to one user: shown under the bell, and sent by e-mail or SMS when the sender asks.

    Personal rows: only the recipient sees them and marks them read (``gate.personal``).
    """

    gate = Gate(kind="notification", personal=("user",), personal_actions=frozenset({VIEW, CHANGE}))

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=NotificationKind.choices, default=NotificationKind.SYSTEM
    )
    title_fa = models.CharField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fa = models.TextField(_("text (Persian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True, help_text=_("A path on this site."))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)
    texted = models.BooleanField(_("sent by SMS"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_user_created_idx"),
        ]
        constraints = [
            # Only paths on this site: the "open" view must never become an open redirect.
            models.CheckConstraint(
                condition=Q(url="") | (Q(url__startswith="/") & ~Q(url__startswith="//")),
                name="notification_url_is_local_path",
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the active language (the other language when this one is missing)."""
        return _pick(self.title_fa, self.title_en)

    @property
    def display_body(self) -> str:
        return _pick(self.body_fa, self.body_en)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def _pick(persian: str, english: str) -> str:
    if jalali.is_persian():
        return persian or english
    return english or persian
