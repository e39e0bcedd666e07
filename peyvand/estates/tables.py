"""Tables of the estates area."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali

from .choices import PlotState, Readiness
from .models import IndustrialEstate, Plot


def _readiness_badge(value: str) -> str:
    member = Readiness(value)
    return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)


class EstateTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), order_by=("sort_name",))
    kind = tables.Column(verbose_name=_("Kind"))
    county = tables.Column(
        verbose_name=_("County"), accessor="county__display_name", order_by=("county__sort_name",)
    )
    unit_count = tables.Column(verbose_name=_("Units in production"), attrs={"td": {"class": "num"}})
    plot_count = tables.Column(verbose_name=_("Plots"), attrs={"td": {"class": "num"}})
    free_plot_count = tables.Column(verbose_name=_("Free plots"), attrs={"td": {"class": "num"}})
    industrial_area_ha = tables.Column(verbose_name=_("Industrial area (ha)"), attrs={"td": {"class": "num"}})
    wastewater = tables.Column(verbose_name=_("Wastewater network"))

    class Meta:
        model = IndustrialEstate
        fields: tuple[str, ...] = ()
        sequence = (
            "name",
            "kind",
            "county",
            "unit_count",
            "plot_count",
            "free_plot_count",
            "industrial_area_ha",
            "wastewater",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "estates-table"}
        empty_text = _("No estate matches these filters.")
        order_by = ("name",)

    def render_name(self, record: IndustrialEstate) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.display_name
        )

    def render_unit_count(self, value: int) -> str:
        return jalali.format_number(value)

    def render_plot_count(self, value: int) -> str:
        return jalali.format_number(value)

    def render_free_plot_count(self, value: int) -> str:
        return jalali.format_number(value)

    def render_industrial_area_ha(self, value) -> str:
        return jalali.format_number(value, decimals=1)

    def render_wastewater(self, record: IndustrialEstate) -> str:
        return _readiness_badge(record.wastewater)

    # Plain values for the xlsx/csv export (the same columns as the page).
    def value_name(self, record: IndustrialEstate) -> str:
        return record.display_name

    def value_kind(self, record: IndustrialEstate) -> str:
        return str(record.get_kind_display())

    def value_county(self, record: IndustrialEstate) -> str:
        return record.county.display_name

    def value_industrial_area_ha(self, record: IndustrialEstate):
        return record.industrial_area_ha

    def value_wastewater(self, record: IndustrialEstate) -> str:
        return str(Readiness(record.wastewater).label)


class PlotTable(tables.Table):
    number = tables.Column(verbose_name=_("Plot number"))
    area_m2 = tables.Column(verbose_name=_("Area (m²)"), attrs={"td": {"class": "num"}})
    zone = tables.Column(verbose_name=_("Zone"))
    state = tables.Column(verbose_name=_("State"))
    unit = tables.Column(verbose_name=_("Unit"), accessor="pk", orderable=False)

    class Meta:
        model = Plot
        fields: tuple[str, ...] = ()
        sequence = ("number", "area_m2", "zone", "state", "unit")
        attrs = {"class": "table table-sm table-hover table-registry mb-0", "data-testid": "plots-table"}
        empty_text = _("No plots recorded for this estate yet.")

    def render_number(self, value: str) -> str:
        return jalali.localize_digits(value)

    def render_area_m2(self, value) -> str:
        return jalali.format_number(value)

    def render_state(self, record: Plot) -> str:
        member = PlotState(record.state)
        return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)

    def render_unit(self, record: Plot) -> str:
        units = list(record.units.all())
        if not units:
            return "—"
        return format_html('<a href="{}">{}</a>', units[0].get_absolute_url(), units[0].display_name)
