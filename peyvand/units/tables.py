"""The units tables: one for staff (full record), one for everybody else (public fields only)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali

from .choices import SizeClass, UnitStatus
from .models import ProductionUnit


class _UnitColumnsMixin:
    def render_name(self, record: ProductionUnit) -> str:
        return format_html(
            '<a href="{}" class="fw-medium">{}</a>', record.get_absolute_url(), record.display_name
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

    def render_export_oriented(self, value: bool) -> str:
        return format_html('<span class="badge text-bg-info">{}</span>', _("export")) if value else ""

    def render_knowledge_based(self, value: bool) -> str:
        return (
            format_html('<span class="badge text-bg-primary">{}</span>', _("knowledge-based"))
            if value
            else ""
        )


class UnitTable(_UnitColumnsMixin, tables.Table):
    """Staff view of the registry."""

    name = tables.Column(verbose_name=_("Name"), order_by=("sort_name",))
    estate = tables.Column(
        verbose_name=_("Estate"), accessor="estate__display_name", order_by=("estate__sort_name",)
    )
    county = tables.Column(
        verbose_name=_("County"),
        accessor="estate__county__display_name",
        order_by=("estate__county__sort_name",),
    )
    isic = tables.Column(verbose_name=_("ISIC"), order_by=("isic__code",))
    status = tables.Column(verbose_name=_("Status"))
    status_since = tables.Column(verbose_name=_("Since"))
    employees = tables.Column(verbose_name=_("Employees"), attrs={"td": {"class": "num"}})
    size = tables.Column(verbose_name=_("Size"), accessor="employees", order_by=("employees",))
    export_oriented = tables.Column(verbose_name=_("Export"))
    knowledge_based = tables.Column(verbose_name=_("Knowledge-based"))

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = ()
        sequence = (
            "name",
            "estate",
            "county",
            "isic",
            "status",
            "status_since",
            "employees",
            "size",
            "export_oriented",
            "knowledge_based",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "units-table"}
        empty_text = _("No unit matches these filters.")
        order_by = ("name",)

    def render_status(self, record: ProductionUnit) -> str:
        status = UnitStatus(record.status)
        return format_html('<span class="badge text-bg-{}">{}</span>', status.color, status.label)

    def render_status_since(self, value) -> str:
        return jalali.format_date(value)

    def render_employees(self, value: int) -> str:
        return jalali.format_number(value)


class PublicUnitTable(_UnitColumnsMixin, tables.Table):
    """What anybody may see of a unit (VOCABULARY.md: public fields)."""

    name = tables.Column(verbose_name=_("Name"), order_by=("sort_name",))
    estate = tables.Column(
        verbose_name=_("Estate"), accessor="estate__display_name", order_by=("estate__sort_name",)
    )
    county = tables.Column(
        verbose_name=_("County"),
        accessor="estate__county__display_name",
        order_by=("estate__county__sort_name",),
    )
    isic = tables.Column(verbose_name=_("ISIC"), order_by=("isic__code",))
    size = tables.Column(verbose_name=_("Size"), accessor="employees", order_by=("employees",))
    certifications = tables.Column(verbose_name=_("Certifications"), accessor="pk", orderable=False)
    export_oriented = tables.Column(verbose_name=_("Export"))
    knowledge_based = tables.Column(verbose_name=_("Knowledge-based"))

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = ()
        sequence = (
            "name",
            "estate",
            "county",
            "isic",
            "size",
            "certifications",
            "export_oriented",
            "knowledge_based",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "units-table"}
        empty_text = _("No unit matches these filters.")
        order_by = ("name",)

    def render_certifications(self, record: ProductionUnit) -> str:
        return (
            format_html_join(
                " ",
                '<span class="badge text-bg-light border">{}</span>',
                ((cert.display_name,) for cert in record.certifications.all()),
            )
            or "—"
        )
