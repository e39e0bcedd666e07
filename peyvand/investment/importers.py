"""Importing investors, applications and allocation contracts through the one engine (``imports/engine``);
registered in ``apps.py``.

Investors are found by national ID, then by name; applications are new rows (drafts, or submitted when the
sheet says so) of a known investor; an allocation row signs the contract of an approved application on a
free plot of its estate — through ``services.allocate``, with the same checks as the page.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.accounts.acting import acting_companies
from peyvand.core import permissions
from peyvand.estates.models import Plot
from peyvand.imports import parsing
from peyvand.imports.engine import CREATED, UNCHANGED, UPDATED, Field, Importer, Plan, Row, events_bulk
from peyvand.matching.text import fold
from peyvand.taxonomy.models import Classification

from . import services
from .choices import ApplicationState, EnvironmentGroup, InvestorKind, KnowledgeLevel
from .models import AllocationContract, Application, Investor

KIND_SYNONYMS = {
    InvestorKind.PERSON: ["حقیقی", "شخص", "فرد", "person", "individual"],
    InvestorKind.COMPANY: ["حقوقی", "شرکت", "company", "firm"],
}
LEVEL_SYNONYMS = {
    KnowledgeLevel.NONE: ["ندارد", "خیر", "-", "no"],
    KnowledgeLevel.EMERGING: ["نوپا", "emerging", "startup"],
    KnowledgeLevel.TYPE_1: ["نوع یک", "نوع 1", "نوع ۱", "تولیدی نوع 1"],
    KnowledgeLevel.TYPE_2: ["نوع دو", "نوع 2", "نوع ۲", "تولیدی نوع 2"],
}
_INVESTOR = gettext_lazy("investor")


def investor_lookup(investors: list[Investor]) -> parsing.NameLookup:
    lookup = parsing.NameLookup(str(_INVESTOR))
    for investor in investors:
        lookup.add(investor, investor.name, investor.name_en, codes=[investor.national_id or ""])
    return lookup


class InvestorImporter(Importer):
    kind = "investors"
    label = gettext_lazy("Investors")
    model = Investor
    order = 60
    required_columns = [("name",)]
    fields = [
        Field("name", gettext_lazy("Name"), ("نام سرمایه‌گذار", "نام", "نام شرکت", "investor", "name")),
        Field("name_en", gettext_lazy("name (English)"), ("نام انگلیسی", "english name")),
        Field("kind", gettext_lazy("Kind"), ("نوع شخصیت", "حقیقی/حقوقی", "نوع", "kind")),
        Field("national_id", gettext_lazy("National ID"), ("شناسه ملی", "کد ملی", "national id")),
        Field("contact_person", gettext_lazy("Contact person"), ("رابط", "نماینده", "contact")),
        Field("phone", gettext_lazy("Phone"), ("تلفن", "موبایل", "phone")),
        Field("email", gettext_lazy("e-mail"), ("ایمیل", "پست الکترونیک", "email")),
        Field("knowledge_level", gettext_lazy("Knowledge-based certificate"), ("دانش‌بنیان", "نوع دانش‌بنیان")),
        Field("knowledge_expiry", gettext_lazy("Certificate valid until"), ("اعتبار تا", "انقضای گواهی")),
        Field("knowledge_register_number", gettext_lazy("register number"), ("شماره ثبت دانش‌بنیان",)),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.kinds = parsing.ChoiceTable(InvestorKind, KIND_SYNONYMS, noun=_("kind"))
        self.levels = parsing.ChoiceTable(
            KnowledgeLevel, LEVEL_SYNONYMS, noun=_("knowledge-based certificate")
        )
        self.companies = list(acting_companies(self.user))
        existing = list(Investor.objects.all())
        self.by_id = {investor.national_id: investor for investor in existing if investor.national_id}
        self.by_name = {fold(investor.name): investor for investor in existing}
        self.seen: dict[str, int] = {}

    def check(self, row: Row) -> Plan | None:
        name = row.get("name", parsing.text, max_length=200, required=True)
        kind = row.get("kind", self.kinds) or InvestorKind.COMPANY
        national_id = row.get(
            "national_id", parsing.digits_only, length=10 if kind == InvestorKind.PERSON else 11
        )
        values = {
            "name": name,
            "name_en": row.get("name_en", parsing.text, max_length=200),
            "kind": kind,
            "national_id": national_id,
            "contact_person": row.get("contact_person", parsing.text, max_length=120),
            "phone": row.get("phone", parsing.text, max_length=32),
            "email": row.get("email", parsing.text, max_length=254),
            "knowledge_level": row.get("knowledge_level", self.levels),
            "knowledge_expiry": row.get("knowledge_expiry", parsing.date, allow_future=True),
            "knowledge_register_number": row.get("knowledge_register_number", parsing.text, max_length=40),
        }
        values = {key: value for key, value in values.items() if value not in (None, "")}
        if not name:
            return None
        key = national_id or fold(name)
        if key in self.seen:
            row.error(
                "name",
                _("The same investor is already in row %(row)d of this file.") % {"row": self.seen[key]},
            )
            return None
        self.seen[key] = row.number
        level = values.get("knowledge_level")
        if level and level != KnowledgeLevel.NONE and not values.get("knowledge_expiry"):
            row.error("knowledge_expiry", _("Give the certificate's expiry date."))
        found = self.by_id.get(national_id) if national_id else None
        found = found or self.by_name.get(fold(name))
        if not row.ok:
            return None
        if found is None:
            if not self.companies:
                row.error(None, _("You may not add investors."))
                return None
            investor = Investor(company=self.companies[0], **values)
            return Plan(CREATED, name, payload=("create", investor, None))
        changes = {key: value for key, value in values.items() if getattr(found, key) != value}
        if not changes:
            return Plan(UNCHANGED, found.name)
        if not self.may(permissions.CHANGE, found):
            row.error(None, _("You may not change this investor."))
            return None
        return Plan(UPDATED, found.name, changes=list(changes), payload=("update", found, changes))

    def write(self, plans: list[Plan]) -> None:
        created = []
        for plan in plans:
            action, investor, changes = plan.payload
            if action == "update":
                for key, value in changes.items():
                    setattr(investor, key, value)
            investor.save()
            if action == "create":
                created.append(investor)
        events_bulk((investor, "investment.investor.created", {"fields": []}) for investor in created)


class ApplicationImporter(Importer):
    kind = "investment_applications"
    label = gettext_lazy("Investment applications")
    model = Application
    order = 61
    required_columns = [("investor",), ("title",), ("isic",)]
    fields = [
        Field("investor", _INVESTOR, ("سرمایه‌گذار", "نام سرمایه‌گذار", "شناسه ملی سرمایه‌گذار", "investor")),
        Field("title", gettext_lazy("Project"), ("طرح", "عنوان طرح", "نام طرح", "project")),
        Field("product", gettext_lazy("Product"), ("محصول", "محصولات", "product")),
        Field("isic", gettext_lazy("ISIC class"), ("کد آیسیک", "آیسیک", "isic")),
        Field("hs_codes", gettext_lazy("HS codes"), ("کد تعرفه", "کد HS", "hs")),
        Field(
            "investment_rial", gettext_lazy("investment (rial)"), ("سرمایه‌گذاری", "مبلغ سرمایه‌گذاری (ریال)")
        ),
        Field("jobs_planned", gettext_lazy("Jobs planned"), ("اشتغال", "اشتغال پیش‌بینی‌شده", "jobs")),
        Field("land_m2", gettext_lazy("Land requested"), ("زمین", "زمین درخواستی", "مساحت", "land")),
        Field("water_m3_day", gettext_lazy("water (m³/day)"), ("آب", "water")),
        Field("power_kw", gettext_lazy("power (kW)"), ("برق", "power")),
        Field("gas_m3_hour", gettext_lazy("gas (m³/hour)"), ("گاز", "gas")),
        Field("environment_group", gettext_lazy("environmental group"), ("گروه زیست‌محیطی", "گروه")),
        Field("export_share", gettext_lazy("export share (%)"), ("سهم صادرات", "export share")),
        Field("export_markets", gettext_lazy("export markets"), ("بازار صادراتی", "بازارهای صادراتی")),
        Field("state", gettext_lazy("State"), ("وضعیت", "state")),
    ]

    def prepare(self, rows: list[Row]) -> None:
        self.investors = investor_lookup(list(Investor.objects.all()))
        self.isic = {c.code: c for c in Classification.objects.isic_classes()}
        self.states = parsing.ChoiceTable(ApplicationState, {}, noun=_("State"))

    def check(self, row: Row) -> Plan | None:
        investor = row.get("investor", self.investors.find, required=True)
        title = row.get("title", parsing.text, max_length=200, required=True)
        code = row.get("isic", parsing.code, lengths=(4,))
        isic = self.isic.get(code or "")
        if code and isic is None:
            row.error("isic", _("“%(code)s” is not an ISIC class.") % {"code": code})
        values = {
            "product": row.get("product", parsing.text, max_length=200) or title,
            "hs_codes": row.get("hs_codes", parsing.text, max_length=200) or "",
            "investment_rial": row.get("investment_rial", parsing.integer, minimum=1_000_000),
            "jobs_planned": row.get("jobs_planned", parsing.integer, minimum=0),
            "land_m2": row.get("land_m2", parsing.decimal, minimum=100),
            "water_m3_day": row.get("water_m3_day", parsing.decimal, minimum=0) or Decimal(0),
            "power_kw": row.get("power_kw", parsing.decimal, minimum=0) or Decimal(0),
            "gas_m3_hour": row.get("gas_m3_hour", parsing.decimal, minimum=0) or Decimal(0),
            "export_share": row.get("export_share", parsing.decimal, minimum=0) or Decimal(0),
            "export_markets": row.get("export_markets", parsing.text, max_length=200) or "",
        }
        group = row.get("environment_group", parsing.integer, minimum=1)
        if group is not None and group not in EnvironmentGroup.values:
            row.error("environment_group", _("The environmental group is 1 to 5."))
        for required in ("investment_rial", "jobs_planned", "land_m2"):
            if values[required] is None and row.ok:
                row.error(required, _("This column is needed for a new application."))
        if values["export_share"] > 100:
            row.error("export_share", _("A share lies between 0 and 100."))
        state = row.get("state", self.states) or ApplicationState.DRAFT
        if state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            row.error(
                "state", _("Imported applications start as drafts or submitted; reviewers decide here.")
            )
        if not row.ok or investor is None or isic is None:
            return None
        application = Application(
            investor=investor,
            company_id=investor.company_id,
            title=title,
            isic=isic,
            environment_group=group or EnvironmentGroup.G2,
            **values,
        )
        if not self.may(permissions.ADD, application):
            row.error("investor", _("You may not file applications for this investor."))
            return None
        return Plan(CREATED, title, payload=(application, state))

    def write(self, plans: list[Plan]) -> None:
        for plan in plans:
            application, state = plan.payload
            application.save()
            events_bulk([(application, "investment.application.created", {"fields": []})])
            if state == ApplicationState.SUBMITTED:
                services.move_application(application, state, by=self.user)


class AllocationImporter(Importer):
    kind = "allocations"
    label = gettext_lazy("Allocation contracts")
    model = AllocationContract
    order = 62
    required_columns = [("application",), ("plot",), ("signed_on",), ("price_per_m2_rial",)]
    fields = [
        Field("application", gettext_lazy("application"), ("درخواست", "شماره درخواست", "طرح", "application")),
        Field("plot", gettext_lazy("Plot"), ("قطعه", "شماره قطعه", "plot")),
        Field("signed_on", gettext_lazy("Signed on"), ("تاریخ قرارداد", "تاریخ امضا", "signed on")),
        Field("price_per_m2_rial", gettext_lazy("Price per m² (rial)"), ("قیمت هر متر", "بهای هر مترمربع")),
        Field("down_payment_share", gettext_lazy("Down payment (%)"), ("پیش‌پرداخت", "درصد پیش‌پرداخت")),
        Field("instalments", gettext_lazy("Monthly instalments"), ("اقساط", "تعداد اقساط")),
        Field("waiver_share", gettext_lazy("Waiver for building on time (%)"), ("بخشودگی",)),
        Field("grace_days", gettext_lazy("Grace period (days)"), ("مهلت ارفاقی",)),
    ]

    def prepare(self, rows: list[Row]) -> None:
        approved = list(
            Application.objects.filter(state=ApplicationState.APPROVED, contract__isnull=True).select_related(
                "estate"
            )
        )
        self.applications = parsing.NameLookup(str(_("application")))
        for application in approved:
            self.applications.add(application, application.title, codes=[application.reference])
        self.plots = {(plot.estate_id, fold(plot.number)): plot for plot in Plot.objects.filter(state="free")}
        self.taken: set[int] = set()

    def check(self, row: Row) -> Plan | None:
        application = row.get("application", self.applications.find, required=True)
        number = row.get("plot", parsing.text, max_length=20, required=True)
        signed_on = row.get("signed_on", parsing.date, required=True)
        price = row.get("price_per_m2_rial", parsing.integer, minimum=1, required=True)
        down = row.get("down_payment_share", parsing.decimal, minimum=0)
        instalments = row.get("instalments", parsing.integer, minimum=0)
        waiver = row.get("waiver_share", parsing.decimal, minimum=0)
        grace = row.get("grace_days", parsing.integer, minimum=0)
        if down is not None and down > 100:
            row.error("down_payment_share", _("A share lies between 0 and 100."))
        if waiver is not None and waiver > 50:
            row.error("waiver_share", _("At most half of the price is waived."))
        if instalments is not None and instalments > 120:
            row.error("instalments", _("At most 120 monthly instalments."))
        if application is None or not row.ok:
            return None
        plot = self.plots.get((application.estate_id, fold(number or "")))
        if plot is None or plot.pk in self.taken:
            row.error(
                "plot",
                _("Plot %(number)s is not free in %(estate)s.")
                % {"number": number, "estate": application.estate},
            )
            return None
        if signed_on < application.state_since:
            row.error("signed_on", _("The contract cannot be signed before the approval."))
            return None
        if self.user is None or not permissions.can(self.user, permissions.REVIEW, application):
            row.error(
                None, _("Allocation contracts are imported by a reviewer of the estate company (--user).")
            )
            return None
        self.taken.add(plot.pk)
        terms = services.Terms(
            price_per_m2_rial=price,
            down_payment_share=down if down is not None else Decimal(30),
            instalments=instalments if instalments is not None else 36,
            waiver_share=waiver or Decimal(0),
            grace_days=grace if grace is not None else 180,
        )
        return Plan(CREATED, application.title, payload=(application, plot, terms, signed_on))

    def write(self, plans: list[Plan]) -> None:
        for plan in plans:
            application, plot, terms, signed_on = plan.payload
            services.allocate(application, plot, terms, by=self.user, signed_on=signed_on)
