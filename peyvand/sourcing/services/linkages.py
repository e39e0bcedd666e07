"""The linkage ledger: starting a linkage and moving it through ``LINKAGE_TRANSITIONS``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import limits, permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.jalali import format_date
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

from ..choices import LINKAGE_TRANSITIONS, STAGE_FIELDS, LinkageStage, RequestState
from ..models import Linkage, LinkageStep, SourcingRequest
from .people import in_both_languages, members_of, notify_users


@transaction.atomic
def start_linkage(
    request: SourcingRequest, unit: ProductionUnit, *, by: Any, source: str, on: dt.date | None = None
) -> Linkage:
    """An officer puts the buyer and a supplier in touch: the ledger's first row."""
    permissions.require(by, permissions.BROKER, request)
    if request.state not in (RequestState.PUBLISHED, RequestState.CLOSED):
        raise ValidationError(_("Buyers and suppliers are put in touch on published requests only."))
    if not request.buyer_revealed:
        raise ValidationError(
            _(
                "The buyer has not yet agreed to reveal its identity; ask it to consent before putting them in touch."
            )
        )
    if unit.status not in PRODUCING:
        raise ValidationError(_("%(unit)s is not in production.") % {"unit": unit.name})
    if Linkage.objects.filter(request=request, unit=unit).exists():
        raise ValidationError(_("This buyer and supplier are already linked for this request."))
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            return _create_linkage(request, unit, by=by, source=source, on=on)
    except IntegrityError:  # two officers clicked at once
        raise ValidationError(_("This buyer and supplier are already linked for this request.")) from None


def _create_linkage(
    request: SourcingRequest, unit: ProductionUnit, *, by: Any, source: str, on: dt.date
) -> Linkage:
    linkage = Linkage.objects.create(
        request=request,
        company=request.company,
        buyer=request.buyer,
        unit=unit,
        source=source,
        stage=LinkageStage.INTRODUCED,
        stage_date=on,
        introduced_on=on,
        quantity=request.quantity,
        quantity_unit=request.quantity_unit,
        created_by=_user(by),
    )
    LinkageStep.objects.create(
        linkage=linkage, from_stage="", to_stage=LinkageStage.INTRODUCED, date=on, by=_user(by)
    )
    log_event(linkage, "sourcing.linkage.introduced", {"source": source, "unit": unit.name}, actor=_user(by))
    log_event(request, "sourcing.linkage.introduced", {"source": source, "unit": unit.name}, actor=_user(by))
    notify_users(
        members_of(unit.organisation) + members_of(request.buyer),
        "linkage",
        in_both_languages(gettext_lazy("You were put in touch: %(title)s"), title=request.title),
        in_both_languages(
            gettext_lazy(
                "The estate company introduced the buyer and the supplier; it will follow up with both."
            )
        ),
        linkage.get_absolute_url(),
    )
    return linkage


def _check_move(
    locked: Linkage, to_stage: str, date: dt.date, lost_reason: str, expected_last_step: int | None
) -> None:
    """Refuse a move the ledger does not allow: stale form, forbidden stage, bad date, lost without why."""
    if expected_last_step is not None:
        last = locked.steps.order_by("-id").values_list("id", flat=True).first()
        if last != expected_last_step:
            raise ValidationError(
                _("This linkage changed since you opened it; check its steps and try again.")
            )
    if to_stage not in LINKAGE_TRANSITIONS.get(locked.stage, frozenset()):
        raise ValidationError(
            _("A linkage cannot go from “%(from)s” to “%(to)s”.")
            % {"from": LinkageStage(locked.stage).label, "to": LinkageStage(to_stage).label}
        )
    if date < locked.stage_date:
        raise ValidationError(
            _("The date cannot be before the current stage began (%(since)s).")
            % {"since": format_date(locked.stage_date)}
        )
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if to_stage == LinkageStage.LOST and not lost_reason:
        raise ValidationError(_("Say why the linkage was lost."))


def _stage_values(
    locked: Linkage, to_stage: str, values: dict[str, Any], date: dt.date, note: str
) -> dict[str, Any]:
    """The values the stage records (``STAGE_FIELDS``), checked against the ledger's limits."""
    values = {
        key: value
        for key, value in values.items()
        if key in STAGE_FIELDS[to_stage] and value not in (None, "")
    }
    values = limits.check_values(Linkage, **values)
    limits.check_values(LinkageStep, date=date, note=note)
    if (
        to_stage == LinkageStage.CONTRACT_SIGNED
        and not values.get("contract_value_rial")
        and not locked.contract_value_rial
    ):
        raise ValidationError(_("Record the contract value when the contract is signed."))
    return values


def _record_values(locked: Linkage, to_stage: str, values: dict[str, Any]) -> None:
    """Write the stage's values on the linkage; a repeat order adds to the contracted value."""
    for key, value in values.items():
        if to_stage == LinkageStage.REPEAT_ORDER and key in ("contract_value_rial", "contract_value_usd"):
            value = (getattr(locked, key) or 0) + value
        setattr(locked, key, value)
    if to_stage == LinkageStage.REPEAT_ORDER:  # the sum of the orders must still fit the ledger
        limits.check_values(
            Linkage,
            **{
                key: getattr(locked, key)
                for key in ("contract_value_rial", "contract_value_usd")
                if key in values
            },
        )


@transaction.atomic
def move_linkage(
    linkage: Linkage,
    to_stage: str,
    *,
    date: dt.date,
    by: Any,
    values: dict[str, Any] | None = None,
    note: str = "",
    lost_reason: str = "",
    expected_last_step: int | None = None,
) -> LinkageStep:
    """Move a linkage one step along the ledger, recording what that stage knows (one table, one place).

    ``expected_last_step`` (the id of the last step when the form was shown) turns a double submit into
    an error instead of a second repeat order.
    """
    permissions.require(by, permissions.BROKER, linkage)
    locked = Linkage.objects.select_for_update().get(pk=linkage.pk)
    _check_move(locked, to_stage, date, lost_reason, expected_last_step)
    values = _stage_values(locked, to_stage, values or {}, date, note)
    step = LinkageStep.objects.create(
        linkage=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        date=date,
        values={key: str(value) for key, value in values.items()},
        note=note,
        by=_user(by),
    )
    _record_values(locked, to_stage, values)
    locked.stage, locked.stage_date = to_stage, date
    if to_stage == LinkageStage.LOST:
        locked.lost_reason = lost_reason
    locked.save()
    data = {"from": step.from_stage, "to": to_stage, "date": date.isoformat(), **step.values}
    log_event(locked, "sourcing.linkage.moved", data, actor=_user(by))
    if locked.request is not None:
        log_event(
            locked.request, "sourcing.linkage.moved", {**data, "unit": locked.unit.name}, actor=_user(by)
        )
    linkage.stage, linkage.stage_date = locked.stage, locked.stage_date
    return step
