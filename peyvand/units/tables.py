"""The units tables: one for staff (full record), one for everybody else (public fields only)."""

from __future__ import annotations

import copy
from collections.abc import Callable

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali
from peyvand.core.exports import date_text

from .choices import SizeClass, UnitStatus
from .models import OTHER_CERTIFICATION, ProductionUnit

_TABLE_ATTRS = {"class": "table table-hover table-registry mb-0", "data-testid": "units-table"}

# Columns other apps add to the staff registry (e.g. the clinic: a unit's revival case), each with the
# annotation that feeds it in the list's own query: this module imports no app, and no row costs a query.
_staff_columns: dict[str, tuple[tables.Column, Callable[[QuerySet], QuerySet]]] = {}


def add_staff_column(name: str, column: tables.Column, annotate: Callable[[QuerySet], QuerySet]) -> None:
    """Called from an app's ``AppConfig.ready``."""
    _staff_columns[name] = (column, annotate)


def staff_columns(queryset: QuerySet) -> tuple[QuerySet, list[tuple[str, tables.Column]]]:
    """``queryset`` with the added columns' annotations, and those columns for ``UnitTable``."""
    for _column, annotate in _staff_columns.values():
        queryset = annotate(queryset)
    return queryset, [(name, copy.deepcopy(column)) for name, (column, _annotate) in _staff_columns.items()]


class _UnitColumns(tables.Table):
    """Columns both tables share: name, estate with its county, activity, size, flags."""

    name = tables.Column(verbose_name=_("Name"), order_by=("sort_name",), attrs={"td": {"class": "col-name"}})
    estate = tables.Column(
        verbose_name=_("Estate and county"),
        accessor="estate__sort_name",
        order_by=("estate__county__sort_name", "estate__sort_name"),
        attrs={"td": {"class": "col-estate"}},
    )
    isic = tables.Column(verbose_name=_("ISIC"), order_by=("isic__code",))
    size = tables.Column(verbose_name=_("Size"), accessor="employees", order_by=("employees",))
    flags = tables.Column(
        verbose_name="", accessor="pk", orderable=False, attrs={"td": {"class": "col-flags"}}
    )

    def render_name(self, record: ProductionUnit) -> str:
        return format_html(
            '<a href="{}" class="fw-medium">{}</a>', record.get_absolute_url(), record.display_name
        )

    def render_estate(self, record: ProductionUnit) -> str:
        return format_html(
            '{}<div class="small text-body-secondary">{}</div>',
            record.estate.display_name,
            record.estate.county.display_name,
        )

    def render_isic(self, record: ProductionUnit) -> str:
        if record.isic is None:
            return "—"
        return format_html(
            '<span title="{}" class="num">{}</span>',
            record.isic.display_name,
            jalali.localize_digits(record.isic.code),
        )

    def render_size(self, record: ProductionUnit) -> str:
        size = record.size_class
        return SizeClass(size).label if size else "—"

    def render_flags(self, record: ProductionUnit) -> str:
        badges = []
        if record.export_oriented:
            badges.append((_("export"), "info"))
        if record.knowledge_based:
            badges.append((_("knowledge-based"), "primary"))
        return format_html_join(
            " ", '<span class="badge text-bg-{}">{}</span>', ((c, label) for label, c in badges)
        )

    # Plain values for the xlsx/csv export (the same columns as the page).
    def value_name(self, record: ProductionUnit) -> str:
        return record.display_name

    def value_estate(self, record: ProductionUnit) -> str:
        return record.estate.display_name

    def value_isic(self, record: ProductionUnit) -> str:
        return record.isic.code if record.isic is not None else ""

    def value_size(self, record: ProductionUnit) -> str:
        size = record.size_class
        return str(SizeClass(size).label) if size else ""

    def value_flags(self, record: ProductionUnit) -> str:
        labels = []
        if record.export_oriented:
            labels.append(str(_("export")))
        if record.knowledge_based:
            labels.append(str(_("knowledge-based")))
        return "، ".join(labels) if jalali.is_persian() else ", ".join(labels)


class UnitTable(_UnitColumns):
    """Staff view of the registry."""

    status = tables.Column(verbose_name=_("Status"))
    status_since = tables.Column(verbose_name=_("Since"), attrs={"td": {"class": "num"}})
    employees = tables.Column(verbose_name=_("Employees"), attrs={"td": {"class": "num"}})

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = ()
        sequence = ("name", "estate", "isic", "status", "status_since", "employees", "size", "flags")
        attrs = _TABLE_ATTRS
        empty_text = _("No unit matches these filters.")
        order_by = ("name",)

    def render_status(self, record: ProductionUnit) -> str:
        status = UnitStatus(record.status)
        return format_html('<span class="badge text-bg-{}">{}</span>', status.color, status.label)

    def render_status_since(self, value) -> str:
        return jalali.format_date(value)

    def render_employees(self, value: int) -> str:
        return jalali.format_number(value)

    def value_status(self, record: ProductionUnit) -> str:
        return str(UnitStatus(record.status).label)

    def value_status_since(self, record: ProductionUnit) -> str:
        return date_text(record.status_since)

    def value_employees(self, record: ProductionUnit) -> int | None:
        return record.employees


class PublicUnitTable(_UnitColumns):
    """What anybody may see of a unit (VOCABULARY.md: public fields)."""

    certifications = tables.Column(verbose_name=_("Certifications"), accessor="pk", orderable=False)

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = ()
        sequence = ("name", "estate", "isic", "size", "certifications", "flags")
        attrs = _TABLE_ATTRS
        empty_text = _("No unit matches these filters.")
        order_by = ("name",)

    def render_certifications(self, record: ProductionUnit) -> str:
        badges = format_html_join(
            " ",
            '<span class="badge text-bg-light border">{}</span>',
            (
                (cert.display_name,)
                for cert in record.certifications.all()
                if cert.code != OTHER_CERTIFICATION
            ),
        )
        return badges or "—"

    def value_certifications(self, record: ProductionUnit) -> str:
        names = [
            cert.display_name for cert in record.certifications.all() if cert.code != OTHER_CERTIFICATION
        ]
        return "، ".join(names) if jalali.is_persian() else ", ".join(names)
