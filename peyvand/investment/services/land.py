"""Land-use fit (آمایش): which estates suit an application, and the land-use plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peyvand.core import permissions
from peyvand.core.audit import log_event
from peyvand.core.audit import signed_in as _user
from peyvand.core.cleaned import assign, refuse_others, validate
from peyvand.estates.choices import PlotState, Readiness
from peyvand.estates.models import IndustrialEstate, Plot

from ..models import (
    Application,
    LandUse,
    section_of,
)


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


LAND_USE_FIELDS = (
    "admitted_isic",
    "max_environment_group",
    "water_left_m3_day",
    "power_left_kw",
    "gas_left_m3_hour",
)


@transaction.atomic
def save_land_use(estate: IndustrialEstate, values: Mapping[str, Any], *, by: Any) -> LandUse:
    """Set an estate's land-use plan from cleaned values (keys left out keep their value; others are
    refused); staff who may change the estate."""
    refuse_others(values, LAND_USE_FIELDS)
    permissions.require(by, permissions.CHANGE, estate)
    land_use = LandUse.objects.filter(estate=estate).first() or LandUse(estate=estate)
    changed = assign(land_use, values, LAND_USE_FIELDS)
    validate(land_use, LAND_USE_FIELDS if land_use.pk is None else changed)
    land_use.save()
    log_event(estate, "investment.land_use.updated", {"fields": changed}, actor=_user(by))
    return land_use
