"""Tables of the trade domain (the page and its xlsx/csv export share them; ``value_*`` feed the export)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali

from . import countries
from .choices import ExportSource, InputOrigin
from .models import BuyerInput, ExportRecord


def _badge(choices: type, value: str) -> str:
    member = choices(value)
    return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)


def _money_unit(table: tables.Table) -> str:
    return getattr(getattr(getattr(table, "request", None), "user", None), "money_unit", "toman")


def month_text(year: int, month: int) -> str:
    names = jalali.JALALI_MONTHS if jalali.is_persian() else jalali.JALALI_MONTHS_EN
    return f"{names[month - 1]} {jalali.localize_digits(year)}"


class ExportTable(tables.Table):
    period = tables.Column(verbose_name=_("Month"), accessor="period_start", attrs={"td": {"class": "num"}})
    exporter = tables.Column(verbose_name=_("Exporter"), accessor="pk", orderable=False)
    product = tables.Column(verbose_name=_("Product"), attrs={"td": {"class": "col-name"}})
    hs_code = tables.Column(verbose_name=_("HS code"), attrs={"td": {"class": "num"}})
    destination = tables.Column(verbose_name=_("Destination"))
    value_usd = tables.Column(verbose_name=_("Value (USD)"), attrs={"td": {"class": "num"}})
    quantity = tables.Column(verbose_name=_("Quantity"), attrs={"td": {"class": "num"}}, orderable=False)
    source = tables.Column(verbose_name=_("Source"))

    class Meta:
        model = ExportRecord
        fields: tuple[str, ...] = ()
        sequence = (
            "period",
            "exporter",
            "product",
            "hs_code",
            "destination",
            "value_usd",
            "quantity",
            "source",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "exports-table"}
        empty_text = _("No export record here yet.")
        order_by = ("-period",)

    def render_period(self, record: ExportRecord) -> str:
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), month_text(record.year, record.month)
        )

    def value_period(self, record: ExportRecord) -> str:
        return f"{record.year}/{record.month:02d}"

    def render_exporter(self, record: ExportRecord) -> str:
        exporter = record.exporter
        if record.unit_id:
            return format_html('<a href="{}">{}</a>', record.unit.get_absolute_url(), exporter.display_name)
        return format_html(
            '{} <span class="badge text-bg-light border">{}</span>', exporter.display_name, _("buyer")
        )

    def value_exporter(self, record: ExportRecord) -> str:
        return record.exporter.display_name

    def render_hs_code(self, value: str) -> str:
        return jalali.localize_digits(value)

    def value_hs_code(self, value: str) -> str:
        return value

    def render_destination(self, value: str) -> str:
        return countries.name(value)

    def value_destination(self, value: str) -> str:
        return countries.name(value)

    def render_value_usd(self, value: int) -> str:
        return jalali.format_number(value)

    def value_value_usd(self, value: int) -> int:
        return value

    def render_quantity(self, record: ExportRecord) -> str:
        if record.quantity is None:
            return "—"
        return f"{jalali.format_number(record.quantity.normalize())} {record.quantity_unit}".strip()

    def value_quantity(self, record: ExportRecord) -> Any:
        return record.quantity

    def render_source(self, record: ExportRecord) -> str:
        return _badge(ExportSource, record.source)

    def value_source(self, record: ExportRecord) -> str:
        return record.get_source_display()


class InputTable(tables.Table):
    name = tables.Column(verbose_name=_("Input"), attrs={"td": {"class": "col-name"}})
    buyer = tables.Column(verbose_name=_("Large buyer"), accessor="buyer__sort_name")
    hs_code = tables.Column(verbose_name=_("HS code"), attrs={"td": {"class": "num"}})
    yearly_quantity = tables.Column(verbose_name=_("Yearly quantity"), attrs={"td": {"class": "num"}})
    yearly_value_rial = tables.Column(verbose_name=_("Yearly value"), attrs={"td": {"class": "num"}})
    origin = tables.Column(verbose_name=_("Bought from"))

    class Meta:
        model = BuyerInput
        fields: tuple[str, ...] = ()
        sequence = ("name", "buyer", "hs_code", "yearly_quantity", "yearly_value_rial", "origin")
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "inputs-table"}
        empty_text = _("No declared input yet.")
        order_by = ("-yearly_value_rial",)

    def render_name(self, record: BuyerInput) -> str:
        return format_html('<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.name)

    def value_name(self, record: BuyerInput) -> str:
        return record.name

    def render_buyer(self, record: BuyerInput) -> str:
        return record.buyer.display_name

    def value_buyer(self, record: BuyerInput) -> str:
        return record.buyer.display_name

    def render_hs_code(self, value: str) -> str:
        return jalali.localize_digits(value)

    def render_yearly_quantity(self, record: BuyerInput) -> str:
        return f"{jalali.format_number(record.yearly_quantity.normalize())} {record.quantity_unit}".strip()

    def value_yearly_quantity(self, record: BuyerInput) -> Any:
        return record.yearly_quantity

    def render_yearly_value_rial(self, value: int) -> str:
        return jalali.format_money(value, _money_unit(self))

    def value_yearly_value_rial(self, value: int) -> int:
        return value

    def render_origin(self, record: BuyerInput) -> str:
        return _badge(InputOrigin, record.origin)

    def value_origin(self, record: BuyerInput) -> str:
        return record.get_origin_display()
