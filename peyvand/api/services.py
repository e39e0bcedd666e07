"""Every write on tokens: create (the raw key is returned once and never stored), revoke."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.core.audit import log_event

from .models import TOKEN_PREFIX, ApiToken, hash_token

MAX_DAYS = 365
MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_token(user: Any, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user`` valid ``days`` days; returns it with its raw key (shown once)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A token lasts between 1 and %(days)s days.") % {"days": MAX_DAYS})
    if ApiToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("You have too many active tokens: revoke one you no longer use."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=hash_token(raw),
        key_start=raw[:10],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    log_event(user, "api.token.created", {"name": token.name, "key_start": token.key_start}, actor=user)
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Any) -> None:
    """Stop ``token`` working now. Only its owner revokes it."""
    if token.user_id != getattr(by, "pk", None):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(by, "api.token.revoked", {"name": token.name, "key_start": token.key_start}, actor=by)


def authenticate_key(raw: str) -> ApiToken | None:
    """The active token with this raw key (its user loaded), or ``None``."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Recorded at most once a minute: a busy client does not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
