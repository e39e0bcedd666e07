"""Merging two records of one unit: one explicit rule for every relation that points at a unit.

The relations are read from the model's meta, so a relation a later app adds is found automatically;
the app registers its rule (``register``) in its ``AppConfig.ready``. A relation without a rule makes
the merge refuse — nothing is ever deleted with the duplicate by accident. Each rule checks first
(what would block the merge, in words the user reads) and moves afterwards; the merge runs the checks
of every rule before it writes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from peyvand.core.jalali import jalali_text
from peyvand.matching.text import fold

from .choices import TRANSITIONS, ClaimState, StatusCause, UnitStatus
from .models import ClaimRequest, Product, ProductionUnit, StatusChange, UnitCertification

Check = Callable[[ProductionUnit, ProductionUnit], list[str]]
Apply = Callable[[ProductionUnit, ProductionUnit], dict[str, int]]


@dataclass(frozen=True)
class Rule:
    """How a merge treats one relation: ``check`` names what blocks it, ``apply`` moves the rows."""

    apply: Apply
    check: Check = field(default=lambda survivor, duplicate: [])
    describe: str = ""


_rules: dict[tuple[str, str], Rule] = {}


def register(model: type[models.Model], field_name: str, rule: Rule) -> None:
    """The merge rule of ``model.field_name`` (a foreign key or one-to-one field to a unit)."""
    _rules[(model._meta.label, field_name)] = rule


def unit_relations() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) that points at a unit, as the models declare it today."""
    relations = []
    for relation in ProductionUnit._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created:
            continue
        if relation.related_model._meta.auto_created:  # the through table of a unit's own many-to-many
            continue
        relations.append((relation.related_model, relation.field.name))
    return relations


def rule_for(model: type[models.Model], field_name: str) -> Rule | None:
    return _rules.get((model._meta.label, field_name))


def unhandled() -> list[tuple[type[models.Model], str]]:
    return [(model, name) for model, name in unit_relations() if rule_for(model, name) is None]


def blockers(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    """Everything that stops this merge, each in one sentence (empty: the merge can go ahead)."""
    problems = [
        _(
            "No merge rule says what happens to the duplicate's %(records)s: the merge is refused so that nothing is lost."
        )
        % {"records": model._meta.verbose_name_plural}
        for model, _name in unhandled()
    ]
    for field_name, label in (("national_id", _("national ID")), ("licence_number", _("licence number"))):
        mine, theirs = getattr(survivor, field_name), getattr(duplicate, field_name)
        if mine and theirs and mine != theirs:
            problems.append(
                _(
                    "The two records have different %(field)s (%(first)s and %(second)s): they are different units, or one is wrong — correct it first."
                )
                % {"field": label, "first": mine, "second": theirs}
            )
    for model, name in unit_relations():
        rule = rule_for(model, name)
        if rule is not None:
            problems.extend(rule.check(survivor, duplicate))
    return problems


def move_all(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, dict[str, int]]:
    """Apply every rule (after ``blockers`` came back empty); what each one did, by relation."""
    done = {}
    for model, name in unit_relations():
        done[f"{model._meta.label}.{name}"] = rule_for(model, name).apply(survivor, duplicate)
    for relation in ProductionUnit._meta.many_to_many:  # plain tags (capabilities): the union
        if relation.remote_field.through._meta.auto_created:
            getattr(survivor, relation.name).add(*getattr(duplicate, relation.name).all())
    return done


def move_rows(model: type[models.Model], field_name: str) -> Apply:
    """The rule for rows that cannot collide: they all point at the survivor afterwards."""

    def apply(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
        moved = model._default_manager.filter(**{field_name: duplicate}).update(**{field_name: survivor})
        return {"moved": moved}

    return apply


# --- the units app's own relations ----------------------------------------------------------------
def _merge_products(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    """Products move; one the survivor already makes (same name, folded) fills its blanks instead."""
    own = {fold(product.name): product for product in survivor.products.all()}
    moved = merged = 0
    for product in Product.objects.filter(unit=duplicate):
        twin = own.get(fold(product.name))
        if twin is None:
            product.unit = survivor
            product.save(update_fields=["unit"])
            moved += 1
            continue
        blanks = [
            name
            for name in ("name_en", "hs", "annual_capacity", "capacity_unit")
            if getattr(twin, name) in (None, "") and getattr(product, name) not in (None, "")
        ]
        if "hs" in blanks and product.tariff_line:
            blanks.append("tariff_line")  # the tariff line goes with its HS code
        for name in blanks:
            setattr(twin, name, getattr(product, name))
        if blanks:
            twin.save(update_fields=[("hs_id" if name == "hs" else name) for name in blanks])
        product.delete()
        merged += 1
    return {"moved": moved, "merged": merged}


def merged_history(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[tuple[Any, str | None]]:
    """Both histories in date order as (record, status before it); a record repeating the status
    before it is left out (None as its status before marks the first record)."""
    records = sorted(
        StatusChange.objects.filter(unit__in=[survivor, duplicate]),
        key=lambda change: (change.date, change.created_at, change.pk),
    )
    chain: list[tuple[Any, str | None]] = []
    previous: str | None = None
    for change in records:
        if chain and change.to_status == previous:
            continue
        chain.append((change, previous))
        previous = change.to_status
    return chain


def _check_history(survivor: ProductionUnit, duplicate: ProductionUnit) -> list[str]:
    """The combined history must follow the life-cycle table from its first record to its last."""
    problems = []
    for change, previous in merged_history(survivor, duplicate):
        if previous is not None and change.to_status not in TRANSITIONS.get(previous, frozenset()):
            problems.append(
                _(
                    "The two histories do not fit together: on %(date)s the unit would go from “%(from)s” to “%(to)s”, which the life cycle does not allow. Correct one of the histories first."
                )
                % {
                    "date": jalali_text(change.date),
                    "from": UnitStatus(previous).label,
                    "to": UnitStatus(change.to_status).label,
                }
            )
    return problems


def _merge_history(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    """Re-link both histories in date order; the unit's status follows the last record."""
    chain = merged_history(survivor, duplicate)
    kept = {change.pk for change, _previous in chain}
    dropped = StatusChange.objects.filter(unit__in=[survivor, duplicate]).exclude(pk__in=kept)
    dropped_count = len(dropped)
    for change in dropped:
        change.delete()  # through the model: the audit trail records it
    for change, previous in chain:
        fields = []
        if change.unit_id != survivor.pk:
            change.unit = survivor
            fields.append("unit")
        if change.from_status != previous:
            change.from_status = previous
            fields.append("from_status")
        cause = StatusCause.INITIAL if previous is None else change.cause
        if previous is not None and change.cause == StatusCause.INITIAL:
            cause = StatusCause.OTHER  # a former first record now follows another
        if cause != change.cause:
            change.cause = cause
            fields.append("cause")
        if fields:
            change.save(update_fields=fields)
    if chain:
        last = chain[-1][0]
        ProductionUnit.objects.filter(pk=survivor.pk).update(status=last.to_status, status_since=last.date)
        survivor.status, survivor.status_since = last.to_status, last.date
    return {"kept": len(chain), "dropped": dropped_count}


def _merge_claims(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    """Claims move; a person with a pending claim on both keeps the survivor's, the other is closed."""
    closed = 0
    pending_here = set(
        ClaimRequest.objects.filter(unit=survivor, state=ClaimState.PENDING).values_list("user_id", flat=True)
    )
    for claim in ClaimRequest.objects.filter(
        unit=duplicate, state=ClaimState.PENDING, user_id__in=pending_here
    ):
        claim.state = ClaimState.REJECTED
        claim.decision_note = _("The unit was merged into another that has the same pending request.")
        claim.save(update_fields=["state", "decision_note"])
        closed += 1
    moved = ClaimRequest.objects.filter(unit=duplicate).update(unit=survivor)
    return {"moved": moved, "closed": closed}


def merge_organisations(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    """The survivor's representatives: the duplicate's organisation moves over when the survivor has
    none; when both have one, the duplicate's members (the stronger role when someone is in both) and
    pending invitations join the survivor's, and the duplicate's organisation is deactivated."""
    from peyvand.accounts.models import Invitation, Membership

    if duplicate.organisation_id is None:
        return {}
    if survivor.organisation_id is None:
        return {}  # the profile fill gives the survivor the duplicate's organisation
    strength = {"viewer": 0, "editor": 1, "admin": 2}
    kept = {m.user_id: m for m in Membership.objects.filter(organisation_id=survivor.organisation_id)}
    moved = upgraded = 0
    for membership in Membership.objects.filter(organisation_id=duplicate.organisation_id):
        mine = kept.get(membership.user_id)
        if mine is None:
            membership.organisation_id = survivor.organisation_id
            membership.save(update_fields=["organisation"])
            moved += 1
        else:
            if strength.get(membership.role, 0) > strength.get(mine.role, 0):
                mine.role = membership.role
                mine.save(update_fields=["role"])
                upgraded += 1
            membership.delete()
    invitations = Invitation.objects.filter(organisation_id=duplicate.organisation_id).update(
        organisation_id=survivor.organisation_id
    )
    duplicate.organisation.is_active = False
    duplicate.organisation.save(update_fields=["is_active"])
    return {"members_moved": moved, "roles_kept_stronger": upgraded, "invitations_moved": invitations}


def _merge_certificates(survivor: ProductionUnit, duplicate: ProductionUnit) -> dict[str, int]:
    """Certificates move; one the survivor holds too keeps the survivor's, its number filled if blank."""
    own = {(link.certification_id, link.as_written): link for link in survivor.certificates.all()}
    moved = merged = 0
    for link in UnitCertification.objects.filter(productionunit=duplicate):
        twin = own.get((link.certification_id, link.as_written))
        if twin is None:
            link.productionunit = survivor
            link.save(update_fields=["productionunit"])
            moved += 1
            continue
        if link.reference and not twin.reference:
            twin.reference = link.reference
            twin.save(update_fields=["reference"])
        link.delete()
        merged += 1
    return {"moved": moved, "merged": merged}


register(Product, "unit", Rule(apply=_merge_products, describe="same name: blanks filled"))
register(UnitCertification, "productionunit", Rule(apply=_merge_certificates))
register(StatusChange, "unit", Rule(apply=_merge_history, check=_check_history))
register(ClaimRequest, "unit", Rule(apply=_merge_claims))
