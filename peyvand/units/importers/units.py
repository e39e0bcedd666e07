"""Importing production units (the ``units`` kind), with their products and certifications."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core import limits, permissions
from peyvand.core.models import NamedModel
from peyvand.estates.importers import county_lookup, estate_lookup
from peyvand.estates.models import IndustrialEstate, Plot
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
from peyvand.matching.text import fold, to_ascii_digits
from peyvand.taxonomy.models import Classification

from ..choices import StatusCause
from ..models import Certification, Product, ProductionUnit, StatusChange, UnitCertification
from ..services import FIELD_RULES, check_move, units_changed
from .certifications import Certificate, CertificationReader
from .common import UnitIndex, _find_unit, status_table

# The column a rule of ``check_move`` names (by its code): a date out of order is the date's fault.
_MOVE_ERROR_COLUMN = {"future": "status_since", "order": "status_since"}


@dataclass
class UnitPlan:
    unit: ProductionUnit
    new: bool
    changes: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    since: Any = None
    products: list[tuple[str, int | None]] = field(default_factory=list)
    certifications: list[Certificate] = field(default_factory=list)


class UnitImporter(Importer):
    kind = "units"
    label = gettext_lazy("Production units")
    model = ProductionUnit
    order = 30
    required_columns = [("name", "national_id", "licence_number")]
    fields = [
        Field(
            "name",
            gettext_lazy("Name"),
            (
                "نام واحد",
                "نام واحد تولیدی",
                "نام شرکت",
                "نام کارخانه",
                "عنوان واحد",
                "واحد تولیدی",
                "unit name",
                "company name",
                "company",
                "unit",
            ),
        ),
        Field("name_en", gettext_lazy("name (English)"), ("نام لاتین", "نام انگلیسی", "english name")),
        Field("legal_name", gettext_lazy("legal name"), ("نام ثبتی", "نام حقوقی", "registered name")),
        Field(
            "national_id",
            gettext_lazy("national ID"),
            ("شناسه ملی", "شناسه ملی شرکت", "کد ملی شرکت", "national id", "company id", "nid"),
        ),
        Field(
            "licence_number",
            gettext_lazy("industrial licence number"),
            ("شماره پروانه", "شماره پروانه بهره‌برداری", "پروانه", "licence", "license", "licence no"),
        ),
        Field(
            "estate",
            gettext_lazy("Estate"),
            (
                "شهرک",
                "نام شهرک",
                "شهرک صنعتی",
                "ناحیه صنعتی",
                "شهرک/ناحیه",
                "محل استقرار",
                "estate",
                "industrial estate",
                gettext_lazy("Estate and county"),
            ),
        ),
        Field("county", gettext_lazy("County"), ("شهرستان", "county")),
        Field("plot", gettext_lazy("plot"), ("شماره قطعه", "قطعه", "پلاک", "plot", "plot number")),
        Field(
            "isic",
            gettext_lazy("ISIC"),
            ("کد آیسیک", "آیسیک", "کد فعالیت", "کد isic", "isic", "isic code", "activity code"),
        ),
        Field(
            "employees",
            gettext_lazy("Employees"),
            ("تعداد کارکنان", "اشتغال", "تعداد شاغلین", "کارکنان", "نیروی کار", "employees", "jobs", "staff"),
        ),
        Field(
            "export_oriented",
            gettext_lazy("Export-oriented"),
            ("صادرات محور", "صادراتی", "صادرات", "export", "exporter"),
        ),
        Field("knowledge_based", gettext_lazy("Knowledge-based"), ("دانش بنیان", "knowledge based")),
        Field("contact_person", gettext_lazy("contact person"), ("مدیرعامل", "نام مدیر", "رابط", "contact")),
        Field("phone", gettext_lazy("phone"), ("تلفن", "شماره تماس", "تلفن تماس", "موبایل", "tel", "phone")),
        Field("email", gettext_lazy("e-mail"), ("ایمیل", "پست الکترونیک", "email", "e-mail")),
        Field("website", gettext_lazy("website"), ("وب سایت", "سایت", "website", "web")),
        Field("description", gettext_lazy("description (Persian)"), ("توضیحات", "شرح فعالیت", "description")),
        Field("description_en", gettext_lazy("description (English)"), ("english description",)),
        Field("capacity", gettext_lazy("production capacity"), ("ظرفیت", "ظرفیت تولید", "capacity")),
        Field("status", gettext_lazy("Status"), ("وضعیت", "وضعیت واحد", "وضعیت فعلی", "status", "state")),
        Field(
            "status_since",
            gettext_lazy("Since"),
            ("تاریخ", "از تاریخ", "تاریخ وضعیت", "تاریخ شروع وضعیت", "status since", "since", "date"),
        ),
        Field(
            "products",
            gettext_lazy("products"),
            ("محصولات", "محصول", "نام محصول", "محصولات تولیدی", "products", "product"),
        ),
        Field("hs", gettext_lazy("HS code"), ("کد تعرفه", "تعرفه", "کد hs", "hs", "hs code", "tariff code")),
        Field(
            "certifications",
            gettext_lazy("Certifications"),
            ("گواهینامه", "گواهینامه‌ها", "استاندارد", "certificates", "certification"),
        ),
    ]

    # --- loading ------------------------------------------------------------------------------------
    def prepare(self, rows: list[Row]) -> None:
        self.labels = self.field_labels()
        self.statuses = status_table()
        estates = list(IndustrialEstate.objects.select_related("county", "company"))
        self.estates = estate_lookup(estates)
        self.counties = county_lookup()
        self.isic = dict(Classification.objects.isic_classes().values_list("code", "pk"))
        self.isic_names = dict(Classification.objects.isic_classes().values_list("pk", "name"))
        self.hs = dict(
            Classification.objects.filter(scheme="hs2022").exclude(level="chapter").values_list("code", "pk")
        )
        self.certs = CertificationReader()
        self.cert_names = dict(Certification.objects.values_list("pk", "name"))
        self.plots = {
            (estate_id, number): pk
            for pk, estate_id, number in Plot.objects.values_list("pk", "estate_id", "number")
        }
        self.index = UnitIndex.load()
        self.seen: dict[tuple[Any, ...], tuple[int, str | None]] = {}
        self.can_add = self.may(permissions.ADD, ProductionUnit)
        self.changeable_estates = self._estate_ids(permissions.CHANGE, IndustrialEstate)
        self.unit_estates_change = self._estate_ids(permissions.CHANGE, ProductionUnit)
        self.unit_estates_status = self._estate_ids(permissions.CHANGE_STATUS, ProductionUnit)
        self.unit_estates_view = self._estate_ids(permissions.VIEW, ProductionUnit)
        self.loaded: dict[int, ProductionUnit] = {}
        self._load_matches(rows)

    def _estate_ids(self, action: str, model: type) -> set[int] | None:
        """Estates whose units (or which themselves) ``user`` may ``action``; None means all."""
        if self.user is None or self.user.is_superuser:
            return None
        companies = {
            org_id
            for kind, role, org_id in permissions.memberships(self.user)
            if kind == "estate_company"
            and permissions.allowed(kind, role, permissions.gate_of(model).kind, action)
        }
        if any(
            kind == "national_body"
            and permissions.allowed(kind, role, permissions.gate_of(model).kind, action)
            for kind, role, _org in permissions.memberships(self.user)
        ):
            return None
        return set(IndustrialEstate.objects.filter(company__in=companies).values_list("pk", flat=True))

    def _allowed(self, estates: set[int] | None, estate_id: int) -> bool:
        return estates is None or estate_id in estates

    def _parsed_or_none(self, parser: Any, value: Any, **options: Any) -> Any:
        """A cell parsed, or ``None`` when it cannot be (finding a row's unit never fails on a bad cell)."""
        try:
            return parsing.unnoted(parser(value, **options))
        except parsing.CellError:
            return None

    def _load_matches(self, rows: list[Row]) -> None:
        wanted: set[int] = set()
        for row in rows:
            estate = self._parsed_or_none(self.estates.find, row.raw("estate"))
            pk, _how = _find_unit(
                self.index,
                self._parsed_or_none(parsing.company_national_id, row.raw("national_id")),
                self._parsed_or_none(parsing.identifier, row.raw("licence_number")),
                estate.pk if estate else None,
                self._parsed_or_none(parsing.text, row.raw("name"))
                or self._parsed_or_none(parsing.text, row.raw("name_en")),
            )
            if pk:
                wanted.add(pk)
        units = ProductionUnit.objects.filter(pk__in=wanted).select_related(
            "estate", "estate__county", "isic", "plot"
        )
        self.loaded = {unit.pk: unit for unit in units.prefetch_related("certificates", "products")}

    # --- cell parsers -------------------------------------------------------------------------------
    def parse_isic(self, value: Any) -> int:
        code = parsing.code(leading_code(value), lengths=(4,))
        if code not in self.isic:
            raise parsing.CellError(
                _("“%(value)s” is not an ISIC class (four digits, e.g. 1061).")
                % {"value": parsing.display(value)}
            )
        return self.isic[code]

    def _hs(self, raw: Any) -> int:
        code = parsing.code(leading_code(raw), even=True)
        for candidate in (code, code[:6], code[:4]):
            if candidate in self.hs:
                return self.hs[candidate]
        raise parsing.CellError(
            _("“%(value)s” is not an HS code in the list.") % {"value": parsing.display(raw)}
        )

    def parse_hs(self, value: Any) -> int:
        return self._hs(value)

    _PRODUCT = re.compile(r"^(?P<name>.*?)\s*[\(（\[]\s*(?P<code>[\d۰-۹٠-٩.\s]+)\s*[\)）\]]\s*$")

    def parse_products(self, value: Any) -> list[tuple[str, int | None]]:
        products = []
        for item in parsing.items(value):
            match = self._PRODUCT.match(item)
            name, hs_id = item, None
            if match:
                name, hs_id = match.group("name").strip(), self._hs(match.group("code"))
            if len(name) > 300:
                raise parsing.CellError(_("A product name is at most 300 characters long."))
            if name:
                products.append((name, hs_id))
        return products

    def parse_certifications(self, value: Any) -> list[Certificate] | parsing.Noted:
        return self.certs(value)

    @staticmethod
    def parse_phone(value: Any) -> str:
        phone = to_ascii_digits(parsing.text(value, max_length=32))
        return re.sub(r"\s+", " ", phone)

    # --- checking ------------------------------------------------------------------------------------
    def check(self, row: Row) -> Plan | None:
        get = row.get
        values: dict[str, Any] = {
            "name": get("name", parsing.text, max_length=300),
            "name_en": get("name_en", parsing.text, max_length=300),
            "legal_name": get("legal_name", parsing.text, max_length=250),
            "national_id": get("national_id", parsing.company_national_id),
            "licence_number": get("licence_number", parsing.identifier, max_length=40),
            "estate": get("estate", self.estates.find),
            "isic_id": get("isic", self.parse_isic),
            "employees": get("employees", parsing.integer, minimum=0, maximum=limits.MAX_PEOPLE),
            "export_oriented": get("export_oriented", parsing.yes_no),
            "knowledge_based": get("knowledge_based", parsing.yes_no),
            "contact_person": get("contact_person", parsing.text, max_length=120),
            "phone": get("phone", self.parse_phone),
            "email": get("email", parsing.by_rule(FIELD_RULES["email"])),
            "website": get("website", parsing.by_rule(FIELD_RULES["website"])),
            "description": get("description"),
            "description_en": get("description_en"),
            "capacity": get("capacity", parsing.text, max_length=200),
        }
        county = get("county", self.counties.find)
        plot_number = get("plot", parsing.identifier, max_length=20)
        status = get("status", self.statuses)
        since = get("status_since", parsing.date, today=self.today)
        products = get("products", self.parse_products) or []
        hs_id = get("hs", self.parse_hs)
        certifications = get("certifications", self.parse_certifications) or []
        if hs_id:
            products = [(name, code or hs_id) for name, code in products]
        estate = values["estate"]
        if estate is not None and county is not None and estate.county_id != county.pk:
            row.error(
                "county",
                _("“%(estate)s” is in %(county)s, not in “%(given)s”.")
                % {
                    "estate": estate.display_name,
                    "county": estate.county.display_name,
                    "given": parsing.display(row.raw("county")),
                },
            )
        name = values["name"] or values["name_en"]
        national_id, licence = values["national_id"], values["licence_number"]
        if not (name or national_id or licence):
            row.error(None, _("The row has no name, national ID or licence number of a unit."))
            return None
        if self._duplicate_in_file(row, national_id, licence, estate, name):
            return None
        pk, how = _find_unit(self.index, national_id, licence, estate.pk if estate else None, name)
        if how == "conflict":
            row.error(
                "licence_number",
                _(
                    "The national ID belongs to one stored unit and the licence number to another; merge or correct them first. The row is held for review."
                ),
            )
            return None
        if how == "ambiguous":
            row.error(
                "name",
                _(
                    "Several stored units in this estate have this name; add the national ID or licence number."
                ),
            )
            return None
        if pk is not None and not self._allowed(self.unit_estates_view, self.loaded[pk].estate_id):
            # Never an oracle: another company's unit is neither named nor described, only out of scope.
            row.error(
                "national_id" if how == "id" else "licence_number" if how == "licence" else "name",
                _("This unit is outside your scope; the row is held for review."),
            )
            return None
        plot_id = None
        plot_estate = estate or (self.loaded[pk].estate if pk else None)
        if plot_number is not None and plot_estate is not None:
            plot_id = self.plots.get((plot_estate.pk, plot_number))
            if plot_id is None:
                row.error(
                    "plot",
                    _("“%(estate)s” has no plot %(number)s.")
                    % {"estate": plot_estate.display_name, "number": plot_number},
                )
        values["plot_id"] = plot_id
        present = {key: value for key, value in values.items() if value not in (None, "")}
        if pk is None:
            return self._plan_new(row, present, status, since, products, certifications)
        return self._plan_update(row, self.loaded[pk], present, status, since, products, certifications)

    def _duplicate_in_file(
        self, row: Row, national_id: str | None, licence: str | None, estate: Any, name: str | None
    ) -> bool:
        keys: list[tuple[Any, ...]] = []
        if national_id:
            keys.append(("id", national_id))
        if licence:
            keys.append(("licence", licence))
        if name and estate is not None:
            keys.append(("name", estate.pk, fold(name)))
        for key in keys:
            first = self.seen.get(key)
            if first is None:
                continue
            first_row, first_id = first
            if key[0] == "name" and national_id and first_id and first_id != national_id:
                continue  # two units of the same name with different national IDs
            if key[0] == "id":
                message = _("The national ID %(value)s is already in row %(row)d; the first row stands.")
                column, value = "national_id", national_id
            elif key[0] == "licence":
                message = _("The licence number %(value)s is already in row %(row)d; the first row stands.")
                column, value = "licence_number", licence
            else:
                message = _(
                    "A unit named “%(value)s” in this estate is already in row %(row)d; the first row stands."
                )
                column, value = "name", name
            row.error(column, message % {"value": value, "row": first_row})
            return True
        for key in keys:
            self.seen.setdefault(key, (row.number, national_id))
        return False

    def _plan_new(
        self,
        row: Row,
        values: dict[str, Any],
        status: str | None,
        since: Any,
        products: list,
        certifications: list[Certificate],
    ) -> Plan | None:
        estate = values.get("estate")
        # A cell that could not be read already has its message; only missing values are reported here.
        if "name" not in values and not row.has("name"):
            row.error("name", _("A new unit needs its Persian name."))
        if estate is None and not row.has("estate"):
            row.error("estate", _("A new unit needs its estate."))
        if status is None and not row.has("status"):
            row.error("status", _("A new unit needs its life-cycle status."))
        if since is None and not row.has("status_since"):
            since = self.today
            if status is not None:
                row.warn("status_since", _("No date: the status is recorded from today."))
        if status is not None and since is not None:
            try:  # the rules of ``register_unit``, asked where it asks them
                check_move(None, status, date=since, cause=StatusCause.INITIAL, since=None, today=self.today)
            except ValidationError as error:
                row.error(_MOVE_ERROR_COLUMN.get(error.code or "", "status"), " ".join(error.messages))
        if not row.ok:
            return None
        if not self.can_add or not self._allowed(self.changeable_estates, estate.pk):
            row.error("estate", _("You may not add units to “%(estate)s”.") % {"estate": estate.display_name})
            return None
        unit = ProductionUnit(**values)
        return Plan(
            CREATED,
            unit.name,
            payload=UnitPlan(
                unit, True, status=status, since=since, products=products, certifications=certifications
            ),
        )

    def _plan_update(
        self,
        row: Row,
        unit: ProductionUnit,
        values: dict[str, Any],
        status: str | None,
        since: Any,
        products: list,
        certifications: list[Certificate],
    ) -> Plan | None:
        changes = self._field_changes(row, unit, values)
        new_status = self._status_change(row, unit, status, since)
        have = {fold(product.name) for product in unit.products.all()}
        new_products = [(name, hs) for name, hs in products if fold(name) not in have]
        new_certs = self._new_certifications(unit, certifications)
        changed = list(changes)
        changed += [
            name
            for name, new in (
                ("status", new_status),
                ("products", new_products),
                ("certifications", new_certs),
            )
            if new
        ]
        if not row.ok:
            return None
        if not changed:
            return Plan(UNCHANGED, unit.display_name)
        if not self._may_change(unit, changes):
            row.error(
                None,
                _(
                    "“%(name)s” is already in the registry and you may not change it; the row is held for review."
                )
                % {"name": unit.display_name},
            )
            return None
        plan = UnitPlan(unit, False, changes=changes, products=new_products, certifications=new_certs)
        if new_status:
            plan.status, plan.since = new_status
        labels = self.labels
        return Plan(
            UPDATED,
            unit.display_name,
            changes=[labels.get(name.removesuffix("_id"), labels.get(name, name)) for name in changed],
            payload=plan,
        )

    def _field_changes(self, row: Row, unit: ProductionUnit, values: dict[str, Any]) -> dict[str, Any]:
        """The row's values that differ from the stored unit's; an identifier is never overwritten (an
        error names both) nor taken from another unit."""
        changes: dict[str, Any] = {}
        for name, value in values.items():
            current = unit.estate if name == "estate" else getattr(unit, name)
            identifier = name in ("national_id", "licence_number")
            if current == value or (
                isinstance(value, str) and not identifier and fold(value) == fold(current or "")
            ):
                continue
            problem = self._identifier_problem(unit, name, current, value) if identifier else None
            if problem:
                row.error(name, problem)
                continue
            changes[name] = value
        return changes

    def _identifier_problem(self, unit: ProductionUnit, name: str, current: Any, value: Any) -> str | None:
        if current:
            return _(
                "The stored unit “%(unit)s” has %(field)s %(current)s, not %(value)s; merge or correct them first."
            ) % {"unit": unit.display_name, "field": self.labels[name], "current": current, "value": value}
        if name == "national_id" and value in self.index.by_national_id:
            return _("Another stored unit has the national ID %(value)s.") % {"value": value}
        if name == "licence_number" and value in self.index.by_licence:
            return _("Another stored unit has the licence number %(value)s.") % {"value": value}
        return None

    def _status_change(
        self, row: Row, unit: ProductionUnit, status: str | None, since: Any
    ) -> tuple[str, Any] | None:
        """(new status, date) when the row changes the unit's status; the errors of a change not allowed."""
        if status is None or status == unit.status:
            return None
        date = since or self.today
        if since is None and not row.has("status_since"):
            row.warn("status", _("No date: the status change is recorded for today."))
        try:  # the rules of ``change_status``, asked where it asks them
            check_move(
                unit.status,
                status,
                date=date,
                cause=StatusCause.OTHER,
                since=unit.status_since,
                today=self.today,
            )
        except ValidationError as error:
            row.error(_MOVE_ERROR_COLUMN.get(error.code or "", "status"), " ".join(error.messages))
        else:
            if not self._allowed(self.unit_estates_status, unit.estate_id):
                row.error("status", _("You may not change the status of units."))
        return status, date

    @staticmethod
    def _new_certifications(unit: ProductionUnit, certifications: list[Certificate]) -> list[Certificate]:
        """Certifications the unit does not hold yet, or holds without the number the row gives."""
        held = {(link.certification_id, link.as_written): link for link in unit.certificates.all()}
        return [
            certificate
            for certificate in dict.fromkeys(certifications)
            if (certificate.certification_id, certificate.as_written) not in held
            or (
                certificate.reference
                and not held[(certificate.certification_id, certificate.as_written)].reference
            )
        ]

    def _may_change(self, unit: ProductionUnit, changes: dict[str, Any]) -> bool:
        """The user may change the unit's estate's units, and move it to the estate the row names."""
        return self._allowed(self.unit_estates_change, unit.estate_id) and (
            "estate" not in changes or self._allowed(self.changeable_estates, changes["estate"].pk)
        )

    # --- writing -------------------------------------------------------------------------------------
    def write(self, plans: list[Plan]) -> None:
        by = self.user if getattr(self.user, "is_authenticated", False) else None
        items: list[UnitPlan] = [plan.payload for plan in plans]
        new = [item for item in items if item.new]
        histories: list[StatusChange] = []
        events: list[tuple[Any, str, dict]] = []
        self._create_units(new, by, histories, events)
        pairs = self._update_units([item for item in items if not item.new], by, histories, events)
        create_rows(StatusChange, histories)
        products = [
            Product(unit=item.unit, name=name, hs_id=hs_id) for item in items for name, hs_id in item.products
        ]
        for product in products:
            product.refresh_keys()
        create_rows(Product, products)
        self._link_certifications(items)
        audit_bulk(
            created=[item.unit for item in new] + histories + products,
            updated=pairs,
            extra_changes=self._certification_changes(items),
        )
        events_bulk(events)
        units_changed([item.unit.pk for item in items], reason="import")

    @staticmethod
    def _create_units(new: list[UnitPlan], by: Any, histories: list, events: list) -> None:
        """The new units in bulk, each with its first status change and its "registered" event."""
        for item in new:
            unit = item.unit
            unit.status, unit.status_since = item.status, item.since
            unit.refresh_keys()
            unit.search_text = fold(unit.search_source(product_names=[name for name, _hs in item.products]))
        create_rows(ProductionUnit, [item.unit for item in new])
        for item in new:
            histories.append(
                StatusChange(
                    unit=item.unit,
                    from_status=None,
                    to_status=item.status,
                    date=item.since,
                    cause=StatusCause.INITIAL,
                    by=by,
                )
            )
            events.append(
                (item.unit, "units.unit.registered", {"status": item.status, "since": item.since.isoformat()})
            )

    def _update_units(
        self, changed: list[UnitPlan], by: Any, histories: list, events: list
    ) -> list[tuple[ProductionUnit, ProductionUnit]]:
        """The stored units changed in bulk (with their status changes and events); (before, after) pairs."""
        now = timezone.now()
        pairs = []
        fields: set[str] = set()
        for item in changed:
            unit = item.unit
            before = snapshot(unit)
            for name, value in item.changes.items():
                setattr(unit, name, value)
            fields.update(item.changes)
            if item.status:
                self._change_status(unit, item, by, histories, events)
                fields.update({"status", "status_since"})
            names = [product.name for product in unit.products.all()] + [name for name, _hs in item.products]
            NamedModel.refresh_keys(unit)  # the unit's own refresh reads its products again, one query each
            unit.search_text = fold(
                unit.search_source(product_names=[*names, *[p.name_en for p in unit.products.all()]])
            )
            unit.private_search_text = fold(unit.private_search_source())
            unit.updated_at = now
            if item.changes:
                events.append((unit, "units.profile.updated", {"fields": sorted(item.changes)}))
            pairs.append((before, unit))
        if pairs:
            fields.update(
                {
                    "name",
                    "name_en",
                    "sort_name",
                    "search_name",
                    "search_text",
                    "private_search_text",
                    "updated_at",
                    "national_id",
                    "licence_number",
                }
            )
            ProductionUnit.objects.bulk_update(
                [unit for _before, unit in pairs], sorted(fields), batch_size=500
            )
        return pairs

    @staticmethod
    def _change_status(unit: ProductionUnit, item: UnitPlan, by: Any, histories: list, events: list) -> None:
        histories.append(
            StatusChange(
                unit=unit,
                from_status=unit.status,
                to_status=item.status,
                date=item.since,
                cause=StatusCause.OTHER,
                note=_("import"),
                by=by,
            )
        )
        events.append(
            (
                unit,
                "units.status.changed",
                {
                    "from": unit.status,
                    "to": item.status,
                    "date": item.since.isoformat(),
                    "cause": StatusCause.OTHER,
                    "note": "",
                },
            )
        )
        unit.status, unit.status_since = item.status, item.since

    @staticmethod
    def _link_certifications(items: list[UnitPlan]) -> None:
        links = [
            UnitCertification(
                productionunit_id=item.unit.pk,
                certification_id=certificate.certification_id,
                reference=certificate.reference,
                as_written=certificate.as_written,
            )
            for item in items
            for certificate in item.certifications
        ]
        # A number read for a certification the unit already holds without one fills it in.
        UnitCertification.objects.bulk_create(
            links,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["productionunit", "certification", "as_written"],
            update_fields=["reference"],
        )

    def _certification_changes(self, items: list[UnitPlan]) -> dict[int, dict[str, list[str]]]:
        """The audit record's "certifications" change of each unit that got some (a many-to-many change
        auditlog's diff does not see)."""

        def text(certificate: Certificate) -> str:
            name = certificate.as_written or self.cert_names[certificate.certification_id]
            return " ".join(part for part in (name, certificate.reference) if part)

        return {
            id(item.unit): {
                "certifications": ["", "، ".join(text(certificate) for certificate in item.certifications)]
            }
            for item in items
            if item.certifications
        }
