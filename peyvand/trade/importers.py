"""Export records from Excel or CSV through the one import engine (``imports/engine``): one row per unit,
product, destination and Jalali month, as customs statistics and the units' own statements are kept.
A row that matches a stored record (same unit, product, HS code, destination and month) updates its
figures; the same record twice in one file is refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import jalali, limits, permissions
from peyvand.estates.importers import estate_lookup
from peyvand.estates.models import IndustrialEstate
from peyvand.imports import parsing
from peyvand.imports.engine import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Field,
    Importer,
    Plan,
    Row,
    audit_bulk,
    create_rows,
    events_bulk,
    leading_code,
    snapshot,
)
from peyvand.matching.text import fold
from peyvand.units.importers.common import UnitIndex, _find_unit
from peyvand.units.models import ProductionUnit

from . import countries, hs, services
from .choices import ExportSource
from .forms import MAX_VALUE_USD
from .models import ExportRecord

SOURCE_SYNONYMS = {
    "customs": ["گمرک", "اظهارنامه", "اظهارنامه گمرکی", "کوتاژ", "customs"],
    "own_statement": ["خوداظهاری", "اظهار واحد", "اظهار خود واحد", "statement", "self-declared"],
    "estimate": ["برآورد", "تخمین", "estimated"],
}
UPDATED_FIELDS = ("value_usd", "value_rial", "quantity", "quantity_unit", "tariff_line", "source", "note")


def _month(value: Any) -> int | None:
    """A Jalali month by number (۱–۱۲) or by name (فروردین, Farvardin)."""
    if parsing.is_blank(value):
        return None
    key = fold(parsing.text(value))
    for number, names in enumerate(zip(jalali.JALALI_MONTHS, jalali.JALALI_MONTHS_EN, strict=True), start=1):
        if key in {fold(name) for name in names}:
            return number
    number = parsing.integer(value, minimum=1)
    if number is None or number > 12:
        raise parsing.CellError(
            _("“%(value)s” is not a month: write 1 to 12 or its name.") % {"value": parsing.display(value)}
        )
    return number


def _year(value: Any) -> int | None:
    year = parsing.integer(value, minimum=1)
    first, last = limits.JALALI_YEARS
    if year is not None and not first <= year <= last:
        raise parsing.CellError(_("Jalali years run from 1300 to 1500."))
    return year


def _country(value: Any) -> str | None:
    if parsing.is_blank(value):
        return None
    code = countries.find(parsing.text(value))
    if code is None:
        raise parsing.CellError(
            _("“%(value)s” is not a country we know: write its name or its two-letter ISO code.")
            % {"value": parsing.display(value)}
        )
    return code


def _hs6(value: Any) -> str | None:
    code = parsing.code(leading_code(value), lengths=(6,), even=True)
    if code is not None and hs.is_known(code) is False:
        raise parsing.CellError(_("%(code)s is not a subheading of HS 2022.") % {"code": code})
    return code


class ExportRecordImporter(Importer):
    kind = "export_records"
    label = gettext_lazy("Export records")
    model = ExportRecord
    order = 60
    required_columns = [("unit", "national_id"), ("product",), ("hs_code",), ("destination",), ("value_usd",), ("year",), ("month",)]  # fmt: skip
    fields = [
        Field(
            "unit", gettext_lazy("Unit"), ("نام واحد", "واحد", "واحد تولیدی", "صادرکننده", "unit", "exporter")
        ),
        Field("national_id", gettext_lazy("national ID"), ("شناسه ملی", "national id")),
        Field("estate", gettext_lazy("Estate"), ("شهرک", "شهرک صنعتی", "estate")),
        Field("product", gettext_lazy("Product"), ("کالا", "محصول", "شرح کالا", "product", "goods")),
        Field("hs_code", gettext_lazy("HS code"), ("کد تعرفه", "تعرفه", "کد hs", "hs", "hs code")),
        Field(
            "tariff_line", gettext_lazy("national tariff line"), ("ردیف تعرفه", "تعرفه ۸ رقمی", "tariff line")
        ),
        Field(
            "destination",
            gettext_lazy("Destination country"),
            ("کشور مقصد", "مقصد", "کشور", "destination", "country"),
        ),
        Field(
            "value_usd",
            gettext_lazy("Value (US dollars)"),
            ("ارزش دلاری", "ارزش (دلار)", "دلار", "value usd", "usd", "value"),
        ),
        Field(
            "value_rial",
            gettext_lazy("Value (rial)"),
            ("ارزش ریالی", "ارزش (ریال)", "ریال", "value rial", "rial"),
        ),
        Field("quantity", gettext_lazy("Quantity"), ("مقدار", "وزن", "quantity", "weight")),
        Field(
            "quantity_unit",
            gettext_lazy("unit of quantity"),
            ("واحد مقدار", "واحد سنجش", "unit of quantity", "uom"),
        ),
        Field("year", gettext_lazy("Jalali year"), ("سال", "سال صادرات", "year")),
        Field("month", gettext_lazy("Jalali month"), ("ماه", "ماه صادرات", "month")),
        Field("source", gettext_lazy("Source"), ("منبع", "منبع آمار", "source")),
        Field("note", gettext_lazy("Note"), ("توضیحات", "یادداشت", "note")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.sources = parsing.ChoiceTable(ExportSource, SOURCE_SYNONYMS, noun=_("source"))
        self.estates = estate_lookup(list(IndustrialEstate.objects.select_related("county")))
        self.index = UnitIndex.load()
        self.units = {unit.pk: unit for unit in ProductionUnit.objects.select_related("estate").only("pk", "name", "organisation_id", "estate__company_id")}  # fmt: skip
        self.stored = {
            (
                record.unit_id,
                fold(record.product),
                record.hs_code,
                record.destination,
                record.year,
                record.month,
            ): record
            for record in ExportRecord.objects.filter(unit__isnull=False)
        }
        self.seen: dict[tuple, int] = {}

    def check(self, row: Row) -> Plan | None:
        name = row.get("unit", parsing.text)
        national_id = row.get("national_id", parsing.company_national_id)
        estate = row.get("estate", self.estates.find)
        product = row.get("product", parsing.text, required=True, max_length=200)
        code = row.get("hs_code", _hs6, required=True)
        line = row.get("tariff_line", parsing.code, lengths=(8,)) or ""
        destination = row.get("destination", _country, required=True)
        value_usd = row.get("value_usd", parsing.integer, required=True, minimum=1)
        value_rial = row.get("value_rial", parsing.integer, minimum=1)
        quantity = row.get("quantity", parsing.decimal, positive=True)
        quantity_unit = row.get("quantity_unit", parsing.text, max_length=30) or ""
        year = row.get("year", _year, required=True)
        month = row.get("month", _month, required=True)
        source = row.get("source", self.sources) or ExportSource.CUSTOMS
        note = row.get("note", parsing.text, max_length=500) or ""
        if value_usd is not None and value_usd > MAX_VALUE_USD:
            row.error("value_usd", _("This value is too large for one record; check the digits."))
        if code and line and not line.startswith(code):
            row.error("tariff_line", _("The tariff line must begin with the six digits of the HS code."))
        pk, how = _find_unit(self.index, national_id, None, estate.pk if estate else None, name)
        if pk is None:
            if how == "ambiguous":
                row.error("unit", _("Several units have this name; add the estate or the national ID."))
            elif name or national_id:
                row.error(
                    "national_id" if national_id else "unit", _("No unit in the registry matches this row.")
                )
            return None
        if not row.ok or None in (product, code, destination, value_usd, year, month):
            return None
        unit = self.units[pk]
        key = (pk, fold(product), code, destination, year, month)
        if key in self.seen:
            row.error(
                None,
                _("The same export is already in row %(row)d; the first row stands.")
                % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        values = {
            "tariff_line": line, "value_usd": value_usd, "value_rial": value_rial, "quantity": quantity,
            "quantity_unit": quantity_unit, "source": source, "note": note,
        }  # fmt: skip
        label = f"{unit.name} — {product} → {countries.name(destination)} {jalali.localize_digits(year)}/{jalali.localize_digits(month)}"
        stored = self.stored.get(key)
        if stored is None:
            record = ExportRecord(unit=unit, product=product, hs_code=code, destination=destination, year=year, month=month, **values)  # fmt: skip
            services.prepare(record)
            record.search_text = fold(f"{record.product} {record.hs_code} {record.tariff_line}")
            record.created_by = self.user if getattr(self.user, "is_authenticated", False) else None
            if not self.may(permissions.ADD, record):
                row.error("unit", _("You may not record exports of “%(unit)s”.") % {"unit": unit.name})
                return None
            return Plan(CREATED, label, payload=("create", record, None))
        changes = {
            name: value
            for name, value in values.items()
            if value not in (None, "") and getattr(stored, name) != value
        }
        if not changes:
            return Plan(UNCHANGED, label)
        if not self.may(permissions.CHANGE, stored):
            row.error("unit", _("You may not change the exports of “%(unit)s”.") % {"unit": unit.name})
            return None
        labels = self.field_labels()
        return Plan(
            UPDATED, label, changes=[labels[name] for name in changes], payload=("update", stored, changes)
        )

    def write(self, plans: list[Plan]) -> None:
        created = [plan.payload[1] for plan in plans if plan.payload and plan.payload[0] == "create"]
        create_rows(ExportRecord, created)
        pairs, fields = [], set()
        for plan in plans:
            if plan.payload and plan.payload[0] == "update":
                _action, record, changes = plan.payload
                before = snapshot(record)
                for name, value in changes.items():
                    setattr(record, name, value)
                fields.update(changes)
                pairs.append((before, record))
        if pairs:
            ExportRecord.objects.bulk_update(
                [after for _before, after in pairs], sorted(fields), batch_size=1000
            )
        audit_bulk(created=created, updated=pairs)
        events_bulk(
            [
                (
                    record,
                    "trade.export.recorded",
                    {
                        "product": record.product,
                        "destination": record.destination,
                        "value_usd": record.value_usd,
                    },
                )
                for record in created
            ]
            + [
                (after, "trade.export.changed", {"fields": ", ".join(sorted(fields))})
                for _before, after in pairs
            ]
        )
