"""Investors and the evidence behind their claims (team, prior plants, knowledge-based status)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user

from ..models import (
    Evidence,
    Investor,
)


def own_investor(user: Any) -> Investor | None:
    """The investor file of the user's investor organisation (None for staff and others)."""
    organisations = permissions.organisations(user, "investor")
    if not organisations:
        return None
    return Investor.objects.filter(organisation_id__in=organisations).order_by("pk").first()


@transaction.atomic
def save_investor(form: Any, *, by: Any) -> Investor:
    """Create or edit an investor file (staff of its company, or the investor's own members)."""
    investor = form.instance
    creating = investor.pk is None
    if creating:
        permissions.require(by, permissions.ADD, Investor)
    if not permissions.can(by, permissions.ADD if creating else permissions.CHANGE, investor):
        raise PermissionDenied
    changed = list(form.changed_data)
    investor = form.save()
    log_event(
        investor,
        "investment.investor.created" if creating else "investment.investor.updated",
        {"fields": changed},
        actor=_user(by),
    )
    return investor


@transaction.atomic
def add_evidence(investor: Investor, *, kind: str, description: str, file: Any, by: Any) -> Evidence:
    permissions.require(by, permissions.CHANGE, investor)
    evidence = Evidence.objects.create(investor=investor, kind=kind, description=description, file=file or "")
    log_event(
        investor,
        "investment.evidence.added",
        {"kind": kind, "description": description},
        actor=_user(by),
    )
    return evidence


@transaction.atomic
def check_evidence(evidence: Evidence, *, by: Any) -> Evidence:
    """Staff confirm a piece of evidence (it then counts in the technical-capacity criterion)."""
    permissions.require(by, permissions.REVIEW, evidence.investor)
    evidence.checked, evidence.checked_by, evidence.checked_at = True, _user(by), timezone.now()
    evidence.save(update_fields=["checked", "checked_by", "checked_at"])
    log_event(
        evidence.investor,
        "investment.evidence.checked",
        {"kind": evidence.kind, "description": evidence.description},
        actor=_user(by),
    )
    return evidence
