"""Tables of the investment lists (the page and its xlsx/csv export share them)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali

from .choices import ApplicationState, ContractState, KnowledgeLevel
from .models import AllocationContract, Application, Investor, Milestone

NUM = {"td": {"class": "num"}}


def _badge(choices: type, value: str) -> str:
    member = choices(value)
    return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)


class InvestorTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Investor"), order_by=("sort_name",), attrs={"td": {"class": "col-name"}}
    )
    kind = tables.Column(verbose_name=_("Kind"))
    knowledge_level = tables.Column(verbose_name=_("Knowledge-based"))
    first_contract_on = tables.Column(verbose_name=_("First contract"), attrs=NUM)
    applications_count = tables.Column(verbose_name=_("Applications"), attrs=NUM)

    class Meta:
        model = Investor
        fields: tuple[str, ...] = ()
        sequence = ("name", "kind", "knowledge_level", "first_contract_on", "applications_count")
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "investors-table"}
        empty_text = _("No investor registered yet.")
        order_by = ("name",)

    def render_name(self, record: Investor) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.display_name
        )

    def value_name(self, record: Investor) -> str:
        return record.display_name

    def render_knowledge_level(self, record: Investor) -> str:
        if record.knowledge_level == KnowledgeLevel.NONE:
            return "—"
        return format_html('<span class="badge text-bg-info">{}</span>', record.get_knowledge_level_display())

    def value_knowledge_level(self, record: Investor) -> str:
        return str(record.get_knowledge_level_display())

    def render_first_contract_on(self, value) -> str:
        return jalali.format_date(value)

    def value_first_contract_on(self, value) -> str:
        return jalali.format_date(value) if value else ""

    def render_applications_count(self, value: int) -> str:
        return jalali.format_number(value)


class ApplicationTable(tables.Table):
    reference = tables.Column(verbose_name=_("Ref."), accessor="pk", order_by=("id",))
    title = tables.Column(verbose_name=_("Project"), attrs={"td": {"class": "col-name"}})
    investor = tables.Column(verbose_name=_("Investor"), accessor="investor__sort_name")
    state = tables.Column(verbose_name=_("State"))
    score = tables.Column(verbose_name=_("Score"), attrs=NUM)
    jobs_planned = tables.Column(verbose_name=_("Jobs"), attrs=NUM)
    land_m2 = tables.Column(verbose_name=_("Land (m²)"), attrs=NUM)
    investment_rial = tables.Column(verbose_name=_("Investment"), attrs=NUM)

    class Meta:
        model = Application
        fields: tuple[str, ...] = ()
        sequence = (
            "reference",
            "title",
            "investor",
            "state",
            "score",
            "jobs_planned",
            "land_m2",
            "investment_rial",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "applications-table"}
        empty_text = _("No application here yet.")
        order_by = ("-reference",)

    def render_reference(self, record: Application) -> str:
        return jalali.localize_digits(record.reference)

    def value_reference(self, record: Application) -> str:
        return record.reference

    def render_title(self, record: Application) -> str:
        return format_html('<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.title)

    def value_title(self, record: Application) -> str:
        return record.title

    def render_investor(self, record: Application) -> str:
        return record.investor.display_name

    def value_investor(self, record: Application) -> str:
        return record.investor.display_name

    def render_state(self, record: Application) -> str:
        return _badge(ApplicationState, record.state)

    def value_state(self, record: Application) -> str:
        return str(ApplicationState(record.state).label)

    def render_score(self, value) -> str:
        return jalali.format_number(value, 1)

    def value_score(self, value):
        return float(value) if value is not None else None

    def render_jobs_planned(self, value: int) -> str:
        return jalali.format_number(value)

    def render_land_m2(self, value) -> str:
        return jalali.format_number(value)

    def value_land_m2(self, value) -> int:
        return int(value)

    def render_investment_rial(self, value: int) -> str:
        unit = getattr(getattr(getattr(self, "request", None), "user", None), "money_unit", "toman")
        return jalali.format_money(value, unit)

    def value_investment_rial(self, value: int) -> int:
        return value


class ContractTable(tables.Table):
    number = tables.Column(verbose_name=_("Contract"))
    investor = tables.Column(verbose_name=_("Investor"), accessor="application__investor__sort_name")
    plot = tables.Column(verbose_name=_("Plot"), accessor="plot__number")
    signed_on = tables.Column(verbose_name=_("Signed on"), attrs=NUM)
    area_m2 = tables.Column(verbose_name=_("Area (m²)"), attrs=NUM)
    total_rial = tables.Column(verbose_name=_("Price"), attrs=NUM)
    state = tables.Column(verbose_name=_("State"))

    class Meta:
        model = AllocationContract
        fields: tuple[str, ...] = ()
        sequence = ("number", "investor", "plot", "signed_on", "area_m2", "total_rial", "state")
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "contracts-table"}
        empty_text = _("No allocation contract yet.")
        order_by = ("-signed_on",)

    def render_number(self, record: AllocationContract) -> str:
        return format_html('<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.number)

    def value_number(self, record: AllocationContract) -> str:
        return record.number

    def render_investor(self, record: AllocationContract) -> str:
        return record.application.investor.display_name

    def value_investor(self, record: AllocationContract) -> str:
        return record.application.investor.display_name

    def render_plot(self, record: AllocationContract) -> str:
        return f"{record.plot.estate.display_name} — {jalali.localize_digits(record.plot.number)}"

    def value_plot(self, record: AllocationContract) -> str:
        return f"{record.plot.estate.display_name} — {record.plot.number}"

    def render_signed_on(self, value) -> str:
        return jalali.format_date(value)

    def value_signed_on(self, value) -> str:
        return jalali.format_date(value)

    def render_area_m2(self, value) -> str:
        return jalali.format_number(value)

    def value_area_m2(self, value) -> int:
        return int(value)

    def render_total_rial(self, value: int) -> str:
        unit = getattr(getattr(getattr(self, "request", None), "user", None), "money_unit", "toman")
        return jalali.format_money(value, unit)

    def value_total_rial(self, value: int) -> int:
        return value

    def render_state(self, record: AllocationContract) -> str:
        return _badge(ContractState, record.state)

    def value_state(self, record: AllocationContract) -> str:
        return str(ContractState(record.state).label)


class OverdueTable(tables.Table):
    contract = tables.Column(verbose_name=_("Contract"), accessor="contract__number")
    investor = tables.Column(
        verbose_name=_("Investor"), accessor="contract__application__investor__sort_name"
    )
    kind = tables.Column(verbose_name=_("Milestone"))
    deadline = tables.Column(verbose_name=_("Deadline"), attrs=NUM)
    notified_on = tables.Column(verbose_name=_("Investor told on"), attrs=NUM)

    class Meta:
        model = Milestone
        fields: tuple[str, ...] = ()
        sequence = ("contract", "investor", "kind", "deadline", "notified_on")
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "overdue-table"}
        empty_text = _("No milestone is overdue.")
        order_by = ("deadline",)

    def render_contract(self, record: Milestone) -> str:
        return format_html(
            '<a class="fw-medium" href="{}">{}</a>',
            record.contract.get_absolute_url(),
            record.contract.number,
        )

    def value_contract(self, record: Milestone) -> str:
        return record.contract.number

    def render_investor(self, record: Milestone) -> str:
        return record.contract.application.investor.display_name

    def value_investor(self, record: Milestone) -> str:
        return record.contract.application.investor.display_name

    def render_kind(self, record: Milestone) -> str:
        return format_html('<span class="badge text-bg-danger">{}</span>', record.get_kind_display())

    def value_kind(self, record: Milestone) -> str:
        return str(record.get_kind_display())

    def render_deadline(self, value) -> str:
        return jalali.format_date(value)

    def value_deadline(self, value) -> str:
        return jalali.format_date(value)

    def render_notified_on(self, value) -> str:
        return jalali.format_date(value)

    def value_notified_on(self, value) -> str:
        return jalali.format_date(value) if value else ""
