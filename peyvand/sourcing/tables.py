"""Tables of the bridge (the page and its xlsx/csv export share them; ``value_*`` feed the export)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali

from . import confidentiality
from .choices import LinkageStage, RequestState
from .models import Linkage, SourcingRequest


def _badge(choices: type, value: str) -> str:
    member = choices(value)
    return format_html('<span class="badge text-bg-{}">{}</span>', member.color, member.label)


class RequestTable(tables.Table):
    reference = tables.Column(verbose_name=_("Ref."), accessor="pk", order_by=("id",))
    title = tables.Column(verbose_name=_("Title"), attrs={"td": {"class": "col-name"}})
    # Not sortable: sorting by a hidden buyer would tell where its name falls.
    buyer = tables.Column(verbose_name=_("Buyer"), accessor="buyer_id", orderable=False)
    state = tables.Column(verbose_name=_("State"))
    quote_deadline = tables.Column(verbose_name=_("Quotes until"), attrs={"td": {"class": "num"}})
    invited = tables.Column(verbose_name=_("Invited"), attrs={"td": {"class": "num"}})
    quoted = tables.Column(verbose_name=_("Quotes"), attrs={"td": {"class": "num"}})

    class Meta:
        model = SourcingRequest
        fields: tuple[str, ...] = ()
        sequence = ("reference", "title", "buyer", "state", "quote_deadline", "invited", "quoted")
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "requests-table"}
        empty_text = _("No sourcing request here yet.")
        order_by = ("-reference",)

    def _user(self) -> Any:
        return getattr(getattr(self, "request", None), "user", None)

    def render_reference(self, record: SourcingRequest) -> str:
        return jalali.localize_digits(record.reference)

    def value_reference(self, record: SourcingRequest) -> str:
        return record.reference

    def render_title(self, record: SourcingRequest) -> str:
        return format_html('<a class="fw-medium" href="{}">{}</a>', record.get_absolute_url(), record.title)

    def value_title(self, record: SourcingRequest) -> str:
        return record.title

    def render_buyer(self, record: SourcingRequest) -> str:
        if confidentiality.buyer_visible(self._user(), record):
            return record.buyer.display_name
        return format_html(
            '<span class="text-body-secondary">{}</span>', _("withheld until the buyer consents")
        )

    def value_buyer(self, record: SourcingRequest) -> str:
        return confidentiality.buyer_name(self._user(), record, withheld=str(_("withheld")))

    def render_state(self, record: SourcingRequest) -> str:
        return _badge(RequestState, record.state)

    def value_state(self, record: SourcingRequest) -> str:
        return str(RequestState(record.state).label)

    def render_quote_deadline(self, value) -> str:
        return jalali.format_date(value)

    def value_quote_deadline(self, value) -> str:
        return jalali.format_date(value)

    def render_invited(self, value: int) -> str:
        return jalali.format_number(value)

    def render_quoted(self, value: int) -> str:
        return jalali.format_number(value)


class LinkageTable(tables.Table):
    buyer = tables.Column(
        verbose_name=_("Buyer"), accessor="buyer__sort_name", order_by=("buyer__sort_name",)
    )
    unit = tables.Column(
        verbose_name=_("Supplier"), accessor="unit__sort_name", order_by=("unit__sort_name",)
    )
    stage = tables.Column(verbose_name=_("Stage"))
    stage_date = tables.Column(verbose_name=_("Since"), attrs={"td": {"class": "num"}})
    contract_value_rial = tables.Column(verbose_name=_("Contract value"), attrs={"td": {"class": "num"}})
    export_share = tables.Column(verbose_name=_("Export share"), attrs={"td": {"class": "num"}})
    jobs_created = tables.Column(verbose_name=_("Jobs"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Linkage
        fields: tuple[str, ...] = ()
        sequence = (
            "buyer",
            "unit",
            "stage",
            "stage_date",
            "contract_value_rial",
            "export_share",
            "jobs_created",
        )
        attrs = {"class": "table table-hover table-registry mb-0", "data-testid": "linkages-table"}
        empty_text = _("No linkage in the ledger yet. Start one from a request's suggestions or quotes.")
        order_by = ("-stage_date",)

    def _user(self) -> Any:
        return getattr(getattr(self, "request", None), "user", None)

    def _buyer(self, record: Linkage) -> str:
        if confidentiality.linkage_buyer_visible(self._user(), record):
            return record.buyer.display_name
        return str(_("withheld until the buyer consents"))

    def render_buyer(self, record: Linkage) -> str:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), self._buyer(record))

    def value_buyer(self, record: Linkage) -> str:
        return self._buyer(record)

    def render_unit(self, record: Linkage) -> str:
        return record.unit.display_name

    def value_unit(self, record: Linkage) -> str:
        return record.unit.display_name

    def render_stage(self, record: Linkage) -> str:
        return _badge(LinkageStage, record.stage)

    def value_stage(self, record: Linkage) -> str:
        return str(LinkageStage(record.stage).label)

    def render_stage_date(self, value) -> str:
        return jalali.format_date(value)

    def value_stage_date(self, value) -> str:
        return jalali.format_date(value)

    def render_contract_value_rial(self, value: int) -> str:
        unit = getattr(getattr(getattr(self, "request", None), "user", None), "money_unit", "toman")
        return jalali.format_money(value, unit)

    def value_contract_value_rial(self, value: int) -> int:
        return value  # rial, as a number the spreadsheet can add up

    def render_export_share(self, value) -> str:
        return f"{jalali.format_number(value)}٪" if jalali.is_persian() else f"{value:.0f}%"

    def render_jobs_created(self, value: int) -> str:
        return jalali.format_number(value)
