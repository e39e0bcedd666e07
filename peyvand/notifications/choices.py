"""Codes of the notifications area: what a notification is about."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours(
    {
        "invitation": "primary",
        "response": "success",
        "reminder": "warning",
        "silence": "danger",
        "claim": "info",
        "gap_rematch": "info",
        "linkage": "success",
        "request": "primary",
        "system": "secondary",
    }
)
class NotificationKind(BadgeColour, models.TextChoices):
    INVITATION = "invitation", _("invitation")
    RESPONSE = "response", _("response")
    REMINDER = "reminder", _("reminder")
    SILENCE = "silence", _("no answer")
    CLAIM = "claim", _("claim")
    GAP_REMATCH = "gap_rematch", _("gap re-matched")
    LINKAGE = "linkage", _("linkage")
    REQUEST = "request", _("sourcing request")
    SYSTEM = "system", _("system")
