"""Applications: filing, moving through their states (with the one transition table) and approval,
which registers the unit (``land_allocated``) through ``units.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import permissions
from peyvand.core.audit import current_via, log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import assign, refuse_others, set_relations, stored, validate
from peyvand.estates.models import IndustrialEstate
from peyvand.units import services as unit_services
from peyvand.units.choices import StatusCause, UnitStatus
from peyvand.units.models import Product, ProductionUnit

from ..choices import (
    APPLICATION_TRANSITIONS,
    MOVED_BY,
    NEEDS_REASON,
    ApplicationState,
)
from ..models import (
    Application,
)
from .screening import _store_score

REVIEWER_ROLES = ["manager", "investment_expert"]


# The fields of an application a caller may set; its ``investor`` only when filing it.
APPLICATION_FIELDS = (
    "title",
    "product",
    "isic",
    "hs_codes",
    "investment_rial",
    "usd_share",
    "jobs_planned",
    "land_m2",
    "water_m3_day",
    "power_kw",
    "gas_m3_hour",
    "wastewater",
    "environment_group",
    "export_share",
    "export_markets",
    "import_substitution",
)
APPLICATION_RELATIONS = ("preferred_estates",)


@transaction.atomic
def save_application(application: Application | None, values: Mapping[str, Any], *, by: Any) -> Application:
    """File an application (``application`` is ``None``; ``values["investor"]`` is the investor, by default
    the actor's own) or edit one still a draft or submitted, from cleaned values. Keys left out keep their
    value; others are refused."""
    from .investors import own_investor

    creating = application is None
    refuse_others(values, (*APPLICATION_FIELDS, *APPLICATION_RELATIONS, *(("investor",) if creating else ())))
    if application is None:
        permissions.require(by, permissions.ADD, Application)
        investor = values.get("investor") or own_investor(by)
        if investor is None:
            raise ValidationError({"investor": _("Choose the investor.")}, code="investor")
        if not permissions.can(by, permissions.CHANGE, investor):
            raise PermissionDenied
        application = Application(investor=investor, company_id=investor.company_id)
        changed = assign(application, values, APPLICATION_FIELDS)
        validate(application, APPLICATION_FIELDS)
    else:
        before = stored(application)
        if before.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            raise ValidationError(_("A decided application cannot be edited."), code="decided")
        changed = assign(application, values, APPLICATION_FIELDS, before=before)
        validate(application, changed)
    if not permissions.can(by, permissions.ADD if creating else permissions.CHANGE, application):
        raise PermissionDenied
    wrong = [
        estate
        for estate in values.get("preferred_estates") or []
        if estate.company_id != application.company_id
    ]
    if wrong:
        raise ValidationError(
            {"preferred_estates": _("%(estate)s is not an estate of this company.") % {"estate": wrong[0]}}
        )
    application.save()
    changed += set_relations(application, values, APPLICATION_RELATIONS)
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
