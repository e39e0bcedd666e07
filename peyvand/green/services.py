"""Every write of green estates: permission-checked, atomic, on the timeline, with notifications.

Two workflows have one rule book each: ``PLANT_TRANSITIONS`` (enforced by ``move_plant``) and
``SYMBIOSIS_TRANSITIONS`` (enforced by ``move_exchange``). An effluent test is checked against the
company's limits when it is recorded (``record_test``); a failure opens a compliance case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import assign, refuse_others, set_relations, stored, validate
from peyvand.core.jalali import format_date
from peyvand.units.models import ProductionUnit

from . import symbiosis
from .choices import (
    DEFAULT_LIMITS,
    PLANT_TRANSITIONS,
    SYMBIOSIS_TRANSITIONS,
    CaseState,
    Direction,
    Material,
    Parameter,
    PlantStage,
    SymbiosisStage,
)
from .models import (
    ComplianceCase,
    DischargeLimit,
    EffluentTest,
    PlantStageChange,
    ProgressReport,
    ResourceListing,
    SymbiosisLink,
    SymbiosisStep,
    TreatmentPlant,
    UnitConnection,
)

REPEAT_WINDOW = dt.timedelta(days=365)


def _deadline_days() -> int:
    return settings.PEYVAND_COMPLIANCE_DEADLINE_DAYS


def _notify(users: Any, kind: str, title: Any, body: Any, url: str) -> None:
    from peyvand.notifications.services import bilingual, notify

    notify(users, kind, title=bilingual(title[0], **title[1]), body=bilingual(body[0], **body[1]), url=url)


def _members(organisation: Any) -> list[Any]:
    if organisation is None:
        return []
    return [m.user for m in organisation.memberships.select_related("user") if m.user.is_active]


def environment_staff(company: Any) -> list[Any]:
    """The company's managers and environment experts (who follow compliance)."""
    from peyvand.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=company,
            memberships__role__in=["manager", "environment_expert"],
        ).distinct()
    )


def _not_future(date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


# --- treatment plants -----------------------------------------------------------------------------
@transaction.atomic
def create_plant(
    plant: TreatmentPlant,
    estates: Any,
    *,
    by: Any,
    stage: str = PlantStage.PLANNED,
    since: dt.date | None = None,
) -> TreatmentPlant:
    """Register a plant serving ``estates``; its stage history starts at ``stage`` on ``since``."""
    permissions.require(by, permissions.ADD, plant)
    since = since or timezone.localdate()
    _not_future(since)
    if stage == PlantStage.OUT_OF_SERVICE:
        raise ValidationError(_("A new plant cannot start out of service."))
    plant.stage, plant.stage_since = stage, since
    if stage == PlantStage.OPERATING:
        plant.actual_opening = since
    plant.save()
    plant.estates.set(estates)
    PlantStageChange.objects.create(plant=plant, from_stage="", to_stage=stage, date=since, by=_user(by))
    log_event(plant, "green.plant.created", {"name": plant.name}, actor=_user(by))
    return plant


# The fields of a plant a caller may set; ``initial_stage`` and ``stage_since`` only when registering it.
PLANT_FIELDS = (
    "name",
    "name_en",
    "capacity_m3_day",
    "technology",
    "planned_opening",
    "cost_rial",
    "funding",
    "contractor",
)
PLANT_RELATIONS = ("estates",)
PLANT_START = ("initial_stage", "stage_since")


def _company_of(estates: list[Any]) -> Any:
    companies = {estate.company_id for estate in estates}
    if not companies:
        raise ValidationError({"estates": _("Choose the estates the plant serves.")})
    if len(companies) > 1:
        raise ValidationError({"estates": _("A plant serves estates of one company only.")})
    return estates[0].company


@transaction.atomic
def save_plant(plant: TreatmentPlant | None, values: Mapping[str, Any], *, by: Any) -> TreatmentPlant:
    """Register a plant (``plant`` is ``None``: ``create_plant``) or edit one, from cleaned values: the
    page's form, the API and commands call this. Keys left out keep their value; others are refused."""
    refuse_others(values, (*PLANT_FIELDS, *PLANT_RELATIONS, *(PLANT_START if plant is None else ())))
    if plant is None:
        estates = list(values.get("estates") or [])
        plant = TreatmentPlant(company=_company_of(estates))
        assign(plant, values, PLANT_FIELDS)
        validate(plant, PLANT_FIELDS)
        return create_plant(
            plant,
            estates,
            by=by,
            stage=values.get("initial_stage") or PlantStage.PLANNED,
            since=values.get("stage_since"),
        )
    permissions.require(by, permissions.CHANGE, plant)
    changed = assign(plant, values, PLANT_FIELDS, before=stored(plant))
    if "estates" in values:
        plant.company = _company_of(list(values["estates"] or []))
        permissions.require(by, permissions.CHANGE, plant)
    validate(plant, changed)
    plant.save()
    changed += set_relations(plant, values, PLANT_RELATIONS)
    if changed:
        log_event(plant, "green.plant.updated", {"fields": changed}, actor=_user(by))
    return plant


@transaction.atomic
def move_plant(
    plant: TreatmentPlant, to_stage: str, *, date: dt.date, by: Any, note: str = ""
) -> PlantStageChange:
    """Move a plant to its next stage (the one table: ``PLANT_TRANSITIONS``)."""
    permissions.require(by, permissions.CHANGE, plant)
    locked = TreatmentPlant.objects.select_for_update().get(pk=plant.pk)
    if to_stage not in PLANT_TRANSITIONS.get(locked.stage, frozenset()):
        raise ValidationError(
            _("A plant cannot go from “%(from)s” to “%(to)s”.")
            % {"from": PlantStage(locked.stage).label, "to": PlantStage(to_stage).label}
        )
    _not_future(date)
    if locked.stage_since and date < locked.stage_since:
        raise ValidationError(
            _("The date cannot be before the current stage began (%(since)s).")
            % {"since": format_date(locked.stage_since)}
        )
    change = PlantStageChange.objects.create(
        plant=locked, from_stage=locked.stage, to_stage=to_stage, date=date, note=note, by=_user(by)
    )
    locked.stage, locked.stage_since = to_stage, date
    fields = ["stage", "stage_since"]
    if to_stage == PlantStage.OPERATING and locked.actual_opening is None:
        locked.actual_opening = date
        fields.append("actual_opening")
    locked.save(update_fields=fields)
    log_event(
        locked,
        "green.plant.moved",
        {"from": change.from_stage, "to": to_stage, "date": date.isoformat(), "note": note},
        actor=_user(by),
    )
    plant.stage, plant.stage_since, plant.actual_opening = (
        locked.stage,
        locked.stage_since,
        locked.actual_opening,
    )
    return change


@transaction.atomic
def report_progress(
    plant: TreatmentPlant,
    *,
    date: dt.date,
    percent: int,
    by: Any,
    inflow_m3_day: Decimal | None = None,
    note: str = "",
    photo: Any = None,
) -> ProgressReport:
    """A dated progress report; the plant shows the latest report's progress and inflow."""
    permissions.require(by, permissions.CHANGE, plant)
    locked = TreatmentPlant.objects.select_for_update().get(pk=plant.pk)
    _not_future(date)
    if not 0 <= percent <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    earlier = locked.reports.filter(date__lte=date).order_by("-date", "-id").first()
    if earlier is not None and percent < earlier.percent:
        raise ValidationError(
            _("Progress cannot go back: the report of %(date)s already says %(percent)s%%.")
            % {"date": format_date(earlier.date), "percent": earlier.percent}
        )
    report = ProgressReport(
        plant=locked, date=date, percent=percent, inflow_m3_day=inflow_m3_day, note=note, by=_user(by)
    )
    if photo:
        report.photo = photo
    report.save()
    latest = locked.reports.order_by("-date", "-id").first()
    locked.progress_percent = latest.percent
    measured = locked.reports.exclude(inflow_m3_day=None).order_by("-date", "-id").first()
    locked.inflow_m3_day = measured.inflow_m3_day if measured else None
    locked.save(update_fields=["progress_percent", "inflow_m3_day"])
    log_event(
        locked,
        "green.plant.progress",
        {"percent": percent, "date": date.isoformat(), "note": note},
        actor=_user(by),
    )
    plant.progress_percent, plant.inflow_m3_day = locked.progress_percent, locked.inflow_m3_day
    return report


# --- limits, connections, effluent tests, compliance -------------------------------------------------
def ensure_limits(company: Any) -> int:
    """Give a company the default limits it does not have yet (never overwrites its own)."""
    have = set(DischargeLimit.objects.filter(company=company).values_list("receiving_body", "parameter"))
    rows = [
        DischargeLimit(
            company=company,
            receiving_body=body,
            parameter=parameter,
            minimum=None if low is None else Decimal(str(low)),
            maximum=Decimal(str(high)),
        )
        for body, limits in DEFAULT_LIMITS.items()
        for parameter, (low, high) in limits.items()
        if (body, parameter) not in have
    ]
    DischargeLimit.objects.bulk_create(rows)
    return len(rows)


def _default_pairs() -> set[tuple[str, str]]:
    return {(body, parameter) for body, limits in DEFAULT_LIMITS.items() for parameter in limits}


def missing_limits(company_ids: list[int]) -> int:
    """How many of the national default limits the companies have not set yet (a read: writes nothing)."""
    if not company_ids:
        return 0
    have: dict[int, set[tuple[str, str]]] = {company_id: set() for company_id in company_ids}
    rows = DischargeLimit.objects.filter(company_id__in=company_ids).values_list(
        "company_id", "receiving_body", "parameter"
    )
    for company_id, body, parameter in rows:
        have[company_id].add((body, parameter))
    wanted = _default_pairs()
    return sum(len(wanted - pairs) for pairs in have.values())


@transaction.atomic
def adopt_default_limits(company_ids: list[int], *, by: Any) -> int:
    """The explicit step that gives the companies the national default limits they lack (never overwrites
    their own); on each company's timeline. Answers how many limits were added."""
    from peyvand.accounts.models import Organisation

    added = 0
    for company in Organisation.objects.filter(pk__in=company_ids, kind="estate_company").order_by("pk"):
        permissions.require(by, permissions.ADD, DischargeLimit(company=company))
        count = ensure_limits(company)
        if count:
            log_event(company, "green.limits.adopted", {"count": count}, actor=_user(by))
        added += count
    return added


def exceedances(values: dict[str, Decimal | None], limits: dict[str, DischargeLimit]) -> list[list[Any]]:
    """[parameter, value, minimum, maximum] of each measured value outside its limit."""
    found = []
    for parameter in Parameter.values:
        value = values.get(parameter)
        limit = limits.get(parameter)
        if value is None or limit is None:
            continue
        if value > limit.maximum or (limit.minimum is not None and value < limit.minimum):
            found.append(
                [
                    parameter,
                    str(value),
                    None if limit.minimum is None else str(limit.minimum),
                    str(limit.maximum),
                ]
            )
    return found


@transaction.atomic
def record_test(unit: ProductionUnit, data: dict[str, Any], *, by: Any) -> EffluentTest:
    """Record an effluent test, check it against the company's limits, open a case when it fails."""
    test = EffluentTest(unit=unit, by=_user(by), **data)
    permissions.require(by, permissions.ADD, test)
    _not_future(test.sampled_on)
    values = {code: getattr(test, code) for code in Parameter.values}
    if all(value is None for value in values.values()):
        raise ValidationError(_("Enter at least one measured parameter."))
    company = unit.estate.company
    ensure_limits(company)
    limits = {
        limit.parameter: limit
        for limit in DischargeLimit.objects.filter(company=company, receiving_body=test.receiving_body)
    }
    test.exceedances = exceedances(values, limits)
    test.passed = not test.exceedances
    test.save()
    log_event(
        unit,
        "green.test.recorded",
        {"date": test.sampled_on.isoformat(), "lab": test.lab, "passed": test.passed},
        actor=_user(by),
    )
    if not test.passed:
        open_case(test, by=by)
    return test


def open_case(test: EffluentTest, *, by: Any) -> ComplianceCase:
    earlier_failures = EffluentTest.objects.filter(
        unit=test.unit,
        passed=False,
        sampled_on__gte=test.sampled_on - REPEAT_WINDOW,
        sampled_on__lte=test.sampled_on,
    ).exclude(pk=test.pk)
    case = ComplianceCase.objects.create(
        unit=test.unit,
        test=test,
        opened_on=test.sampled_on,
        deadline=test.sampled_on + dt.timedelta(days=_deadline_days()),
        repeated=earlier_failures.exists(),
    )
    with override("en"):
        parameters = ", ".join(str(Parameter(row[0]).label) for row in test.exceedances)
    log_event(
        test.unit,
        "green.case.opened",
        {"parameters": parameters, "deadline": case.deadline.isoformat(), "repeated": case.repeated},
        actor=_user(by),
    )
    log_event(
        case,
        "green.case.opened",
        {"parameters": parameters, "deadline": case.deadline.isoformat()},
        actor=_user(by),
    )
    deadline = case.deadline
    _notify(
        _members(test.unit.organisation) + environment_staff(test.unit.estate.company),
        "system",
        (
            gettext_lazy("Effluent test failed: %(unit)s must comply by %(deadline)s"),
            {"unit": test.unit.name, "deadline": lambda: format_date(deadline)},
        ),
        (
            gettext_lazy("Parameters over the limit: %(parameters)s. A compliance case was opened."),
            {"parameters": parameters},
        ),
        case.get_absolute_url(),
    )
    return case


@transaction.atomic
def resolve_case(case: ComplianceCase, *, date: dt.date, resolution: str, by: Any) -> ComplianceCase:
    permissions.require(by, permissions.CHANGE, case)
    locked = ComplianceCase.objects.select_for_update().get(pk=case.pk)
    if locked.state != CaseState.OPEN:
        raise ValidationError(_("This case is already resolved."))
    _not_future(date)
    if date < locked.opened_on:
        raise ValidationError(_("A case cannot be resolved before it was opened."))
    if not resolution.strip():
        raise ValidationError(_("Say how the case was resolved."))
    locked.state, locked.resolved_on, locked.resolution = CaseState.RESOLVED, date, resolution.strip()
    locked.save(update_fields=["state", "resolved_on", "resolution"])
    log_event(
        locked,
        "green.case.resolved",
        {"date": date.isoformat(), "resolution": locked.resolution},
        actor=_user(by),
    )
    case.state, case.resolved_on, case.resolution = locked.state, locked.resolved_on, locked.resolution
    return case


CONNECTION_FIELDS = ("connected", "connected_on", "receiving_body", "pretreatment_in_place")


@transaction.atomic
def save_connection(unit: ProductionUnit, values: Mapping[str, Any], *, by: Any) -> UnitConnection:
    """Record whether ``unit`` is connected to the estate's sewer, from cleaned values."""
    refuse_others(values, CONNECTION_FIELDS)
    connection = UnitConnection.objects.filter(unit=unit).first() or UnitConnection(unit=unit)
    permissions.require(by, permissions.CHANGE, connection)
    changed = assign(connection, values, CONNECTION_FIELDS)
    if not connection.connected:
        if connection.connected_on is not None:
            changed.append("connected_on")
        connection.connected_on = None
    elif connection.connected_on is None:
        raise ValidationError({"connected_on": _("Give the date the unit was connected.")})
    else:
        _not_future(connection.connected_on)
    validate(connection, changed)
    connection.save()
    if changed:
        log_event(unit, "green.connection.updated", {"fields": sorted(set(changed))}, actor=_user(by))
    return connection


# --- industrial symbiosis ---------------------------------------------------------------------------
# The fields of a listing a caller may set; its ``unit`` only when listing it.
LISTING_FIELDS = ("direction", "material", "description", "tonnes_per_year", "form", "place", "active")


@transaction.atomic
def save_listing(listing: ResourceListing | None, values: Mapping[str, Any], *, by: Any) -> ResourceListing:
    """List a have or a want (``listing`` is ``None``; ``values["unit"]`` is the unit) or edit one."""
    creating = listing is None
    if not creating and values.get("unit", listing.unit) != listing.unit:
        raise PermissionDenied("may not set unit")  # a listing stays with its unit
    refuse_others(values, (*LISTING_FIELDS, "unit"))
    if listing is None:
        if values.get("unit") is None:
            raise ValidationError({"unit": _("Choose the unit.")})
        listing = ResourceListing(unit=values["unit"])
        changed = assign(listing, values, LISTING_FIELDS)
    else:
        changed = assign(listing, values, LISTING_FIELDS, before=stored(listing))
    permissions.require(by, permissions.ADD if creating else permissions.CHANGE, listing)
    validate(listing, LISTING_FIELDS if creating else changed)
    listing.save()
    code = "green.listing.added" if creating else "green.listing.updated"
    log_event(
        listing.unit,
        code,
        {
            "direction": listing.direction,
            "material": listing.material,
            "tonnes": str(listing.tonnes_per_year),
        },
        actor=_user(by),
    )
    return listing


def material_labels() -> dict[str, tuple[str, str]]:
    labels = {}
    for code in Material.values:
        with override("fa"):
            persian = str(Material(code).label)
        with override("en"):
            english = str(Material(code).label)
        labels[code] = (persian, english)
    return labels


def _offer(listing: ResourceListing) -> symbiosis.Offer:
    estate = listing.unit.estate
    return symbiosis.Offer(
        id=listing.pk,
        unit_id=listing.unit_id,
        unit_name=listing.unit.name,
        estate_id=estate.pk,
        estate_name=estate.name,
        estate_name_en=estate.name_en,
        material=listing.material,
        text=listing.description,
        tonnes=float(listing.tonnes_per_year),
        latitude=float(estate.latitude) if estate.latitude is not None else None,
        longitude=float(estate.longitude) if estate.longitude is not None else None,
    )


def proposals(user: Any, *, material: str = "", limit: int = 200) -> list[symbiosis.Proposal]:
    """Have↔want pairs the matcher proposes among the active listings ``user`` may broker (the adapter:
    listings → matcher records; pairs already brokered and not lost are left out)."""
    listings = permissions.restrict(
        ResourceListing.objects.filter(active=True), user, permissions.VIEW
    ).select_related("unit", "unit__estate")
    if material:
        listings = listings.filter(material=material)
    haves = [_offer(listing) for listing in listings if listing.direction == Direction.HAVE]
    wants = [_offer(listing) for listing in listings if listing.direction == Direction.WANT]
    brokered = set(SymbiosisLink.objects.exclude(stage=SymbiosisStage.LOST).values_list("have_id", "want_id"))
    return symbiosis.propose(haves, wants, material_labels(), exclude=brokered, limit=limit)


@transaction.atomic
def start_exchange(
    have: ResourceListing, want: ResourceListing, *, by: Any, on: dt.date | None = None
) -> SymbiosisLink:
    """An officer introduces a have's unit to a want's unit: the exchange's first step."""
    if have.direction != Direction.HAVE or want.direction != Direction.WANT:
        raise ValidationError(_("Pair a have with a want."))
    if have.unit_id == want.unit_id:
        raise ValidationError(_("A unit cannot trade with itself."))
    if not (have.active and want.active):
        raise ValidationError(_("Both listings must be active."))
    company = have.unit.estate.company
    link = SymbiosisLink(company=company, have=have, want=want)
    permissions.require(by, permissions.BROKER, link)
    if not permissions.can(by, permissions.VIEW, want):
        raise ValidationError(_("You cannot broker a listing you do not see."))
    proposal = symbiosis.score_pair(_offer(have), _offer(want), material_labels())
    if proposal is None:
        raise ValidationError(_("These two listings do not fit: different materials and too far apart."))
    on = on or timezone.localdate()
    link.material = have.material
    link.stage, link.stage_date, link.introduced_on = SymbiosisStage.INTRODUCED, on, on
    link.distance_km = Decimal(str(proposal.distance_km)) if proposal.distance_km is not None else None
    link.reasons = proposal.reasons
    link.tonnes_per_year = min(have.tonnes_per_year, want.tonnes_per_year)
    link.created_by = _user(by)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(_("These two listings are already being brokered.")) from None
    SymbiosisStep.objects.create(
        link=link, from_stage="", to_stage=SymbiosisStage.INTRODUCED, date=on, by=_user(by)
    )
    log_event(
        link, "green.exchange.introduced", {"have": have.unit.name, "want": want.unit.name}, actor=_user(by)
    )
    _notify(
        _members(have.unit.organisation) + _members(want.unit.organisation),
        "linkage",
        (
            gettext_lazy("Industrial symbiosis: you were put in touch about %(material)s"),
            {"material": _material_label(have.material)},
        ),
        (
            gettext_lazy("%(have)s has it, %(want)s needs it; the estate company will follow up with both."),
            {"have": have.unit.name, "want": want.unit.name},
        ),
        link.get_absolute_url(),
    )
    return link


def _material_label(code: str):
    return lambda: str(Material(code).label)


@transaction.atomic
def move_exchange(
    link: SymbiosisLink,
    to_stage: str,
    *,
    date: dt.date,
    by: Any,
    tonnes_per_year: Decimal | None = None,
    value_rial: int | None = None,
    note: str = "",
    lost_reason: str = "",
) -> SymbiosisStep:
    """Move an exchange one step (the one table: ``SYMBIOSIS_TRANSITIONS``), recording tonnes and value."""
    permissions.require(by, permissions.BROKER, link)
    locked = SymbiosisLink.objects.select_for_update().get(pk=link.pk)
    if to_stage not in SYMBIOSIS_TRANSITIONS.get(locked.stage, frozenset()):
        raise ValidationError(
            _("An exchange cannot go from “%(from)s” to “%(to)s”.")
            % {"from": SymbiosisStage(locked.stage).label, "to": SymbiosisStage(to_stage).label}
        )
    _not_future(date)
    if date < locked.stage_date:
        raise ValidationError(
            _("The date cannot be before the current stage began (%(since)s).")
            % {"since": format_date(locked.stage_date)}
        )
    if to_stage == SymbiosisStage.LOST and not lost_reason.strip():
        raise ValidationError(_("Say why the exchange was lost."))
    if to_stage == SymbiosisStage.CONTRACT and not (tonnes_per_year or locked.tonnes_per_year):
        raise ValidationError(_("Record the tonnes a year the contract diverts."))
    step = SymbiosisStep.objects.create(
        link=locked, from_stage=locked.stage, to_stage=to_stage, date=date, note=note, by=_user(by)
    )
    if tonnes_per_year is not None:
        locked.tonnes_per_year = tonnes_per_year
    if value_rial is not None:
        locked.value_rial = value_rial
    locked.stage, locked.stage_date = to_stage, date
    if to_stage == SymbiosisStage.LOST:
        locked.lost_reason = lost_reason.strip()
    locked.save()
    log_event(
        locked,
        "green.exchange.moved",
        {
            "from": step.from_stage,
            "to": to_stage,
            "date": date.isoformat(),
            "tonnes": None if locked.tonnes_per_year is None else str(locked.tonnes_per_year),
        },
        actor=_user(by),
    )
    link.stage, link.stage_date = locked.stage, locked.stage_date
    link.tonnes_per_year, link.value_rial = locked.tonnes_per_year, locked.value_rial
    return step


def diverted_by_material(links: QuerySet) -> list[tuple[str, Decimal, int]]:
    """(material code, tonnes a year, value rial) of the contracted and running exchanges of ``links``."""
    from django.db.models import Sum

    rows = (
        links.diverting()
        .order_by()
        .values("material")
        .annotate(tonnes=Sum("tonnes_per_year"), value=Sum("value_rial"))
        .order_by("-tonnes")
    )
    return [(row["material"], row["tonnes"] or Decimal(0), row["value"] or 0) for row in rows]
