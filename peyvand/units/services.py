"""Every write to units goes through here: permission check, one transaction, audit event.

The life cycle has one rule book (``choices.TRANSITIONS``) and one enforcer (``change_status``); the
unit's ``status`` is never written anywhere else, so it always equals the last ``StatusChange``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.choices import ClaimState
from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.jalali import format_date
from peyvand.matching.text import fold

from .choices import TRANSITIONS, StatusCause, UnitStatus
from .models import ClaimRequest, ProductionUnit, StatusChange


def allowed_next(status: str) -> list[str]:
    """Statuses a unit in ``status`` may move to, in the order of the life cycle."""
    targets = TRANSITIONS.get(status, frozenset())
    return [value for value in UnitStatus.values if value in targets]


def check_transition(from_status: str | None, to_status: str) -> None:
    """Raise ``ValidationError`` when the table does not allow ``from_status → to_status``."""
    if to_status not in UnitStatus.values:
        raise ValidationError(
            _("“%(status)s” is not a life-cycle status.") % {"status": to_status}, code="unknown"
        )
    if from_status is None:
        return
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise ValidationError(
            _("A unit cannot go from “%(from)s” to “%(to)s”.")
            % {"from": UnitStatus(from_status).label, "to": UnitStatus(to_status).label},
            code="transition",
        )


def refresh_search_text(unit: ProductionUnit) -> None:
    """Recompute the folded search text after products change (name and description are folded on save)."""
    unit.search_text = fold(unit.search_source())
    ProductionUnit.objects.filter(pk=unit.pk).update(search_text=unit.search_text)


@transaction.atomic
def register_unit(
    unit: ProductionUnit,
    *,
    status: str,
    since: dt.date,
    by: Any,
    cause: str = StatusCause.INITIAL,
    note: str = "",
    check_permission: bool = True,
) -> ProductionUnit:
    """Create ``unit`` with the initial record of its history (from: none)."""
    if check_permission:
        permissions.require(by, permissions.ADD, ProductionUnit)
        permissions.require(by, permissions.CHANGE, unit.estate)
    check_transition(None, status)
    if since > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    unit.status = status
    unit.status_since = since
    unit.save()
    StatusChange.objects.create(
        unit=unit, from_status=None, to_status=status, date=since, cause=cause, note=note, by=_user(by)
    )
    log_event(unit, "units.unit.registered", {"status": status, "since": since.isoformat()}, actor=_user(by))
    return unit


@transaction.atomic
def change_status(
    unit: ProductionUnit,
    to_status: str,
    *,
    date: dt.date,
    cause: str,
    by: Any,
    note: str = "",
    check_permission: bool = True,
) -> StatusChange:
    """Move ``unit`` along its life cycle, dated, with a cause; the one place status changes."""
    if check_permission:
        permissions.require(by, permissions.CHANGE_STATUS, unit)
    locked = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    check_transition(locked.status, to_status)
    if cause not in StatusCause.values or cause == StatusCause.INITIAL:
        raise ValidationError(_("Choose the cause of this change."), code="cause")
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if locked.status_since and date < locked.status_since:
        raise ValidationError(
            _("The date cannot be before the current status began (%(since)s).")
            % {"since": format_date(locked.status_since)},
            code="order",
        )
    change = StatusChange.objects.create(
        unit=locked,
        from_status=locked.status,
        to_status=to_status,
        date=date,
        cause=cause,
        note=note,
        by=_user(by),
    )
    ProductionUnit.objects.filter(pk=locked.pk).update(status=to_status, status_since=date)
    unit.status, unit.status_since = to_status, date
    log_event(
        unit,
        "units.status.changed",
        {"from": change.from_status, "to": to_status, "date": date.isoformat(), "cause": cause, "note": note},
        actor=_user(by),
    )
    return change


@transaction.atomic
def update_profile(unit: ProductionUnit, form: Any, *, by: Any) -> ProductionUnit:
    """Save a profile form (staff or the unit's own representatives) and log what changed."""
    permissions.require(by, permissions.CHANGE, unit)
    changed = list(form.changed_data)
    unit = form.save()
    refresh_search_text(unit)
    if changed:
        log_event(unit, "units.profile.updated", {"fields": changed}, actor=_user(by))
    return unit


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def request_claim(
    unit: ProductionUnit, user: Any, *, position: str, evidence: str, evidence_file: Any = None
) -> ClaimRequest:
    """A person asks to represent ``unit``; staff of the unit's estate company review it."""
    if not getattr(user, "is_authenticated", False):
        raise permissions.PermissionDenied
    if unit.organisation_id and unit.organisation.memberships.filter(user=user).exists():
        raise ValidationError(_("You already represent this unit."), code="member")
    if ClaimRequest.objects.filter(unit=unit, user=user, state=ClaimState.PENDING).exists():
        raise ValidationError(
            _("You already asked to represent this unit; the estate company is reviewing it."), code="pending"
        )
    claim = ClaimRequest.objects.create(
        unit=unit, user=user, position=position, evidence=evidence, evidence_file=evidence_file or ""
    )
    log_event(unit, "units.claim.requested", {"user": user.username, "position": position}, actor=user)
    return claim


@transaction.atomic
def review_claim(claim: ClaimRequest, *, approve: bool, by: Any, note: str = "") -> ClaimRequest:
    """Approve (the claimant becomes the unit's representative) or reject a pending claim."""
    from peyvand.accounts.models import Organisation
    from peyvand.accounts.services import add_membership

    permissions.require(by, permissions.REVIEW, claim)
    locked = ClaimRequest.objects.select_for_update().select_related("unit", "user").get(pk=claim.pk)
    if locked.state != ClaimState.PENDING:
        raise ValidationError(_("This claim was already decided."), code="decided")
    locked.state = ClaimState.APPROVED if approve else ClaimState.REJECTED
    locked.decision_note = note
    locked.reviewed_by = _user(by)
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["state", "decision_note", "reviewed_by", "reviewed_at"])
    unit = locked.unit
    if approve:
        if unit.organisation_id is None:
            organisation = Organisation.objects.create(
                kind="production_unit",
                name=unit.name,
                name_en=unit.name_en,
                company_id=unit.estate.company_id,
            )
            ProductionUnit.objects.filter(pk=unit.pk).update(organisation=organisation)
            unit.organisation = organisation
        has_admin = unit.organisation.memberships.filter(role="admin").exists()
        add_membership(unit.organisation, locked.user, "editor" if has_admin else "admin", by=by, via="claim")
    log_event(
        unit,
        "units.claim.approved" if approve else "units.claim.rejected",
        {"user": locked.user.username, "note": note},
        actor=_user(by),
    )
    return locked
