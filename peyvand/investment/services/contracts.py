"""The allocation contract on a plot (payment schedule, milestones) and what follows it: milestones
completed, overdue flags and, past the grace period, repossession."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import jdatetime
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date, to_jalali
from peyvand.estates.choices import PlotState
from peyvand.estates.models import Plot
from peyvand.units import services as unit_services
from peyvand.units.choices import StatusCause, UnitStatus
from peyvand.units.models import ProductionUnit

from ..choices import (
    MILESTONE_MONTHS,
    ApplicationState,
    ContractState,
    MilestoneKind,
)
from ..models import (
    AllocationContract,
    Application,
    Instalment,
    Milestone,
)
from .applications import _seeding_demo_history


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
