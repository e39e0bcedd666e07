"""Importing estates and plots through the one engine (``imports/engine``); registered in ``apps.py``.

Estates are found by code, then by name (Persian or English, with or without «شهرک صنعتی»); plots by
their estate and number. Blank cells never erase what is stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.acting import acting_companies
from peyvand.accounts.models import Organisation
from peyvand.core import limits, permissions
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
    events_bulk,
)
from peyvand.imports.engine import snapshot as take_snapshot
from peyvand.matching.text import fold

from .choices import UTILITIES, EstateKind, PlotState, Readiness
from .models import County, IndustrialEstate, Plot
from .services import area_error

READINESS_SYNONYMS = {
    Readiness.READY: ["آماده", "کامل", "دارد", "بله", "برقرار", "yes", "available", "complete", "✓"],
    Readiness.PARTIAL: ["ناقص", "بخشی", "نیمه", "در بخشی", "partly", "partially", "incomplete"],
    Readiness.PLANNED: ["در دست اجرا", "در حال اجرا", "برنامه‌ریزی شده", "در دست احداث", "in progress"],
    Readiness.NONE: ["ندارد", "خیر", "نه", "فاقد", "no", "not available", "-", "—"],
}
KIND_SYNONYMS = {
    EstateKind.ESTATE: ["شهرک", "شهرک صنعتی", "estate", "industrial park", "park"],
    EstateKind.ZONE: ["ناحیه", "ناحیه صنعتی", "zone"],
}
PLOT_STATE_SYNONYMS = {
    PlotState.FREE: ["آزاد", "خالی", "واگذار نشده", "available", "vacant", "empty"],
    PlotState.ALLOCATED: ["واگذار شده", "واگذارشده", "تخصیص یافته", "واگذار", "assigned", "taken"],
    PlotState.REPOSSESSED: ["مسترد", "مسترد شده", "خلع ید", "استرداد", "returned", "revoked"],
}

# Other names a county goes by in registries (its current official name, its old name, its centre),
# by county code. Gilan's: the data keeps «طوالش» where newer sheets write «تالش»; «بندر پهلوی» is
# Anzali's pre-1980 name.
COUNTY_ALSO_CALLED: dict[str, tuple[str, ...]] = {
    "talesh": ("تالش", "هشتپر", "Tavalesh"),
    "bandar_anzali": ("انزلی", "بندر پهلوی", "Anzali"),
    "astaneh_ashrafiyeh": ("آستانه", "Astaneh", "Astaneh Ashrafieh"),
    "sowmeh_sara": ("Someh Sara", "Sowmeh Sara"),
    "rezvanshahr": ("Rezvan Shahr",),
    "langarud": ("Langerud", "Langrud"),
}

_ESTATE = gettext_lazy("estate")
_COUNTY = gettext_lazy("county")
_COMPANY = gettext_lazy("estate company")


def county_lookup() -> parsing.NameLookup:
    """Counties by name, code or another name they go by (``COUNTY_ALSO_CALLED``); a misspelling one
    letter away from one county is read as it, with a warning; a county of another province is not."""
    lookup = parsing.NameLookup(str(_COUNTY), guess=True)
    for county in County.objects.all():
        lookup.add(
            county,
            county.name,
            county.name_en,
            codes=[county.code],
            aliases=COUNTY_ALSO_CALLED.get(county.code, ()),
        )
    return lookup


def estate_lookup(estates: list[IndustrialEstate], *, guess: bool = True) -> parsing.NameLookup:
    """Estates by name or code, with or without «شهرک صنعتی» / «ناحیه صنعتی» (either word) and with
    their county's name after or before it; ``guess``: misspellings one letter away, with a warning."""
    lookup = parsing.NameLookup(str(_ESTATE), guess=guess)
    for estate in estates:
        county = estate.county.name if estate.county_id else ""
        aliases = [f"{estate.name} {county}", f"{county} {estate.name}"] if county else []
        lookup.add(estate, estate.name, estate.name_en, codes=[estate.code], aliases=aliases)
    return lookup


class EstateImporter(Importer):
    kind = "estates"
    label = gettext_lazy("Industrial estates")
    model = IndustrialEstate
    order = 10
    required_columns = [("name", "code")]
    fields = [
        Field(
            "name",
            gettext_lazy("Name"),
            ("نام شهرک", "نام شهرک صنعتی", "نام ناحیه", "شهرک صنعتی", "estate", "estate name", "نام فارسی"),
        ),
        Field("name_en", gettext_lazy("name (English)"), ("نام انگلیسی", "english name", "name en")),
        Field("code", gettext_lazy("code"), ("کد شهرک", "کد", "estate code", "slug")),
        Field("kind", gettext_lazy("Kind"), ("نوع", "شهرک یا ناحیه", "type")),
        Field("county", gettext_lazy("County"), ("شهرستان", "شهر", "county", "city")),
        Field("company", _COMPANY, ("شرکت", "شرکت شهرک‌ها", "company")),
        Field("total_area_ha", gettext_lazy("total area (ha)"), ("مساحت کل", "مساحت", "total area", "area")),
        Field(
            "industrial_area_ha",
            gettext_lazy("Industrial area (ha)"),
            ("مساحت صنعتی", "مساحت بخش صنعتی", "industrial area"),
        ),
        Field("water", gettext_lazy("water"), ("آب", "water")),
        Field("power", gettext_lazy("power"), ("برق", "electricity", "power")),
        Field("gas", gettext_lazy("gas"), ("گاز", "gas")),
        Field("telecom", gettext_lazy("telecom"), ("مخابرات", "تلفن", "اینترنت", "telecom")),
        Field(
            "wastewater",
            gettext_lazy("Wastewater network"),
            ("فاضلاب", "شبکه فاضلاب", "تصفیه خانه", "wastewater", "sewage"),
        ),
        Field("latitude", gettext_lazy("latitude"), ("عرض جغرافیایی", "lat", "latitude")),
        Field("longitude", gettext_lazy("longitude"), ("طول جغرافیایی", "lon", "lng", "longitude")),
        Field("description", gettext_lazy("description"), ("توضیحات", "شرح", "description", "notes")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.kinds = parsing.ChoiceTable(EstateKind, KIND_SYNONYMS, noun=_("kind of estate"))
        self.readiness = parsing.ChoiceTable(Readiness, READINESS_SYNONYMS, noun=_("readiness"))
        self.counties = county_lookup()
        self.companies = list(acting_companies(self.user))
        self.company_lookup = parsing.NameLookup(str(_COMPANY))
        for company in self.companies:
            self.company_lookup.add(company, company.name, company.name_en)
        self.existing = list(IndustrialEstate.objects.select_related("county", "company"))
        self.by_code = {estate.code: estate for estate in self.existing}
        self.by_name = estate_lookup(self.existing, guess=False)  # finding the estate itself: no guesses
        self.seen: dict[str, int] = {}
        self.codes_taken = set(self.by_code)

    def _find(self, row: Row, code: str | None, name: str) -> IndustrialEstate | None:
        if code and code in self.by_code:
            return self.by_code[code]
        for value in (name, row.raw("name_en")):
            if value:
                try:
                    found = self.by_name.find(value)
                except parsing.CellError:
                    found = None
                if found is not None:
                    return found
        return None

    def check(self, row: Row) -> Plan | None:
        name = row.get("name", parsing.text, max_length=300)
        name_en = row.get("name_en", parsing.text, max_length=300)
        code = row.get("code", lambda value: slugify(parsing.text(value), allow_unicode=False) or None)
        kind = row.get("kind", self.kinds)
        county = row.get("county", self.counties.find)
        company = row.get("company", self.company_lookup.find)
        total = row.get("total_area_ha", parsing.decimal, minimum=0, maximum=limits.MAX_AREA_HA)
        industrial = row.get("industrial_area_ha", parsing.decimal, minimum=0, maximum=limits.MAX_AREA_HA)
        utilities = {name_: row.get(name_, self.readiness) for name_ in UTILITIES}
        latitude = row.get("latitude", parsing.decimal)
        longitude = row.get("longitude", parsing.decimal)
        description = row.get("description")
        if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
            row.error("latitude", _("A latitude lies between -90 and 90."))
        if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
            row.error("longitude", _("A longitude lies between -180 and 180."))
        key = code or fold(name or name_en or "")
        if not key:
            row.error(None, _("The row has neither a name nor a code."))
            return None
        if key in self.seen:
            row.error(
                "code" if code else "name",
                _("The same estate is already in row %(row)d of this file; the first row stands.")
                % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        estate = self._find(row, code, name or "")
        values: dict[str, Any] = {
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "county": county,
            "total_area_ha": total,
            "industrial_area_ha": industrial,
            "latitude": latitude,
            "longitude": longitude,
            "description": description,
            **utilities,
        }
        values = {field: value for field, value in values.items() if value not in (None, "")}
        if estate is None:
            return self._plan_create(row, values, code, company)
        return self._plan_update(row, estate, values, company)

    def _plan_create(
        self, row: Row, values: dict[str, Any], code: str | None, company: Organisation | None
    ) -> Plan | None:
        if "name" not in values:
            row.error("name", _("A new estate needs its Persian name."))
        if "county" not in values:
            row.error("county", _("A new estate needs its county."))
        if company is None:
            if len(self.companies) == 1:
                company = self.companies[0]
            else:
                row.error("company", _("Say which estate company runs this estate."))
        error = area_error(values.get("total_area_ha"), values.get("industrial_area_ha"))
        if error:
            row.error("industrial_area_ha", error)
        if not row.ok:
            return None
        estate = IndustrialEstate(company=company, **values)
        if "kind" not in values:
            estate.kind = EstateKind.ZONE if "ناحیه" in (estate.name or "") else EstateKind.ESTATE
        if not self.may(permissions.ADD, estate):
            row.error(None, _("You may not add estates to %(company)s.") % {"company": company})
            return None
        estate.code = code or self._new_code(estate)
        if estate.code in self.codes_taken and code:
            row.error("code", _("Another estate already has the code “%(code)s”.") % {"code": code})
            return None
        self.codes_taken.add(estate.code)
        return Plan(CREATED, estate.name, payload=("create", estate, None))

    def _new_code(self, estate: IndustrialEstate) -> str:
        base = slugify(estate.name_en or "") or f"estate-{estate.county.code}"
        code, number = base, 2
        while code in self.codes_taken:
            code, number = f"{base}-{number}", number + 1
        return code

    def _plan_update(
        self, row: Row, estate: IndustrialEstate, values: dict[str, Any], company: Organisation | None
    ) -> Plan | None:
        if company is not None and company.pk != estate.company_id:
            row.error("company", _("This estate is run by %(company)s.") % {"company": estate.company})
        changes = [name for name, value in values.items() if getattr(estate, name) != value]
        if "name" in changes and fold(values["name"]) == fold(estate.name):
            changes.remove("name")
        if not changes:
            return Plan(UNCHANGED, estate.display_name) if row.ok else None
        if not self.may(permissions.CHANGE, estate):
            row.error(
                None,
                _(
                    "“%(name)s” is already in the registry and you may not change it; the row is held for review."
                )
                % {"name": estate.display_name},
            )
            return None
        error = area_error(
            values.get("total_area_ha", estate.total_area_ha),
            values.get("industrial_area_ha", estate.industrial_area_ha),
        )
        if error:
            row.error("industrial_area_ha", error)
        if not row.ok:
            return None
        labels = {field.name: str(field.label) for field in self.fields}
        return Plan(
            UPDATED,
            estate.display_name,
            changes=[labels.get(name, name) for name in changes],
            payload=("update", estate, {name: values[name] for name in changes}),
        )

    def write(self, plans: list[Plan]) -> None:
        created = [plan.payload[1] for plan in plans if plan.payload[0] == "create"]
        for estate in created:
            estate.refresh_keys()
        IndustrialEstate.objects.bulk_create(created, batch_size=500)
        pairs = []
        fields: set[str] = set()
        for plan in plans:
            if plan.payload[0] != "update":
                continue
            _action, estate, changes = plan.payload
            before = take_snapshot(estate)
            for name, value in changes.items():
                setattr(estate, name, value)
            estate.refresh_keys()
            fields.update(changes)
            pairs.append((before, estate))
        if pairs:
            if "name" in fields or "name_en" in fields:
                fields.update({"name", "name_en", "sort_name", "search_name"})
            IndustrialEstate.objects.bulk_update([after for _before, after in pairs], sorted(fields))
        audit_bulk(created=created, updated=pairs)
        events_bulk(
            [(estate, "estates.estate.created", {"name": estate.name}) for estate in created]
            + [(after, "estates.estate.updated", {"fields": sorted(fields)}) for _before, after in pairs]
        )


class PlotImporter(Importer):
    kind = "plots"
    label = gettext_lazy("Plots")
    model = Plot
    order = 20
    required_columns = [("estate",), ("number",)]
    fields = [
        Field("estate", gettext_lazy("Estate"), ("شهرک", "نام شهرک", "شهرک صنعتی", "ناحیه صنعتی", "estate")),
        Field(
            "number",
            gettext_lazy("Plot number"),
            ("شماره قطعه", "قطعه", "شماره", "پلاک", "plot", "plot no", "number"),
        ),
        Field(
            "area_m2", gettext_lazy("Area (m²)"), ("مساحت", "متراژ", "مساحت قطعه", "area", "m2", "متر مربع")
        ),
        Field("zone", gettext_lazy("Zone"), ("فاز", "بلوک", "منطقه", "zone", "phase", "block")),
        Field("state", gettext_lazy("State"), ("وضعیت", "وضعیت واگذاری", "state", "status")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.states = parsing.ChoiceTable(PlotState, PLOT_STATE_SYNONYMS, noun=_("plot state"))
        self.estates = estate_lookup(list(IndustrialEstate.objects.select_related("company", "county")))
        self.plots = {(plot.estate_id, plot.number): plot for plot in Plot.objects.all()}
        self.seen: dict[tuple[int, str], int] = {}

    def check(self, row: Row) -> Plan | None:
        estate = row.get("estate", self.estates.find, required=True)
        number = row.get("number", parsing.identifier, required=True, max_length=20)
        area = row.get("area_m2", parsing.decimal, positive=True, maximum=limits.MAX_AREA_M2)
        zone = row.get("zone", parsing.text, max_length=60)
        state = row.get("state", self.states)
        if estate is None or number is None:
            return None
        key = (estate.pk, number)
        if key in self.seen:
            row.error(
                "number",
                _("Plot %(number)s of this estate is already in row %(row)d; the first row stands.")
                % {"number": number, "row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        values = {"area_m2": area, "zone": zone, "state": state}
        values = {name: value for name, value in values.items() if value not in (None, "")}
        label = f"{estate.display_name} — {number}"
        plot = self.plots.get(key)
        if plot is None:
            if area is None:
                row.error("area_m2", _("A new plot needs its area."))
                return None
            plot = Plot(estate=estate, number=number, **values)
            if not self.may(permissions.ADD, Plot) or not self.may(permissions.CHANGE, estate):
                row.error(
                    "estate", _("You may not add plots to “%(estate)s”.") % {"estate": estate.display_name}
                )
                return None
            return Plan(CREATED, label, payload=("create", plot, None)) if row.ok else None
        changes = [name for name, value in values.items() if getattr(plot, name) != value]
        if not changes:
            return Plan(UNCHANGED, label) if row.ok else None
        if not self.may(permissions.CHANGE, plot):
            row.error(
                None, _("You may not change the plots of “%(estate)s”.") % {"estate": estate.display_name}
            )
            return None
        labels = {field.name: str(field.label) for field in self.fields}
        return (
            Plan(
                UPDATED,
                label,
                changes=[labels[name] for name in changes],
                payload=("update", plot, {name: values[name] for name in changes}),
            )
            if row.ok
            else None
        )

    def write(self, plans: list[Plan]) -> None:
        created = [plan.payload[1] for plan in plans if plan.payload[0] == "create"]
        Plot.objects.bulk_create(created, batch_size=1000)
        pairs, fields = [], set()
        for plan in plans:
            if plan.payload[0] == "update":
                _action, plot, changes = plan.payload
                before = take_snapshot(plot)
                for name, value in changes.items():
                    setattr(plot, name, value)
                fields.update(changes)
                pairs.append((before, plot))
        if pairs:
            Plot.objects.bulk_update([after for _before, after in pairs], sorted(fields), batch_size=1000)
        audit_bulk(created=created, updated=pairs)
        events_bulk(
            [(plot.estate, "estates.plot.added", {"number": plot.number}) for plot in created]
            + [
                (after.estate, "estates.plot.updated", {"number": after.number, "fields": sorted(fields)})
                for _before, after in pairs
            ]
        )
