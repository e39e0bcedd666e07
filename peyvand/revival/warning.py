"""Early warning: a transparent score of signals that a unit in production may stop.

Each signal has a fixed weight, shown beside it on every page; a unit's score is the sum of the weights
of the signals it shows, and a unit is "at risk" from ``AT_RISK_SCORE``. One query per signal over all
the units assessed (never one per unit); the result is stored (``RiskAssessment``) by the weekly job so
that the list pages read one table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peyvand.sourcing.choices import InvitationState
from peyvand.sourcing.models import Linkage, SupplierInvitation
from peyvand.units.choices import PRODUCING, UnitStatus
from peyvand.units.models import ProductionUnit, StatusChange

from .models import RiskAssessment

AT_RISK_SCORE = 40
FALLING_SHARE = 0.10  # employees down by at least a tenth within a year


@dataclass(frozen=True)
class Signal:
    code: str
    label: str | Promise
    weight: int
    known: bool = True  # False: no source in the registry yet (shown, never scored)


SIGNALS = [
    Signal("semi_active", _("semi-active now"), 25),
    Signal("was_idle", _("idle at some time in the last three years"), 20),
    Signal("falling_employees", _("employees fell by a tenth or more in the last 12 months"), 20),
    Signal("silent_invitations", _("left an invitation to quote unanswered in the last 12 months"), 15),
    Signal("no_bridge_activity", _("no quote and no linkage in the last 18 months"), 10),
    Signal("stale_profile", _("profile not updated for a year"), 10),
    Signal(
        "debts", _("overdue instalments or utility debts (not yet recorded in the registry)"), 20, known=False
    ),
]
BY_CODE = {signal.code: signal for signal in SIGNALS}


def _falling_employees(unit_ids: set[int], since: dt.datetime) -> set[int]:
    """Units whose head count went down by ``FALLING_SHARE`` or more over the year (field-level audit)."""
    from auditlog.models import LogEntry

    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ProductionUnit), timestamp__gte=since
        )
        .filter(changes__has_key="employees")
        .order_by("timestamp", "id")
        .values_list("object_pk", "changes")
    )
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for object_pk, changes in entries:
        unit_id = int(object_pk)
        if unit_id not in unit_ids:
            continue
        old, new = (changes or {}).get("employees", [None, None])
        try:
            old_value, new_value = int(old), int(new)
        except (TypeError, ValueError):
            continue
        first.setdefault(unit_id, old_value)
        last[unit_id] = new_value
    return {
        unit_id
        for unit_id, before in first.items()
        if before > 0 and (before - last[unit_id]) / before >= FALLING_SHARE
    }


def assess(units: QuerySet, today: dt.date | None = None) -> dict[int, tuple[int, list[dict]]]:
    """{unit id: (score, signals)} for the units in production among ``units``."""
    today = today or timezone.localdate()
    year_ago = today - dt.timedelta(days=365)
    rows = list(units.filter(status__in=PRODUCING).values_list("pk", "status", "updated_at"))
    ids = {pk for pk, _status, _updated in rows}
    if not ids:
        return {}
    # Idle at some time in the three years: went idle, or left idle, inside them.
    idle_moves = Q(to_status=UnitStatus.IDLE) | Q(from_status=UnitStatus.IDLE)
    was_idle = set(
        StatusChange.objects.filter(
            idle_moves, unit_id__in=ids, date__gte=today - dt.timedelta(days=3 * 365)
        ).values_list("unit_id", flat=True)
    )
    start = timezone.make_aware(dt.datetime.combine(year_ago, dt.time.min))
    falling = _falling_employees(ids, start)
    silent = set(
        SupplierInvitation.objects.filter(
            unit_id__in=ids, state=InvitationState.EXPIRED, request__quote_deadline__gte=year_ago
        ).values_list("unit_id", flat=True)
    )
    active_since = today - dt.timedelta(days=548)
    active = set(
        SupplierInvitation.objects.filter(
            unit_id__in=ids,
            state=InvitationState.QUOTED,
            responded_at__gte=timezone.make_aware(dt.datetime.combine(active_since, dt.time.min)),
        ).values_list("unit_id", flat=True)
    ) | set(
        Linkage.objects.filter(unit_id__in=ids, stage_date__gte=active_since).values_list(
            "unit_id", flat=True
        )
    )
    results: dict[int, tuple[int, list[dict]]] = {}
    for pk, status, updated_at in rows:
        shown = []
        if status == UnitStatus.SEMI_ACTIVE:
            shown.append("semi_active")
        if pk in was_idle:
            shown.append("was_idle")
        if pk in falling:
            shown.append("falling_employees")
        if pk in silent:
            shown.append("silent_invitations")
        if pk not in active:
            shown.append("no_bridge_activity")
        if updated_at and timezone.localtime(updated_at).date() < year_ago:
            shown.append("stale_profile")
        signals = [{"code": code, "weight": BY_CODE[code].weight} for code in shown]
        results[pk] = (sum(signal["weight"] for signal in signals), signals)
    return results


@transaction.atomic
def refresh_assessments(units: QuerySet | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Store the scores of ``units`` (every unit when not given); units no longer in production lose
    theirs. Returns how many were assessed and how many are at risk."""
    today = today or timezone.localdate()
    units = units if units is not None else ProductionUnit.objects.all()
    results = assess(units, today)
    RiskAssessment.objects.filter(unit__in=units.values("pk")).exclude(unit_id__in=list(results)).delete()
    rows = [
        RiskAssessment(
            unit_id=pk, score=score, at_risk=score >= AT_RISK_SCORE, signals=signals, assessed_on=today
        )
        for pk, (score, signals) in results.items()
    ]
    RiskAssessment.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["unit"],
        update_fields=["score", "at_risk", "signals", "assessed_on"],
    )
    return {"assessed": len(rows), "at_risk": sum(1 for row in rows if row.at_risk)}


def label_of(code: str) -> str:
    signal = BY_CODE.get(code)
    return str(signal.label) if signal else code
