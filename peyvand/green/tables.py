"""Tables of green estates (the page and its xlsx/csv export share them; ``value_*`` feed the export)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali
from peyvand.core.exports import date_text
from peyvand.units.models import ProductionUnit

from .choices import (
    CaseState,
    Direction,
    EnvironmentalGroup,
    PlantStage,
    ReceivingBody,
    SymbiosisStage,
    environmental_group,
)
from .models import ComplianceCase, EffluentTest, ResourceListing, SymbiosisLink, TreatmentPlant


def _attrs(testid: str) -> dict[str, str]:
    return {"class": "table table-hover table-registry mb-0", "data-testid": testid}


def _badge(choices: type, value: str) -> str:
    member = choices(value)
    return format_html(
        '<span class="badge text-bg-{}" data-code="{}">{}</span>', member.color, member.value, member.label
    )


def _unit_link(unit: ProductionUnit) -> str:
    return format_html(
        '<a href="{}" class="fw-medium">{}</a><div class="small text-body-secondary">{}</div>',
        unit.get_absolute_url(),
        unit.display_name,
        unit.estate.display_name,
    )


def _date(value) -> str:
    return jalali.format_date(value) if value else "—"


class PlantTable(tables.Table):
    # Classes for green.css: the table fits beside the filters at 1366 px in both languages.
    name = tables.Column(
        verbose_name=_("Plant"), order_by=("sort_name",), attrs={"td": {"class": "col-name"}}
    )
    estates = tables.Column(
        verbose_name=_("Estates served"),
        accessor="pk",
        orderable=False,
        attrs={"td": {"class": "col-estates"}},
    )
    stage = tables.Column(verbose_name=_("Stage"))
    progress_percent = tables.Column(verbose_name=_("Progress"), attrs={"td": {"class": "col-progress"}})
    capacity_m3_day = tables.Column(verbose_name=_("Capacity (m³/day)"), attrs={"td": {"class": "num"}})
    planned_opening = tables.Column(verbose_name=_("Planned opening"), attrs={"td": {"class": "col-date"}})
    actual_opening = tables.Column(verbose_name=_("Opened"), attrs={"td": {"class": "col-date"}})

    class Meta:
        model = TreatmentPlant
        fields: tuple[str, ...] = ()
        sequence = (
            "name",
            "estates",
            "stage",
            "progress_percent",
            "capacity_m3_day",
            "planned_opening",
            "actual_opening",
        )
        attrs = {**_attrs("plants-table"), "class": _attrs("")["class"] + " plants-table"}
        empty_text = _("No treatment plant here yet.")

    def render_name(self, record: TreatmentPlant) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.display_name
        )

    def value_name(self, record: TreatmentPlant) -> str:
        return record.display_name

    def render_estates(self, record: TreatmentPlant) -> str:
        return "، ".join(estate.display_name for estate in record.estates.all()) or "—"

    def value_estates(self, record: TreatmentPlant) -> str:
        return ", ".join(estate.display_name for estate in record.estates.all())

    def render_stage(self, record: TreatmentPlant) -> str:
        return _badge(PlantStage, record.stage)

    def value_stage(self, record: TreatmentPlant) -> str:
        return str(PlantStage(record.stage).label)

    def render_progress_percent(self, value: int) -> str:
        return format_html(
            '<progress class="plant-progress" max="100" value="{}" aria-label="{}"></progress> <span class="num">{}</span>',
            value,
            _("Progress"),
            jalali.format_number(value) + ("٪" if jalali.is_persian() else "%"),
        )

    def value_progress_percent(self, value: int) -> int:
        return value

    def render_capacity_m3_day(self, value: int) -> str:
        return jalali.format_number(value)

    def value_capacity_m3_day(self, value: int) -> int:
        return value

    def render_planned_opening(self, value) -> str:
        return _date(value)

    def value_planned_opening(self, value) -> str:
        return date_text(value)

    def render_actual_opening(self, value) -> str:
        return _date(value)

    def value_actual_opening(self, value) -> str:
        return date_text(value)


class ConnectionTable(tables.Table):
    name = tables.Column(verbose_name=_("Unit"), order_by=("sort_name",), attrs={"td": {"class": "col-name"}})
    group = tables.Column(
        verbose_name=_("Environmental group"), accessor="isic__code", order_by=("isic__code",)
    )
    connected = tables.Column(
        verbose_name=_("Connected"), accessor="connection__connected", order_by=("connection__connected",)
    )
    connected_on = tables.Column(verbose_name=_("Connected on"), accessor="connection__connected_on")
    pretreatment = tables.Column(verbose_name=_("Pre-treatment"), accessor="pk", orderable=False)
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta:
        model = ProductionUnit
        fields: tuple[str, ...] = ()
        sequence = ("name", "group", "connected", "connected_on", "pretreatment", "edit")
        attrs = _attrs("connections-table")
        empty_text = _("No unit here.")

    def __init__(self, *args: Any, can_edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_name(self, record: ProductionUnit) -> str:
        return _unit_link(record)

    def value_name(self, record: ProductionUnit) -> str:
        return record.display_name

    def _group(self, record: ProductionUnit) -> EnvironmentalGroup:
        return environmental_group(record.isic.code if record.isic else None)

    def render_group(self, record: ProductionUnit) -> str:
        return _badge(EnvironmentalGroup, self._group(record))

    def value_group(self, record: ProductionUnit) -> str:
        return str(self._group(record).label)

    def _connection(self, record: ProductionUnit):
        return getattr(record, "connection", None)

    def render_connected(self, record: ProductionUnit) -> str:
        connection = self._connection(record)
        if connection is not None and connection.connected:
            return format_html('<span class="badge text-bg-success">{}</span>', _("connected"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("not connected"))

    def value_connected(self, record: ProductionUnit) -> str:
        connection = self._connection(record)
        return str(_("yes") if connection is not None and connection.connected else _("no"))

    def render_connected_on(self, record: ProductionUnit) -> str:
        connection = self._connection(record)
        return _date(connection.connected_on if connection else None)

    def value_connected_on(self, record: ProductionUnit) -> str:
        connection = self._connection(record)
        return date_text(connection.connected_on if connection else None)

    def _pretreatment(self, record: ProductionUnit) -> str:
        required = self._group(record) != EnvironmentalGroup.LIGHT
        connection = self._connection(record)
        if not required:
            return str(_("not required"))
        if connection is not None and connection.pretreatment_in_place:
            return str(_("required, in place"))
        return str(_("required, missing"))

    def render_pretreatment(self, record: ProductionUnit) -> str:
        text = self._pretreatment(record)
        missing = text == str(_("required, missing"))
        return format_html('<span class="{}">{}</span>', "text-danger fw-medium" if missing else "", text)

    def value_pretreatment(self, record: ProductionUnit) -> str:
        return self._pretreatment(record)

    def render_edit(self, record: ProductionUnit) -> str:
        if not self.can_edit:
            return ""
        from django.urls import reverse

        return format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
            reverse("green:connection_edit", args=[record.pk]),
            _("Edit"),
        )


class EffluentTestTable(tables.Table):
    sampled_on = tables.Column(verbose_name=_("Sampled on"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__sort_name",))
    lab = tables.Column(verbose_name=_("Laboratory"))
    receiving_body = tables.Column(verbose_name=_("Discharged to"))
    passed = tables.Column(verbose_name=_("Result"))
    exceedances = tables.Column(verbose_name=_("Over the limit"), orderable=False)

    class Meta:
        model = EffluentTest
        fields: tuple[str, ...] = ()
        sequence = ("sampled_on", "unit", "lab", "receiving_body", "passed", "exceedances")
        attrs = _attrs("tests-table")
        empty_text = _("No effluent test here yet.")
        order_by = ("-sampled_on",)

    def render_sampled_on(self, record: EffluentTest) -> str:
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), jalali.format_date(record.sampled_on)
        )

    def value_sampled_on(self, value) -> str:
        return date_text(value)

    def render_unit(self, record: EffluentTest) -> str:
        return _unit_link(record.unit)

    def value_unit(self, record: EffluentTest) -> str:
        return record.unit.display_name

    def render_receiving_body(self, record: EffluentTest) -> str:
        return ReceivingBody(record.receiving_body).label

    def value_receiving_body(self, record: EffluentTest) -> str:
        return str(ReceivingBody(record.receiving_body).label)

    def render_passed(self, value: bool) -> str:
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("within the limits"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("failed"))

    def value_passed(self, value: bool) -> str:
        return str(_("within the limits") if value else _("failed"))

    def _exceeded(self, record: EffluentTest) -> str:
        from .choices import Parameter

        return (
            "، ".join(str(Parameter(row[0]).label) for row in record.exceedances)
            if jalali.is_persian()
            else ", ".join(str(Parameter(row[0]).label) for row in record.exceedances)
        )

    def render_exceedances(self, record: EffluentTest) -> str:
        return self._exceeded(record) or "—"

    def value_exceedances(self, record: EffluentTest) -> str:
        return self._exceeded(record)


class CaseTable(tables.Table):
    opened_on = tables.Column(verbose_name=_("Opened on"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__sort_name",))
    deadline = tables.Column(verbose_name=_("Deadline"))
    state = tables.Column(verbose_name=_("State"))
    repeated = tables.Column(verbose_name=_("Repeated failure"))

    class Meta:
        model = ComplianceCase
        fields: tuple[str, ...] = ()
        sequence = ("opened_on", "unit", "deadline", "state", "repeated")
        attrs = _attrs("cases-table")
        empty_text = _("No compliance case here.")
        order_by = ("-opened_on",)

    def render_opened_on(self, record: ComplianceCase) -> str:
        return format_html(
            '<a href="{}">{}</a>', record.get_absolute_url(), jalali.format_date(record.opened_on)
        )

    def value_opened_on(self, value) -> str:
        return date_text(value)

    def render_unit(self, record: ComplianceCase) -> str:
        return _unit_link(record.unit)

    def value_unit(self, record: ComplianceCase) -> str:
        return record.unit.display_name

    def render_deadline(self, record: ComplianceCase) -> str:
        from django.utils import timezone

        late = record.state == CaseState.OPEN and record.deadline < timezone.localdate()
        return format_html(
            '<span class="{}">{}</span>{}',
            "text-danger fw-medium" if late else "",
            jalali.format_date(record.deadline),
            format_html(' <span class="badge text-bg-danger">{}</span>', _("overdue")) if late else "",
        )

    def value_deadline(self, value) -> str:
        return date_text(value)

    def render_state(self, record: ComplianceCase) -> str:
        return _badge(CaseState, record.state)

    def value_state(self, record: ComplianceCase) -> str:
        return str(CaseState(record.state).label)

    def render_repeated(self, value: bool) -> str:
        if value:
            return format_html(
                '<span class="badge text-bg-warning" data-testid="repeated-flag">{}</span>', _("repeated")
            )
        return "—"

    def value_repeated(self, value: bool) -> str:
        return str(_("yes") if value else _("no"))


class ListingTable(tables.Table):
    direction = tables.Column(verbose_name=_("Have or want"))
    material = tables.Column(verbose_name=_("Material"))
    description = tables.Column(verbose_name=_("Description"))
    tonnes_per_year = tables.Column(verbose_name=_("Tonnes a year"), attrs={"td": {"class": "num"}})
    form = tables.Column(verbose_name=_("Form"))
    unit = tables.Column(verbose_name=_("Unit"), order_by=("unit__sort_name",))
    place = tables.Column(verbose_name=_("Where"))
    active = tables.Column(verbose_name=_("Active"))

    class Meta:
        model = ResourceListing
        fields: tuple[str, ...] = ()
        sequence = (
            "direction",
            "material",
            "description",
            "tonnes_per_year",
            "form",
            "unit",
            "place",
            "active",
        )
        attrs = _attrs("listings-table")
        empty_text = _("No have or want listed here yet.")

    def render_direction(self, record: ResourceListing) -> str:
        return _badge(Direction, record.direction)

    def value_direction(self, record: ResourceListing) -> str:
        return str(Direction(record.direction).label)

    def render_material(self, record: ResourceListing) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.get_material_display())

    def value_material(self, record: ResourceListing) -> str:
        return record.get_material_display()

    def render_tonnes_per_year(self, value) -> str:
        return jalali.format_number(value)

    def value_tonnes_per_year(self, value):
        return value

    def render_form(self, record: ResourceListing) -> str:
        return record.get_form_display()

    def value_form(self, record: ResourceListing) -> str:
        return record.get_form_display()

    def render_unit(self, record: ResourceListing) -> str:
        return _unit_link(record.unit)

    def value_unit(self, record: ResourceListing) -> str:
        return record.unit.display_name

    def render_active(self, value: bool) -> str:
        return str(_("yes") if value else _("no"))

    def value_active(self, value: bool) -> str:
        return str(_("yes") if value else _("no"))


class LinkTable(tables.Table):
    material = tables.Column(verbose_name=_("Material"))
    have = tables.Column(verbose_name=_("From (have)"), accessor="have__unit__sort_name")
    want = tables.Column(verbose_name=_("To (want)"), accessor="want__unit__sort_name")
    stage = tables.Column(verbose_name=_("Stage"))
    stage_date = tables.Column(verbose_name=_("Since"))
    tonnes_per_year = tables.Column(verbose_name=_("Tonnes a year"), attrs={"td": {"class": "num"}})
    value_rial = tables.Column(verbose_name=_("Value a year (rial)"), attrs={"td": {"class": "num"}})
    distance_km = tables.Column(verbose_name=_("Distance (km)"), attrs={"td": {"class": "num"}})

    class Meta:
        model = SymbiosisLink
        fields: tuple[str, ...] = ()
        sequence = (
            "material",
            "have",
            "want",
            "stage",
            "stage_date",
            "tonnes_per_year",
            "value_rial",
            "distance_km",
        )
        attrs = _attrs("links-table")
        empty_text = _("No exchange brokered yet.")

    def render_material(self, record: SymbiosisLink) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.get_material_display()
        )

    def value_material(self, record: SymbiosisLink) -> str:
        return record.get_material_display()

    def render_have(self, record: SymbiosisLink) -> str:
        return _unit_link(record.have.unit)

    def value_have(self, record: SymbiosisLink) -> str:
        return record.have.unit.display_name

    def render_want(self, record: SymbiosisLink) -> str:
        return _unit_link(record.want.unit)

    def value_want(self, record: SymbiosisLink) -> str:
        return record.want.unit.display_name

    def render_stage(self, record: SymbiosisLink) -> str:
        return _badge(SymbiosisStage, record.stage)

    def value_stage(self, record: SymbiosisLink) -> str:
        return str(SymbiosisStage(record.stage).label)

    def render_stage_date(self, value) -> str:
        return jalali.format_date(value)

    def value_stage_date(self, value) -> str:
        return date_text(value)

    def render_tonnes_per_year(self, value) -> str:
        return jalali.format_number(value)

    def value_tonnes_per_year(self, value):
        return value

    def render_value_rial(self, value) -> str:
        return jalali.format_number(value)

    def value_value_rial(self, value):
        return value

    def render_distance_km(self, value) -> str:
        return jalali.format_number(value, decimals=1)

    def value_distance_km(self, value):
        return value
