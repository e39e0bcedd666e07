"""Tables of the accounts area."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from peyvand.core import jalali
from peyvand.core.exports import date_text

from .models import Organisation


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), order_by=("sort_name",))
    kind = tables.Column(verbose_name=_("Kind"))
    member_count = tables.Column(verbose_name=_("Members"), attrs={"td": {"class": "num"}})
    created_at = tables.Column(verbose_name=_("Registered"))

    class Meta:
        model = Organisation
        fields: tuple[str, ...] = ()
        sequence = ("name", "kind", "member_count", "created_at")
        attrs = {"class": "table table-hover table-registry mb-0"}
        empty_text = _("No organisation yet.")
        order_by = ("name",)

    def render_name(self, record: Organisation) -> str:
        url = reverse("accounts:organisation_detail", args=[record.pk])
        return format_html('<a class="fw-medium" href="{}">{}</a>', url, record.display_name)

    def render_member_count(self, value: int) -> str:
        return jalali.format_number(value)

    def render_created_at(self, value) -> str:
        return jalali.format_date(value)

    # Plain values for the xlsx/csv export (the same columns as the page).
    def value_name(self, record: Organisation) -> str:
        return record.display_name

    def value_kind(self, record: Organisation) -> str:
        return str(record.get_kind_display())

    def value_created_at(self, record: Organisation) -> str:
        return date_text(record.created_at)
