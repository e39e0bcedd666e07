"""Who a sourcing write tells: the company's officers, an organisation's members, in both languages."""

from __future__ import annotations

from typing import Any

from ..models import SourcingRequest


def notify_users(users: Any, kind: str, title: Any, body: Any, url: str, sms: bool = False) -> None:
    from peyvand.notifications.services import notify

    notify(users, kind, title=title, body=body, url=url, sms=sms)


def in_both_languages(message: Any, **values: Any) -> tuple[str, str]:
    """A lazy message in Persian and English (notifications are stored in both languages)."""
    from peyvand.notifications.services import bilingual

    return bilingual(message, **values)


def officers_of(request: SourcingRequest) -> list[Any]:
    """The linkage officers (and managers) of the estate company brokering ``request``."""
    from peyvand.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=request.company,
            memberships__role__in=["linkage_officer", "manager"],
        ).distinct()
    )


def members_of(organisation: Any) -> list[Any]:
    if organisation is None:
        return []
    return [
        membership.user
        for membership in organisation.memberships.select_related("user")
        if membership.user.is_active
    ]
