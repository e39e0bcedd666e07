"""Every write of the investment path goes through here: permission check, one transaction, audit event.

application → screening → approval (the unit is registered, ``land_allocated``) → allocation contract on a
plot (plot ``allocated``, payment schedule, milestones) → milestones (unit ``under_construction``) →
operation licence (unit ``operating``) — or, past the grace period, repossession (plot ``repossessed``,
unit ``land_repossessed``). Unit statuses move only through ``units.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import jdatetime
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import current_via, log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date, to_jalali
from peyvand.estates.choices import PlotState, Readiness
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.units import services as unit_services
from peyvand.units.choices import StatusCause, UnitStatus
from peyvand.units.models import Product, ProductionUnit

from .choices import (
    APPLICATION_TRANSITIONS,
    DEFAULT_WEIGHTS,
    MILESTONE_MONTHS,
    MOVED_BY,
    NEEDS_REASON,
    ApplicationState,
    ContractState,
    Criterion,
    EvidenceKind,
    MilestoneKind,
)
from .models import (
    AllocationContract,
    Application,
    Evidence,
    Instalment,
    Investor,
    LandUse,
    Milestone,
    ScreeningWeight,
    section_of,
)

REVIEWER_ROLES = ["manager", "investment_expert"]


# --- Investors ---------------------------------------------------------------------------------------
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


# --- Applications ------------------------------------------------------------------------------------
@transaction.atomic
def save_application(form: Any, *, by: Any) -> Application:
    application = form.instance
    creating = application.pk is None
    if creating:
        permissions.require(by, permissions.ADD, Application)
        application.company_id = application.investor.company_id
    if not permissions.can(by, permissions.ADD if creating else permissions.CHANGE, application):
        raise PermissionDenied
    if not creating and application.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
        raise ValidationError(_("A decided application cannot be edited."), code="decided")
    changed = list(form.changed_data)
    application = form.save()
    log_event(
        application,
        "investment.application.created" if creating else "investment.application.updated",
        {"fields": changed},
        actor=_user(by),
    )
    return application


def can_move(application: Application, user: Any, state: str) -> bool:
    """Whether ``user`` may move ``application`` to ``state`` now (approval has its own form)."""
    if state not in APPLICATION_TRANSITIONS.get(application.state, frozenset()):
        return False
    if MOVED_BY.get(state) == "investor":
        return permissions.can(user, permissions.SUBMIT, application)
    return permissions.can(user, permissions.REVIEW, application)


@transaction.atomic
def move_application(
    application: Application, state: str, *, by: Any, reason: str = "", today: dt.date | None = None
) -> Application:
    """submit / take under review / reject / withdraw, each on the timeline with its reason."""
    today = today or timezone.localdate()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if state == ApplicationState.APPROVED:
        raise ValidationError(_("Approve from the approval form: it names the estate."), code="approve")
    if state not in APPLICATION_TRANSITIONS.get(locked.state, frozenset()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": ApplicationState(locked.state).label, "to": ApplicationState(state).label},
            code="transition",
        )
    if not can_move(locked, by, state):
        raise PermissionDenied
    reason = (reason or "").strip()
    if state in NEEDS_REASON and not reason:
        raise ValidationError(_("Say why: the reason is kept on the timeline."), code="reason")
    previous = locked.state
    locked.state, locked.state_since = state, today
    fields = ["state", "state_since"]
    if state == ApplicationState.SUBMITTED:
        locked.submitted_on = today
        fields.append("submitted_on")
    locked.save(update_fields=fields)
    if state == ApplicationState.SUBMITTED:
        _store_score(locked, today=today)
    log_event(
        locked,
        "investment.application.moved",
        {"from": previous, "to": state, "reason": reason},
        actor=_user(by),
    )
    _tell_about_move(locked, state, reason)
    application.state, application.state_since = locked.state, locked.state_since
    return locked


def _seeding_demo_history() -> bool:
    """The demo seeder writes a year of history at once: nobody is told about moves long past."""
    return current_via() == "seed_demo"


def _tell_about_move(application: Application, state: str, reason: str) -> None:
    from peyvand.notifications.services import bilingual, notify_organisation

    if _seeding_demo_history():
        return
    url = application.get_absolute_url()
    if state == ApplicationState.SUBMITTED:
        notify_organisation(
            application.company,
            "system",
            roles=REVIEWER_ROLES,
            title=bilingual(gettext_lazy("New investment application: %(title)s"), title=application.title),
            body=bilingual(
                gettext_lazy("From %(investor)s"), investor=lambda: application.investor.display_name
            ),
            url=url,
        )
    elif application.investor.organisation_id and MOVED_BY.get(state) == "staff":
        notify_organisation(
            application.investor.organisation,
            "system",
            title=bilingual(
                gettext_lazy("Your application “%(title)s” is now: %(state)s"),
                title=application.title,
                state=lambda: str(ApplicationState(state).label),
            ),
            body=(reason, reason),
            url=url,
        )


# --- Screening ---------------------------------------------------------------------------------------
def weights_for(company_id: int) -> dict[str, int]:
    weights = {str(code): points for code, points in DEFAULT_WEIGHTS.items()}
    for row in ScreeningWeight.objects.filter(company_id=company_id):
        weights[row.criterion] = row.weight
    return weights


@dataclass
class CriterionScore:
    code: str
    fraction: float  # 0..1 of the criterion's points
    weight: int
    why: str

    @property
    def points(self) -> float:
        return round(self.fraction * self.weight, 1)


def _ratio(value: float, target: float) -> float:
    return max(0.0, min(1.0, value / target)) if target else 0.0


def open_gap_match(application: Application) -> Any:
    """An open supply gap whose missing capabilities the application's product provides."""
    from peyvand.sourcing.models import GapTicket
    from peyvand.taxonomy.services import suggested_codes

    codes = suggested_codes(application.product, application.title)
    if not codes:
        return None
    return (
        GapTicket.objects.filter(state="open", company_id=application.company_id, missing__code__in=codes)
        .select_related("request")
        .order_by("-created_at")
        .first()
    )


def score(application: Application, *, today: dt.date | None = None) -> list[CriterionScore]:
    """Each criterion's share of its points, with why — the reviewer reads it; it never decides alone."""
    today = today or timezone.localdate()
    targets = settings.PEYVAND_INVESTMENT_TARGETS
    weights = weights_for(application.company_id)
    investor = application.investor
    scores: list[CriterionScore] = []

    def add(code: str, fraction: float, why: str) -> None:
        scores.append(CriterionScore(code, round(fraction, 3), weights.get(code, 0), why))

    if investor.is_knowledge_based(today):
        add(
            Criterion.KNOWLEDGE_BASED,
            1,
            _("knowledge-based certificate valid until %(date)s")
            % {"date": format_date(investor.knowledge_expiry) if investor.knowledge_expiry else "—"},
        )
    else:
        add(Criterion.KNOWLEDGE_BASED, 0, _("no valid knowledge-based certificate"))
    checked = set(investor.evidence.filter(checked=True).values_list("kind", flat=True))
    add(
        Criterion.TECHNICAL_CAPACITY,
        len(checked) / len(EvidenceKind.values),
        _("%(count)s of %(all)s kinds of evidence checked")
        % {"count": len(checked), "all": len(EvidenceKind)},
    )
    hectares = float(application.land_m2) / 10_000
    jobs_per_ha = application.jobs_planned / hectares if hectares else 0
    add(
        Criterion.JOBS_PER_HECTARE,
        _ratio(jobs_per_ha, targets["jobs_per_hectare"]),
        _("%(value)s jobs per hectare (target %(target)s)")
        % {"value": round(jobs_per_ha), "target": targets["jobs_per_hectare"]},
    )
    per_m2 = application.investment_rial / float(application.land_m2) if application.land_m2 else 0
    add(
        Criterion.INVESTMENT_PER_M2,
        _ratio(per_m2, targets["rial_per_m2"]),
        _("%(value)s million rial per m² (target %(target)s)")
        % {"value": round(per_m2 / 1_000_000), "target": round(targets["rial_per_m2"] / 1_000_000)},
    )
    export = float(application.export_share)
    add(
        Criterion.EXPORT_PLAN,
        _ratio(export, targets["export_share"]) if application.export_markets or not export else 0,
        _("%(share)s%% of the output exported") % {"share": round(export)},
    )
    add(
        Criterion.GREEN_PROFILE,
        (5 - application.environment_group) / 4,
        _("environmental group %(group)s") % {"group": application.environment_group},
    )
    gap = open_gap_match(application)
    if gap is not None:
        add(Criterion.FILLS_GAP, 1, _("supplies an open gap: %(request)s") % {"request": gap.request.title})
    elif application.import_substitution:
        add(Criterion.FILLS_GAP, 1, _("replaces imports"))
    else:
        add(Criterion.FILLS_GAP, 0, _("no open gap or import need named"))
    fits = [fit for fit in estate_fit(application) if fit.fits]
    preferred = {estate.pk for estate in application.preferred_estates.all()}
    if any(fit.estate.pk in preferred for fit in fits):
        add(Criterion.ESTATE_FIT, 1, _("a preferred estate admits it and has a plot"))
    elif fits:
        add(Criterion.ESTATE_FIT, 0.5, _("%(count)s other estates fit") % {"count": len(fits)})
    else:
        add(Criterion.ESTATE_FIT, 0, _("no estate fits yet"))
    return scores


def _store_score(application: Application, *, today: dt.date | None = None) -> None:
    """Keep the score with each criterion's reasons in both languages (the page shows the reader's)."""
    from django.utils import translation

    by_language = {}
    for language in ("fa", "en"):
        with translation.override(language):
            by_language[language] = score(application, today=today)
    scores = by_language["fa"]
    total = sum(item.points for item in scores)
    maximum = sum(item.weight for item in scores) or 1
    application.score = Decimal(str(round(100 * total / maximum, 1)))
    application.score_details = [
        {
            "code": s.code,
            "fraction": s.fraction,
            "weight": s.weight,
            "points": s.points,
            "why_fa": s.why,
            "why_en": english.why,
        }
        for s, english in zip(scores, by_language["en"], strict=True)
    ]
    application.save(update_fields=["score", "score_details"])


@transaction.atomic
def screen(application: Application, *, by: Any, note: str = "", today: dt.date | None = None) -> Application:
    """Recompute the score and keep the reviewer's notes beside it."""
    permissions.require(by, permissions.REVIEW, application)
    if application.state not in (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW):
        raise ValidationError(_("Only submitted applications are screened."), code="state")
    _store_score(application, today=today)
    application.reviewer_note = note.strip()
    application.save(update_fields=["reviewer_note"])
    log_event(
        application,
        "investment.application.screened",
        {"score": str(application.score), "note": note},
        actor=_user(by),
    )
    return application


# --- Land-use fit (آمایش) ----------------------------------------------------------------------------
@dataclass
class EstateFit:
    estate: IndustrialEstate
    fits: bool
    reasons: list[str] = field(default_factory=list)
    plots: list[Plot] = field(default_factory=list)
    preferred: bool = False
    readiness: int = 0  # utility networks ready


def plot_readiness(estate: IndustrialEstate) -> int:
    """How many of the estate's networks (water, power, gas, wastewater) reach its plots ready."""
    return sum(
        1 for name in ("water", "power", "gas", "wastewater") if getattr(estate, name) == Readiness.READY
    )


def estate_fit(application: Application, estates: QuerySet | None = None) -> list[EstateFit]:
    """The estates of the application's company ranked by fit, each with why it does or does not fit.

    An estate fits when its land-use plan admits the industry and its environmental group, its water,
    power and gas capacity left covers the needs, and it has a free plot at least as large as requested
    (the closest in size first).
    """
    estates = (
        estates if estates is not None else IndustrialEstate.objects.filter(company_id=application.company_id)
    )
    estates = list(estates.select_related("land_use", "county"))
    section = section_of(application.isic)
    need = application.land_m2
    plots_by_estate: dict[int, list[Plot]] = {}
    for plot in Plot.objects.filter(estate__in=estates, state=PlotState.FREE, area_m2__gte=need).order_by(
        "area_m2", "number"
    ):
        plots_by_estate.setdefault(plot.estate_id, []).append(plot)
    preferred = {estate.pk for estate in application.preferred_estates.all()}
    results = []
    for estate in estates:
        fit = EstateFit(estate, True, preferred=estate.pk in preferred, readiness=plot_readiness(estate))
        land_use: LandUse | None = getattr(estate, "land_use", None)
        if land_use is None:
            fit.reasons.append(_("no land-use plan recorded"))
        else:
            if not land_use.admits(application.isic.code, section):
                fit.reasons.append(
                    _("does not admit ISIC %(code)s (admits %(admitted)s)")
                    % {"code": application.isic.code, "admitted": land_use.admitted_isic}
                )
            if application.environment_group > land_use.max_environment_group:
                fit.reasons.append(
                    _("environmental group %(group)s above the allowed %(max)s")
                    % {"group": application.environment_group, "max": land_use.max_environment_group}
                )
            for need_value, left, label in (
                (application.water_m3_day, land_use.water_left_m3_day, _("water")),
                (application.power_kw, land_use.power_left_kw, _("power")),
                (application.gas_m3_hour, land_use.gas_left_m3_hour, _("gas")),
            ):
                if need_value > left:
                    fit.reasons.append(
                        _("%(utility)s: needs %(need)s, %(left)s left")
                        % {"utility": label, "need": need_value.normalize(), "left": left.normalize()}
                    )
        fit.plots = plots_by_estate.get(estate.pk, [])[:5]
        if not fit.plots:
            fit.reasons.append(_("no free plot of %(area)s m² or more") % {"area": int(need)})
        fit.fits = not fit.reasons
        results.append(fit)
    results.sort(
        key=lambda fit: (
            not fit.fits,
            not fit.preferred,
            -fit.readiness,
            float(fit.plots[0].area_m2) if fit.plots else 1e12,
            fit.estate.sort_name,
        )
    )
    return results


# --- Approval: the unit enters the registry ----------------------------------------------------------
@transaction.atomic
def approve(
    application: Application,
    estate: IndustrialEstate,
    *,
    by: Any,
    note: str = "",
    today: dt.date | None = None,
) -> Application:
    """A reviewer approves (the score never does): the unit is registered ``land_allocated`` in ``estate``."""
    today = today or timezone.localdate()
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("investor", "isic")
        .get(pk=application.pk)
    )
    permissions.require(by, permissions.REVIEW, locked)
    if locked.state != ApplicationState.UNDER_REVIEW:
        raise ValidationError(_("Only an application under review can be approved."), code="state")
    if estate.company_id != locked.company_id:
        raise ValidationError(_("Choose one of the company's estates."), code="estate")
    unit = ProductionUnit(
        name=f"{locked.title}",
        legal_name=locked.investor.name if locked.investor.kind == "company" else "",
        estate=estate,
        isic=locked.isic,
        employees=locked.jobs_planned,
        knowledge_based=locked.investor.is_knowledge_based(today),
        export_oriented=locked.export_share >= 20,
        contact_person=locked.investor.contact_person,
        phone=locked.investor.phone,
        email=locked.investor.email,
        description=locked.product,
    )
    unit_services.register_unit(
        unit,
        status=UnitStatus.LAND_ALLOCATED,
        since=today,
        by=by,
        cause=StatusCause.INITIAL,
        note=_("Investment application %(reference)s approved") % {"reference": locked.reference},
        check_permission=False,  # the reviewer's right on the application is the gate here
    )
    Product.objects.create(unit=unit, name=locked.product)
    _tag_capabilities(unit, locked)
    unit_services.refresh_search_text(unit)
    previous = locked.state
    locked.state, locked.state_since, locked.estate, locked.unit = (
        ApplicationState.APPROVED,
        today,
        estate,
        unit,
    )
    if note.strip():
        locked.reviewer_note = note.strip()
    locked.save(update_fields=["state", "state_since", "estate", "unit", "reviewer_note"])
    log_event(
        locked,
        "investment.application.moved",
        {"from": previous, "to": ApplicationState.APPROVED, "reason": note.strip(), "estate": estate.name},
        actor=_user(by),
    )
    _tell_about_move(locked, ApplicationState.APPROVED, note.strip())
    application.state, application.estate, application.unit = locked.state, estate, unit
    return locked


def _tag_capabilities(unit: ProductionUnit, application: Application) -> None:
    from peyvand.taxonomy.models import Capability
    from peyvand.taxonomy.services import suggested_codes

    codes = suggested_codes(application.product, application.title)[:4]
    unit.capabilities.set(Capability.objects.filter(code__in=codes, is_active=True))


# --- The allocation contract -------------------------------------------------------------------------
@dataclass(frozen=True)
class Terms:
    price_per_m2_rial: int
    down_payment_share: Decimal
    instalments: int
    waiver_share: Decimal = Decimal(0)
    grace_days: int = 180


def add_months(day: dt.date, months: int) -> dt.date:
    """The same Jalali day ``months`` Jalali months later (clamped to the month's length)."""
    from peyvand.core.kpis import jalali_month_length

    jday = to_jalali(day)
    index = jday.month - 1 + months
    year, month = jday.year + index // 12, index % 12 + 1
    return jdatetime.date(year, month, min(jday.day, jalali_month_length(year, month))).togregorian()


def schedule(total_rial: int, terms: Terms, signed_on: dt.date) -> list[tuple[int, dt.date, int]]:
    """(number, due date, amount): the down payment on signing, then equal monthly instalments on the
    same Jalali day; rounding goes to the last one so the sum is the total to the rial."""
    down = int((Decimal(total_rial) * terms.down_payment_share / 100).quantize(Decimal(1), ROUND_HALF_UP))
    rows = [(0, signed_on, down)]
    rest = total_rial - down
    if terms.instalments:
        each = rest // terms.instalments
        for number in range(1, terms.instalments + 1):
            amount = each if number < terms.instalments else rest - each * (terms.instalments - 1)
            rows.append((number, add_months(signed_on, number), amount))
    elif rest:
        rows[0] = (0, signed_on, total_rial)
    return rows


@transaction.atomic
def allocate(
    application: Application,
    plot: Plot,
    terms: Terms,
    *,
    by: Any,
    signed_on: dt.date | None = None,
) -> AllocationContract:
    """Sign the contract on ``plot``: the plot is allocated, the unit placed on it, the schedule and
    the milestones written."""
    signed_on = signed_on or timezone.localdate()
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("investor", "unit")
        .get(pk=application.pk)
    )
    permissions.require(by, permissions.REVIEW, locked)
    if locked.state != ApplicationState.APPROVED or locked.unit_id is None:
        raise ValidationError(_("Land is allocated to approved applications only."), code="state")
    if AllocationContract.objects.filter(application=locked).exists():
        raise ValidationError(_("This application already has a contract."), code="exists")
    plot = Plot.objects.select_for_update().get(pk=plot.pk)
    if plot.estate_id != locked.estate_id:
        raise ValidationError(_("The plot must be in the approved estate."), code="estate")
    if plot.state != PlotState.FREE:
        raise ValidationError(_("Plot %(number)s is not free.") % {"number": plot.number}, code="taken")
    if signed_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if signed_on < locked.state_since:
        raise ValidationError(_("The contract cannot be signed before the approval."), code="order")
    total = int((plot.area_m2 * terms.price_per_m2_rial).quantize(Decimal(1), ROUND_HALF_UP))
    contract = AllocationContract.objects.create(
        application=locked,
        plot=plot,
        number=f"AC-{to_jalali(signed_on).year}-{locked.pk:05d}",
        signed_on=signed_on,
        area_m2=plot.area_m2,
        price_per_m2_rial=terms.price_per_m2_rial,
        total_rial=total,
        down_payment_share=terms.down_payment_share,
        instalments=terms.instalments,
        waiver_share=terms.waiver_share,
        grace_days=terms.grace_days,
    )
    Instalment.objects.bulk_create(
        Instalment(contract=contract, number=n, due_on=due, amount_rial=amount)
        for n, due, amount in schedule(total, terms, signed_on)
    )
    Milestone.objects.bulk_create(
        Milestone(
            contract=contract, kind=kind, order=order, deadline=add_months(signed_on, MILESTONE_MONTHS[kind])
        )
        for order, kind in enumerate(MilestoneKind.values, start=1)
    )
    plot.state = PlotState.ALLOCATED
    plot.save(update_fields=["state"])
    ProductionUnit.objects.filter(pk=locked.unit_id).update(plot=plot)
    unit_services.units_changed([locked.unit_id], reason="plot allocated")
    log_event(
        locked,
        "investment.contract.signed",
        {"number": contract.number, "plot": plot.number, "total": total},
        actor=_user(by),
    )
    if locked.investor.organisation_id and not _seeding_demo_history():
        from peyvand.notifications.services import bilingual, notify_organisation

        notify_organisation(
            locked.investor.organisation,
            "system",
            title=bilingual(
                gettext_lazy("Plot %(plot)s allocated: contract %(number)s"),
                plot=plot.number,
                number=contract.number,
            ),
            url=contract.get_absolute_url(),
        )
    return contract


# --- Construction milestones -------------------------------------------------------------------------
@transaction.atomic
def complete_milestone(
    milestone: Milestone, *, done_on: dt.date, by: Any, evidence: Any = None, note: str = ""
) -> Milestone:
    """Record a milestone as met; the first one starts construction, the operation licence makes the
    unit operating — through the unit life-cycle service."""
    permissions.require(by, permissions.REVIEW, milestone)
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("contract__application__unit")
        .get(pk=milestone.pk)
    )
    contract = milestone.contract
    if contract.state != ContractState.ACTIVE:
        raise ValidationError(_("The contract is no longer building."), code="closed")
    if milestone.done_on:
        raise ValidationError(_("This milestone was already recorded."), code="done")
    if done_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if done_on < contract.signed_on:
        raise ValidationError(_("The date cannot be before the contract was signed."), code="order")
    milestone.done_on, milestone.note = done_on, note.strip()
    if evidence:
        milestone.evidence = evidence
    milestone.save()
    unit = contract.application.unit
    if unit is not None and unit.status == UnitStatus.LAND_ALLOCATED:
        unit_services.change_status(
            unit,
            UnitStatus.UNDER_CONSTRUCTION,
            date=max(done_on, unit.status_since),
            cause=StatusCause.CONSTRUCTION_STARTED,
            by=by,
            note=milestone.get_kind_display(),
            check_permission=False,
        )
    if milestone.kind == MilestoneKind.OPERATION_LICENCE:
        if unit is not None and unit.status == UnitStatus.UNDER_CONSTRUCTION:
            unit_services.change_status(
                unit,
                UnitStatus.OPERATING,
                date=max(done_on, unit.status_since),
                cause=StatusCause.OPERATION_LICENCE,
                by=by,
                check_permission=False,
            )
        contract.state, contract.closed_on = ContractState.COMPLETED, done_on
        contract.save(update_fields=["state", "closed_on"])
    log_event(
        contract,
        "investment.milestone.done",
        {"kind": milestone.kind, "date": done_on.isoformat(), "note": note},
        actor=_user(by),
    )
    return milestone


def overdue_milestones(on: dt.date | None = None) -> QuerySet:
    return Milestone.objects.overdue(on).select_related(
        "contract__application__investor", "contract__plot__estate"
    )


def flag_overdue(*, today: dt.date | None = None) -> int:
    """Tell each investor once about each milestone past its deadline; returns how many were flagged."""
    from peyvand.notifications.services import bilingual, notify_organisation

    today = today or timezone.localdate()
    flagged = 0
    for milestone in overdue_milestones(today).filter(notified_on__isnull=True):
        with transaction.atomic():
            investor = milestone.contract.application.investor
            if investor.organisation_id:
                notify_organisation(
                    investor.organisation,
                    "reminder",
                    title=bilingual(
                        gettext_lazy("Overdue: %(milestone)s of contract %(number)s"),
                        milestone=lambda m=milestone: str(m.get_kind_display()),
                        number=milestone.contract.number,
                    ),
                    body=bilingual(
                        gettext_lazy(
                            "It was due on %(date)s. After the grace period the land may be repossessed."
                        ),
                        date=lambda m=milestone: format_date(m.deadline),
                    ),
                    url=milestone.contract.get_absolute_url(),
                )
            Milestone.objects.filter(pk=milestone.pk).update(notified_on=today)
            log_event(
                milestone.contract,
                "investment.milestone.overdue",
                {"kind": milestone.kind, "deadline": milestone.deadline.isoformat()},
            )
            flagged += 1
    return flagged


def repossession_due(contract: AllocationContract, today: dt.date | None = None) -> Milestone | None:
    """The first milestone overdue past the grace period (None: repossession may not start)."""
    if contract.state != ContractState.ACTIVE:
        return None
    limit = (today or timezone.localdate()) - dt.timedelta(days=contract.grace_days)
    return contract.milestones.filter(done_on__isnull=True, deadline__lt=limit).order_by("order").first()


@transaction.atomic
def repossess(
    contract: AllocationContract, *, by: Any, reason: str, today: dt.date | None = None
) -> AllocationContract:
    """Past the grace period, take the land back: plot ``repossessed``, unit ``land_repossessed``."""
    today = today or timezone.localdate()
    permissions.require(by, permissions.REVIEW, contract)
    contract = (
        AllocationContract.objects.select_for_update(of=("self",))
        .select_related("application__unit", "plot")
        .get(pk=contract.pk)
    )
    late = repossession_due(contract, today)
    if late is None:
        raise ValidationError(
            _("Repossession may start only after a milestone is overdue past the grace period."), code="early"
        )
    if not reason.strip():
        raise ValidationError(_("Say why: the reason is kept on the timeline."), code="reason")
    contract.state, contract.closed_on = ContractState.REPOSSESSED, today
    contract.save(update_fields=["state", "closed_on"])
    contract.plot.state = PlotState.REPOSSESSED
    contract.plot.save(update_fields=["state"])
    unit = contract.application.unit
    if unit is not None:
        unit_services.change_status(
            unit,
            UnitStatus.LAND_REPOSSESSED,
            date=max(today, unit.status_since),
            cause=StatusCause.CONTRACT_BREACH,
            by=by,
            note=reason.strip(),
            check_permission=False,
        )
    log_event(
        contract,
        "investment.contract.repossessed",
        {"milestone": late.kind, "deadline": late.deadline.isoformat(), "reason": reason.strip()},
        actor=_user(by),
    )
    if contract.application.investor.organisation_id:
        from peyvand.notifications.services import bilingual, notify_organisation

        notify_organisation(
            contract.application.investor.organisation,
            "system",
            title=bilingual(
                gettext_lazy("Plot %(plot)s repossessed: contract %(number)s"),
                plot=contract.plot.number,
                number=contract.number,
            ),
            body=(reason, reason),
            url=contract.get_absolute_url(),
        )
    return contract


# --- Land-use plans ----------------------------------------------------------------------------------
@transaction.atomic
def save_land_use(form: Any, *, by: Any) -> LandUse:
    permissions.require(by, permissions.CHANGE, form.instance.estate)
    changed = list(form.changed_data)
    land_use = form.save()
    log_event(land_use.estate, "investment.land_use.updated", {"fields": changed}, actor=_user(by))
    return land_use


@transaction.atomic
def save_weights(company_id: int, weights: dict[str, int], *, by: Any) -> None:
    """The company's screening weights; scores are recomputed when an application is next screened."""
    from peyvand.accounts.models import Organisation

    company = Organisation.objects.get(pk=company_id)
    if not permissions.can(by, permissions.REVIEW, Application(company=company)):
        raise PermissionDenied
    before = weights_for(company_id)
    for code, weight in weights.items():
        ScreeningWeight.objects.update_or_create(company=company, criterion=code, defaults={"weight": weight})
    log_event(
        company,
        "investment.weights.changed",
        {"before": before, "after": weights_for(company_id)},
        actor=_user(by),
    )
