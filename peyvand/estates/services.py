"""Every write of estates and their plots from a page, the API or a command: permission-checked, atomic,
on the estate's timeline. Both take cleaned values and the acting user; keys left out keep their value and
keys a caller may not set are refused. (The estates importer previews a whole file before it writes, then
writes its batches in bulk: it checks rows with the same rule, ``area_error``, and writes the same audit rows
and timeline events.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import assign, refuse_others, stored, validate
from peyvand.matching.text import normalize, to_ascii_digits

from .models import IndustrialEstate, Plot

# The fields of an estate a caller may set (``company``: one the caller acts for).
ESTATE_FIELDS = (
    "name",
    "name_en",
    "code",
    "kind",
    "county",
    "company",
    "total_area_ha",
    "industrial_area_ha",
    "water",
    "power",
    "gas",
    "telecom",
    "wastewater",
    "latitude",
    "longitude",
    "description",
)
# The fields of a plot a caller may set; its ``estate`` only when adding it.
PLOT_FIELDS = ("number", "area_m2", "zone", "state")


def area_error(total: Any, industrial: Any) -> str | None:
    """The one rule on an estate's areas (the service, the form and the importer ask here)."""
    if total is not None and industrial is not None and industrial > total:
        return _("The industrial area cannot exceed the total area.")
    return None


@transaction.atomic
def save_estate(estate: IndustrialEstate | None, values: Mapping[str, Any], *, by: Any) -> IndustrialEstate:
    """Add an estate (``estate`` is ``None``; its company by default the one the caller acts for) or edit
    one, from cleaned values."""
    from peyvand.accounts.acting import acting_company

    refuse_others(values, ESTATE_FIELDS)
    creating = estate is None
    if estate is None:
        permissions.require(by, permissions.ADD, IndustrialEstate)
        estate = IndustrialEstate(company=values.get("company") or acting_company(by))
        changed = assign(estate, values, ESTATE_FIELDS)
    else:
        permissions.require(by, permissions.CHANGE, estate)
        changed = assign(estate, values, ESTATE_FIELDS, before=stored(estate))
    if estate.company_id is None:
        raise ValidationError({"company": _("Choose the estate company.")})
    # the estate's company is one the caller acts for (also after a move to another company)
    permissions.require(by, permissions.ADD if creating else permissions.CHANGE, estate)
    error = area_error(estate.total_area_ha, estate.industrial_area_ha)
    if error:
        raise ValidationError({"industrial_area_ha": error})
    validate(estate, ESTATE_FIELDS if creating else changed)
    estate.save()
    if creating:
        log_event(estate, "estates.estate.created", {"name": estate.name}, actor=_user(by))
    elif changed:
        log_event(estate, "estates.estate.updated", {"fields": changed}, actor=_user(by))
    return estate


@transaction.atomic
def save_plot(plot: Plot | None, values: Mapping[str, Any], *, by: Any) -> Plot:
    """Add a plot (``plot`` is ``None``; ``values["estate"]`` is its estate) or edit one, from cleaned
    values; the number is written with Latin digits and is unique within the estate."""
    creating = plot is None
    refuse_others(values, (*PLOT_FIELDS, "estate") if creating else PLOT_FIELDS)
    if plot is None:
        estate = values.get("estate")
        if estate is None:
            raise ValidationError({"estate": _("Choose the estate.")})
        permissions.require(by, permissions.CHANGE, estate)
        plot = Plot(estate=estate)
        permissions.require(by, permissions.ADD, plot)
        before = None
    else:
        permissions.require(by, permissions.CHANGE, plot)
        before = stored(plot)
    if "number" in values:
        values = {**values, "number": to_ascii_digits(normalize(values["number"] or ""))}
    changed = assign(plot, {k: v for k, v in values.items() if k != "estate"}, PLOT_FIELDS, before=before)
    if Plot.objects.filter(estate=plot.estate_id, number=plot.number).exclude(pk=plot.pk).exists():
        raise ValidationError({"number": _("This estate already has a plot with this number.")})
    validate(plot, PLOT_FIELDS if creating else changed)
    plot.save()
    if creating:
        log_event(plot.estate, "estates.plot.added", {"number": plot.number}, actor=_user(by))
    elif changed:
        log_event(
            plot.estate,
            "estates.plot.updated",
            {"number": plot.number, "fields": changed},
            actor=_user(by),
        )
    return plot
