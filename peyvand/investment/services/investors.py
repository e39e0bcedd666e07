"""Investors and the evidence behind their claims (team, prior plants, knowledge-based status)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peyvand.accounts.models import Organisation
from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import assign, refuse_others, stored, validate

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


# The fields of an investor's file a caller may set; its estate ``company`` only when opening it.
INVESTOR_FIELDS = (
    "kind",
    "name",
    "name_en",
    "national_id",
    "contact_person",
    "phone",
    "email",
    "address",
    "knowledge_level",
    "knowledge_expiry",
    "knowledge_register_number",
)


def _company_for(by: Any, organisation: Any, chosen: Any) -> Any:
    """The estate company a new file belongs to: the one chosen, the investor organisation's, the one the
    staff member acts for, or the only active one."""
    from peyvand.accounts.acting import acting_company
    from peyvand.accounts.models import Organisation

    if chosen is not None:
        return chosen
    if organisation is not None and organisation.company_id:
        return organisation.company
    company = acting_company(by)
    if company is None and organisation is not None:
        active = list(Organisation.objects.filter(kind="estate_company", is_active=True)[:2])
        company = active[0] if len(active) == 1 else None
    if company is None:
        raise ValidationError({"company": _("Choose the estate company.")}, code="company")
    return company


@transaction.atomic
def save_investor(investor: Investor | None, values: Mapping[str, Any], *, by: Any) -> Investor:
    """Open an investor's file (``investor`` is ``None``: an investor's members open their own, staff one of
    their company) or edit one, from cleaned values (staff of its company, or the investor's own members).
    Keys left out keep their value; others are refused."""
    creating = investor is None
    refuse_others(values, (*INVESTOR_FIELDS, "company") if creating else INVESTOR_FIELDS)
    if investor is None:
        permissions.require(by, permissions.ADD, Investor)
        own = permissions.organisations(by, "investor")
        organisation = Organisation.objects.get(pk=own[0]) if own else None
        if organisation is not None and Investor.objects.filter(organisation=organisation).exists():
            raise ValidationError(_("Your investor's file already exists."), code="exists")
        investor = Investor(organisation=organisation)
        investor.company = _company_for(by, organisation, values.get("company"))
        changed = assign(investor, values, INVESTOR_FIELDS)
        validate(investor, INVESTOR_FIELDS)
    else:
        changed = assign(investor, values, INVESTOR_FIELDS, before=stored(investor))
        validate(investor, changed)
    if not permissions.can(by, permissions.ADD if creating else permissions.CHANGE, investor):
        raise PermissionDenied
    investor.save()
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
