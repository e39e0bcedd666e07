"""Every write of the industrial clinic: permission-checked, atomic, on the case's timeline, notified.

The case workflow has one rule book (``choices.CASE_TRANSITIONS``, enforced by ``move_case``). Outcomes
that are facts of the unit's life cycle are never typed in: ``link_return`` ties a case to the unit's
change from idle to production (made through ``units.services.change_status``, here by ``record_return``
or anywhere else — the clinic follows unit changes), and a unit closed ends its case as "closed".
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date
from peyvand.sourcing.models import Linkage, SourcingRequest
from peyvand.units import services as unit_services
from peyvand.units.choices import PRODUCING, RETURNED_FROM, UnitStatus
from peyvand.units.models import ProductionUnit, StatusChange

from .choices import CASE_TRANSITIONS, KIND_FIELDS, OPEN_STAGES, CaseStage, InterventionKind, Result
from .models import CaseCause, Intervention, RevivalCase

logger = logging.getLogger(__name__)

# Units the clinic takes in: idle ones, and semi-active ones before they stop.
ADMITTED = (UnitStatus.IDLE, UnitStatus.SEMI_ACTIVE)
STAFF_ROLES = ["manager", "linkage_officer", "investment_expert"]


def _in_both_languages(message: Any, **values: Any) -> tuple[str, str]:
    from peyvand.notifications.services import bilingual

    return bilingual(message, **values)


def _notify_staff(case: RevivalCase, title: Any, body: Any) -> None:
    from peyvand.notifications.services import notify_organisation

    notify_organisation(
        case.unit.estate.company,
        "system",
        roles=STAFF_ROLES,
        title=title,
        body=body,
        url=case.get_absolute_url(),
    )


def _notify_unit(case: RevivalCase, title: Any, body: Any) -> None:
    from peyvand.notifications.services import notify_organisation

    if case.unit.organisation_id:
        notify_organisation(
            case.unit.organisation, "system", title=title, body=body, url=case.get_absolute_url()
        )


def _check_date(day: dt.date, *, not_before: dt.date | None = None, what: str = "") -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if not_before and day < not_before:
        raise ValidationError(
            _("The date cannot be before %(date)s.") % {"date": format_date(not_before)}, code="order"
        )


def open_case_of(unit: ProductionUnit) -> RevivalCase | None:
    return RevivalCase.objects.filter(unit=unit, stage__in=OPEN_STAGES).first()


# --- cases ----------------------------------------------------------------------------------------
@transaction.atomic
def open_case(
    unit: ProductionUnit,
    *,
    by: Any,
    on: dt.date | None = None,
    unit_account: str = "",
    diagnosis_visit_on: dt.date | None = None,
    check_permission: bool = True,
) -> RevivalCase:
    """Staff open a case for an idle or semi-active unit (one open case per unit)."""
    if check_permission:
        permissions.require(by, permissions.ADD, RevivalCase)
        permissions.require(by, permissions.VIEW, unit)
        if not permissions.is_staff_member(by):
            raise permissions.PermissionDenied
    return _create_case(
        unit, by=by, on=on, unit_account=unit_account, visit=diagnosis_visit_on, requested=False
    )


@transaction.atomic
def request_case(unit: ProductionUnit, *, by: Any, unit_account: str) -> RevivalCase:
    """A unit's representative asks the clinic for help, in its own words (staff open cases: a case
    asked for by staff would say that the unit asked)."""
    permissions.require(by, permissions.ADD, RevivalCase)
    permissions.require(by, permissions.CHANGE, unit)
    if permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    if not unit_account.strip():
        raise ValidationError(_("Say in a few words what stopped the unit."), code="account")
    return _create_case(unit, by=by, on=None, unit_account=unit_account, visit=None, requested=True)


def _create_case(
    unit: ProductionUnit,
    *,
    by: Any,
    on: dt.date | None,
    unit_account: str,
    visit: dt.date | None,
    requested: bool,
) -> RevivalCase:
    unit = ProductionUnit.objects.select_for_update().select_related("estate").get(pk=unit.pk)
    if unit.status not in ADMITTED:
        raise ValidationError(
            _("The clinic takes idle or semi-active units; %(unit)s is “%(status)s”.")
            % {"unit": unit.name, "status": UnitStatus(unit.status).label},
            code="status",
        )
    on = on or timezone.localdate()
    _check_date(on)
    if visit:
        _check_date(visit, not_before=on)
    if open_case_of(unit):
        raise ValidationError(_("This unit already has an open case at the clinic."), code="open")
    stage = CaseStage.REQUESTED if requested else CaseStage.DIAGNOSIS
    try:
        with transaction.atomic():
            case = RevivalCase.objects.create(
                unit=unit,
                stage=stage,
                stage_date=on,
                opened_on=on,
                opened_by=_user(by),
                requested_by_unit=requested,
                status_at_opening=unit.status,
                employees_at_opening=unit.employees,
                unit_account=unit_account.strip(),
                diagnosis_visit_on=visit,
            )
    except IntegrityError:  # two people opened it at once
        raise ValidationError(_("This unit already has an open case at the clinic."), code="open") from None
    log_event(
        case,
        "revival.case.requested" if requested else "revival.case.opened",
        {"unit": unit.name},
        actor=_user(by),
    )
    log_event(unit, "revival.case.opened", {"case": case.reference}, actor=_user(by))
    if requested:
        _notify_staff(
            case,
            _in_both_languages(gettext_lazy("%(unit)s asks the industrial clinic for help"), unit=unit.name),
            _in_both_languages(gettext_lazy("Open the case, plan a diagnosis visit and record the causes.")),
        )
    else:
        _notify_unit(
            case,
            _in_both_languages(
                gettext_lazy("The industrial clinic opened a case for %(unit)s"), unit=unit.name
            ),
            _in_both_languages(gettext_lazy("An officer will visit the unit to understand what stopped it.")),
        )
    return case


def can_move(case: RevivalCase, user: Any, to_stage: str) -> bool:
    return (
        to_stage in CASE_TRANSITIONS.get(case.stage, frozenset())
        and permissions.can(user, permissions.CHANGE, case)
        and permissions.is_staff_member(user)
    )


@transaction.atomic
def move_case(
    case: RevivalCase, to_stage: str, *, by: Any, on: dt.date | None = None, note: str = ""
) -> RevivalCase:
    """Move a case along the table (an accepted request → diagnosis → treatment; ended still idle)."""
    permissions.require(by, permissions.CHANGE, case)
    if not permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    locked = RevivalCase.objects.select_for_update().get(pk=case.pk)
    if to_stage not in CASE_TRANSITIONS.get(locked.stage, frozenset()):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": CaseStage(locked.stage).label, "to": CaseStage(to_stage).label},
            code="transition",
        )
    on = on or timezone.localdate()
    _check_date(on, not_before=locked.stage_date)
    if to_stage == CaseStage.TREATMENT and not locked.causes.exists():
        raise ValidationError(_("Record at least one cause before starting interventions."), code="causes")
    if to_stage == CaseStage.TREATMENT and locked.stage == CaseStage.STILL_IDLE:
        if locked.unit.status not in ADMITTED or open_case_of(locked.unit):
            raise ValidationError(_("This case cannot be reopened."), code="reopen")
        locked.outcome_on, locked.outcome_note = None, ""
    previous = locked.stage
    locked.stage, locked.stage_date = to_stage, on
    if to_stage == CaseStage.STILL_IDLE:
        locked.outcome_on, locked.outcome_note = on, note.strip()
    locked.save()
    log_event(locked, "revival.case.moved", {"from": previous, "to": to_stage, "note": note}, actor=_user(by))
    case.stage, case.stage_date = locked.stage, locked.stage_date
    return locked


@transaction.atomic
def record_diagnosis(
    case: RevivalCase,
    *,
    by: Any,
    visit_on: dt.date | None,
    diagnosis: str,
    unit_account: str,
    causes: Iterable[Mapping[str, Any]],
) -> RevivalCase:
    """The diagnosis visit: what staff found, the unit's account, and the causes with their severity
    (the list replaces the previous one as a whole, so nothing half-written stays)."""
    permissions.require(by, permissions.CHANGE, case)
    if not permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    locked = RevivalCase.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise ValidationError(_("This case has ended; its diagnosis can no longer change."), code="ended")
    if visit_on:
        _check_date(visit_on, not_before=locked.opened_on)
    rows = [dict(row) for row in causes]
    codes = [row["cause"] for row in rows]
    if len(codes) != len(set(codes)):
        raise ValidationError(_("Each cause is recorded once."), code="duplicate")
    locked.diagnosis_visit_on = visit_on
    locked.diagnosis = diagnosis.strip()
    locked.unit_account = unit_account.strip()
    moved = locked.stage == CaseStage.REQUESTED
    if moved:
        locked.stage, locked.stage_date = CaseStage.DIAGNOSIS, timezone.localdate()
    locked.save()
    locked.causes.all().delete()
    CaseCause.objects.bulk_create(
        [
            CaseCause(case=locked, cause=row["cause"], severity=row["severity"], note=row.get("note", ""))
            for row in rows
        ]
    )
    log_event(
        locked,
        "revival.case.diagnosed",
        {"causes": ", ".join(f"{row['cause']}:{row['severity']}" for row in rows)},
        actor=_user(by),
    )
    case.refresh_from_db()
    return locked


# --- interventions --------------------------------------------------------------------------------
def _clean_intervention_values(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields of this kind (others are blanked), and the rules between them."""
    kept = {name: values.get(name) for name in KIND_FIELDS[InterventionKind(kind)]}
    for name in ("institution", "counterpart"):
        if name in kept:
            kept[name] = (kept[name] or "").strip()
    asked, granted = kept.get("amount_asked_rial"), kept.get("amount_granted_rial")
    if asked is not None and granted is not None and granted > asked:
        raise ValidationError(_("The amount granted cannot exceed the amount asked."), code="amount")
    if kind == InterventionKind.BUYER_LINKAGE and not kept.get("request"):
        raise ValidationError(_("Choose the sourcing request the unit could serve."), code="request")
    return kept


def _check_bridge(case: RevivalCase, values: Mapping[str, Any], by: Any) -> None:
    request: SourcingRequest | None = values.get("request")
    linkage: Linkage | None = values.get("linkage")
    if request is not None and not permissions.can(by, permissions.VIEW, request):
        raise ValidationError(_("You cannot see this sourcing request."), code="request")
    if linkage is not None and (
        linkage.unit_id != case.unit_id or linkage.request_id != getattr(request, "pk", None)
    ):
        raise ValidationError(_("The linkage must be this unit's, on the chosen request."), code="linkage")


@transaction.atomic
def add_intervention(
    case: RevivalCase,
    *,
    by: Any,
    kind: str,
    title: str,
    due_on: dt.date,
    owner: Any = None,
    values: Mapping[str, Any] | None = None,
) -> Intervention:
    """Plan an intervention on an open case; the first one moves a diagnosed case to treatment."""
    permissions.require(by, permissions.CHANGE, case)
    if not permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    locked = RevivalCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if not locked.is_open:
        raise ValidationError(_("This case has ended; reopen it before adding interventions."), code="ended")
    if kind not in InterventionKind.values:
        raise ValidationError(_("Choose the kind of intervention."), code="kind")
    kept = _clean_intervention_values(kind, values or {})
    _check_bridge(locked, kept, by)
    if owner is not None and not _is_company_staff(owner, locked):
        raise ValidationError(_("The owner must work for the unit's estate company."), code="owner")
    intervention = Intervention.objects.create(
        case=locked, kind=kind, title=title.strip(), due_on=due_on, owner=owner, created_by=_user(by), **kept
    )
    if locked.stage == CaseStage.DIAGNOSIS and locked.causes.exists():
        locked.stage, locked.stage_date = CaseStage.TREATMENT, timezone.localdate()
        locked.save(update_fields=["stage", "stage_date", "updated_at"])
        log_event(
            locked,
            "revival.case.moved",
            {"from": CaseStage.DIAGNOSIS, "to": CaseStage.TREATMENT, "note": ""},
            actor=_user(by),
        )
    log_event(
        locked,
        "revival.intervention.added",
        {"kind": kind, "title": intervention.title, "due": due_on.isoformat()},
        actor=_user(by),
    )
    if owner is not None and owner != _user(by):
        from peyvand.notifications.services import notify

        notify(
            owner,
            "system",
            title=_in_both_languages(
                gettext_lazy("A clinic intervention is yours: %(title)s"), title=intervention.title
            ),
            body=_in_both_languages(
                gettext_lazy("%(unit)s — due %(due)s"), unit=locked.unit.name, due=lambda: format_date(due_on)
            ),
            url=locked.get_absolute_url(),
        )
    return intervention


def _is_company_staff(user: Any, case: RevivalCase) -> bool:
    return user.memberships.filter(organisation_id=case.unit.estate.company_id).exists()


@transaction.atomic
def record_result(
    intervention: Intervention,
    *,
    by: Any,
    result: str,
    on: dt.date,
    note: str = "",
    amount_granted_rial: int | None = None,
) -> Intervention:
    """The result of an intervention (a financing referral records the amount granted)."""
    permissions.require(by, permissions.CHANGE, intervention)
    if not permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    locked = Intervention.objects.select_for_update().select_related("case").get(pk=intervention.pk)
    if result not in Result.values or result == Result.PENDING:
        raise ValidationError(_("Choose the result."), code="result")
    _check_date(on, not_before=locked.case.opened_on)
    if amount_granted_rial is not None:
        if locked.kind != InterventionKind.FINANCING:
            raise ValidationError(_("Only a financing referral records an amount granted."), code="amount")
        _clean_intervention_values(
            locked.kind,
            {"amount_asked_rial": locked.amount_asked_rial, "amount_granted_rial": amount_granted_rial},
        )
        locked.amount_granted_rial = amount_granted_rial
    locked.result, locked.result_on, locked.result_note = result, on, note.strip()
    locked.save()
    log_event(
        locked.case,
        "revival.intervention.result",
        {"title": locked.title, "result": result, "date": on.isoformat()},
        actor=_user(by),
    )
    intervention.result, intervention.result_on = locked.result, locked.result_on
    return locked


@transaction.atomic
def put_in_touch(intervention: Intervention, *, by: Any) -> Linkage:
    """Start the bridge's linkage of a buyer-linkage intervention (the unit must be in production: the
    bridge's own rule), and attach it to the intervention."""
    from peyvand.sourcing import services as bridge

    permissions.require(by, permissions.CHANGE, intervention)
    locked = (
        Intervention.objects.select_for_update(of=("self",))  # PostgreSQL: not the nullable request's row
        .select_related("case__unit", "request")
        .get(pk=intervention.pk)
    )
    if locked.kind != InterventionKind.BUYER_LINKAGE or locked.request is None:
        raise ValidationError(_("Only a buyer linkage with its request can start a linkage."), code="kind")
    if locked.linkage_id:
        raise ValidationError(_("This intervention already has its linkage."), code="linked")
    existing = Linkage.objects.filter(request=locked.request, unit=locked.case.unit).first()
    linkage = existing or bridge.start_linkage(locked.request, locked.case.unit, by=by, source="direct")
    locked.linkage = linkage
    locked.save(update_fields=["linkage"])
    log_event(
        locked.case,
        "revival.intervention.linked",
        {"title": locked.title, "request": locked.request.title},
        actor=_user(by),
    )
    intervention.linkage = linkage
    return linkage


# --- outcomes -------------------------------------------------------------------------------------
@transaction.atomic
def record_return(
    case: RevivalCase,
    to_status: str,
    *,
    date: dt.date,
    cause: str,
    by: Any,
    note: str = "",
    jobs_restored: int | None = None,
) -> RevivalCase:
    """The unit returns to production: its life-cycle change (``units.services.change_status``, with
    its own permission and rules) and the case revived, linked to that change."""
    if to_status not in PRODUCING:
        raise ValidationError(_("A return to production is to “operating” or “semi-active”."), code="status")
    permissions.require(by, permissions.CHANGE, case)
    locked = RevivalCase.objects.select_for_update().select_related("unit").get(pk=case.pk)
    if not locked.is_open:
        raise ValidationError(_("This case has ended."), code="ended")
    if locked.unit.status != RETURNED_FROM:
        raise ValidationError(
            _("Only an idle unit returns to production; %(unit)s is “%(status)s”.")
            % {"unit": locked.unit.name, "status": UnitStatus(locked.unit.status).label},
            code="status",
        )
    if date < locked.opened_on:
        raise ValidationError(_("The return cannot be dated before the case was opened."), code="order")
    change = unit_services.change_status(locked.unit, to_status, date=date, cause=cause, by=by, note=note)
    linked = link_return(change, by=by, jobs_restored=jobs_restored)
    return linked or locked


def link_return(
    change: StatusChange, *, by: Any = None, jobs_restored: int | None = None
) -> RevivalCase | None:
    """Tie a unit's return to production (idle → operating | semi-active) to its open case, which ends
    "revived", dated by the change. Returns the case, or None when the unit had no open case."""
    if change.from_status != RETURNED_FROM or change.to_status not in PRODUCING:
        return None
    case = (
        RevivalCase.objects.select_for_update()
        .filter(unit_id=change.unit_id, stage__in=OPEN_STAGES, opened_on__lte=change.date)
        .first()
    )
    if case is None or RevivalCase.objects.filter(return_change=change).exists():
        return None
    case.stage, case.stage_date = CaseStage.REVIVED, change.date
    case.return_change = change
    case.outcome_on = change.date
    if jobs_restored is not None:
        case.jobs_restored = jobs_restored
    case.save()
    log_event(
        case,
        "revival.case.revived",
        {"to": change.to_status, "date": change.date.isoformat()},
        actor=_user(by),
    )
    _notify_staff(
        case,
        _in_both_languages(gettext_lazy("%(unit)s returned to production"), unit=case.unit.name),
        _in_both_languages(
            gettext_lazy("Its clinic case %(case)s is revived; record the jobs restored."),
            case=case.reference,
        ),
    )
    return case


def end_on_closure(change: StatusChange) -> RevivalCase | None:
    """A unit that closes (or whose land is repossessed) ends its open case as "closed"."""
    if change.to_status not in (UnitStatus.CLOSED, UnitStatus.LAND_REPOSSESSED):
        return None
    case = (
        RevivalCase.objects.select_for_update().filter(unit_id=change.unit_id, stage__in=OPEN_STAGES).first()
    )
    if case is None:
        return None
    on = max(change.date, case.opened_on)
    case.stage, case.stage_date, case.outcome_on = CaseStage.CLOSED, on, on
    case.save()
    log_event(case, "revival.case.moved", {"from": "", "to": CaseStage.CLOSED, "note": ""})
    return case


@transaction.atomic
def record_outcome_details(
    case: RevivalCase, *, by: Any, jobs_restored: int | None, note: str
) -> RevivalCase:
    """Jobs restored and a note on an ended case."""
    permissions.require(by, permissions.CHANGE, case)
    if not permissions.is_staff_member(by):
        raise permissions.PermissionDenied
    locked = RevivalCase.objects.select_for_update().get(pk=case.pk)
    if locked.is_open:
        raise ValidationError(_("The outcome is recorded once the case has ended."), code="open")
    locked.jobs_restored, locked.outcome_note = jobs_restored, note.strip()
    locked.save(update_fields=["jobs_restored", "outcome_note", "updated_at"])
    log_event(locked, "revival.case.outcome", {"jobs": jobs_restored}, actor=_user(by))
    return locked


# The ``units_changed`` reasons that can carry new life-cycle changes (a profile edit cannot).
LIFE_CYCLE_REASONS = frozenset({"status changed", "import", "history import", "merged"})


def follow_unit_changes(unit_ids: list[int], reason: str) -> None:
    """Follower of ``units.services.units_changed``: life-cycle changes made anywhere (the unit's page,
    an import, a merge, the API) reach the clinic's open cases."""
    if reason not in LIFE_CYCLE_REASONS:
        return
    since = timezone.localdate() - dt.timedelta(days=7)
    changes = StatusChange.objects.filter(unit_id__in=unit_ids, created_at__date__gte=since).order_by(
        "date", "id"
    )
    for change in changes:
        with transaction.atomic():
            link_return(change) or end_on_closure(change)


def tell_staff_of_risks() -> int:
    """Tell each estate company's staff how many of its units in production are at risk (the weekly
    job, after the scores were refreshed). Returns how many companies were told."""
    from django.db.models import Count
    from django.urls import reverse

    from peyvand.accounts.models import Organisation
    from peyvand.notifications.services import notify_organisation

    from .models import RiskAssessment

    counts = dict(
        RiskAssessment.objects.filter(at_risk=True)
        .order_by()
        .values_list("unit__estate__company")
        .annotate(n=Count("pk"))
        .values_list("unit__estate__company", "n")
    )
    for company in Organisation.objects.filter(pk__in=list(counts)):
        notify_organisation(
            company,
            "system",
            roles=STAFF_ROLES,
            title=_in_both_languages(
                gettext_lazy("Early warning: %(count)s units at risk"), count=counts[company.pk]
            ),
            body=_in_both_languages(
                gettext_lazy("Look at their signals and open a clinic case before they stop.")
            ),
            url=reverse("revival:at_risk"),
        )
    return len(counts)


@transaction.atomic
def build_past_case(
    change: StatusChange,
    *,
    opened_on: dt.date,
    causes: Iterable[Mapping[str, Any]],
    interventions: Iterable[Mapping[str, Any]],
    jobs_restored: int | None = None,
    diagnosis: str = "",
    unit_account: str = "",
    by: Any = None,
) -> RevivalCase:
    """A case that already ended in a return (the demo data, loads of the clinic's paper files): opened
    while the unit was idle, its causes and interventions, revived by ``change``. Checked like the live
    path: the change is a return, the case opens while the unit was idle and before it returned."""
    if change.from_status != RETURNED_FROM or change.to_status not in PRODUCING:
        raise ValidationError(_("A revival is a change from idle to production."), code="status")
    went_idle = (
        StatusChange.objects.filter(unit_id=change.unit_id, to_status=RETURNED_FROM, date__lte=change.date)
        .order_by("-date", "-id")
        .values_list("date", flat=True)
        .first()
    )
    if went_idle is None or not went_idle <= opened_on <= change.date:
        raise ValidationError(_("The case must open while the unit was idle."), code="order")
    case = RevivalCase.objects.create(
        unit_id=change.unit_id,
        stage=CaseStage.REVIVED,
        stage_date=change.date,
        opened_on=opened_on,
        opened_by=_user(by),
        status_at_opening=RETURNED_FROM,
        employees_at_opening=change.unit.employees,
        diagnosis_visit_on=min(opened_on + dt.timedelta(days=7), change.date),
        diagnosis=diagnosis,
        unit_account=unit_account,
        return_change=change,
        outcome_on=change.date,
        jobs_restored=jobs_restored,
    )
    CaseCause.objects.bulk_create([CaseCause(case=case, **dict(row)) for row in causes])
    for row in interventions:
        row = dict(row)
        kind = row.pop("kind")
        kept = _clean_intervention_values(kind, row)
        Intervention.objects.create(
            case=case,
            kind=kind,
            title=row["title"],
            owner=row.get("owner"),
            due_on=row["due_on"],
            result=row.get("result", Result.SUCCEEDED),
            result_on=row.get("result_on"),
            created_by=_user(by),
            **kept,
        )
    log_event(
        case,
        "revival.case.revived",
        {"to": change.to_status, "date": change.date.isoformat()},
        actor=_user(by),
    )
    return case
