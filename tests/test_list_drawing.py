"""The lists' faster drawing (issue 18) gives what django-tables2 and Django's own widgets give: the filter
selects, the table cells, the export values, the count kept under the data version, a long xlsx sent
from a file."""

from __future__ import annotations

import io

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.utils.encoding import force_str
from django.utils.translation import gettext
from openpyxl import load_workbook

from peyvand.core import exports
from peyvand.core.forms import QuickSelect
from peyvand.estates.models import County, IndustrialEstate
from peyvand.units.models import ProductionUnit
from peyvand.units.tables import PublicUnitTable, UnitTable

from .factories import EstateFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def estates(company_a) -> list[IndustrialEstate]:
    rasht = County.objects.get(code="rasht")
    return [
        EstateFactory(company=company_a, county=rasht, name="شهرک <صنعتی> «سپیدرود» & شرکا"),
        EstateFactory(company=company_a, county=rasht, name="شهرک صنعتی لاکان"),
    ]


def estate_field(widget: type[forms.Select]) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=IndustrialEstate.objects.all(), empty_label="همه", widget=widget(attrs={"class": "x"})
    )


@pytest.mark.parametrize("chosen", [None, 0, 1])
def test_the_quick_select_draws_what_djangos_select_draws(estates, chosen) -> None:
    value = None if chosen is None else estates[chosen].pk
    drawn = [
        estate_field(widget).widget.render("estate", value, attrs={"id": "id_estate"})
        for widget in (forms.Select, QuickSelect)
    ]
    assert parse_html(drawn[1]) == parse_html(drawn[0])
    assert "&lt;صنعتی&gt;" in drawn[1]
    assert "<صنعتی>" not in drawn[1]


# These two commit (as tests/test_caching.py): inside a transaction that has written nothing is cached.
@pytest.mark.django_db(transaction=True)
def test_a_filter_select_shows_a_renamed_estate_at_once(reference_data, client, manager, estates) -> None:
    client.force_login(manager)
    assert "لاکان" in client.get("/units/").text
    estates[1].name = "شهرک صنعتی رودبار"
    estates[1].save()
    page = client.get("/units/").text
    assert "رودبار" in page
    assert "لاکان" not in page


@pytest.mark.django_db(transaction=True)
def test_the_list_count_is_kept_and_follows_a_change(reference_data, client, manager, estates) -> None:
    client.force_login(manager)
    UnitFactory.create_batch(3, estate=estates[0])
    client.get("/units/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/units/")
    assert not [q for q in queries if "COUNT(*)" in q["sql"] and "units_productionunit" in q["sql"]]
    assert page.context["total"] == 3
    UnitFactory(estate=estates[1])
    assert client.get("/units/").context["total"] == 4


@pytest.mark.parametrize("table_class", [UnitTable, PublicUnitTable])
def test_export_values_are_django_tables2s_own(estates, table_class) -> None:
    UnitFactory(estate=estates[0], name="=HYPERLINK(1)", employees=12, export_oriented=True)
    UnitFactory(estate=estates[1], isic=None, employees=None, status="idle")
    rows = ProductionUnit.objects.select_related("estate__county", "isic").order_by("pk")
    headers, values = exports.table_rows(table_class(rows))
    expected = table_class(rows).as_values()
    assert headers == [force_str(header) or gettext("Features") for header in next(expected)]
    assert list(values) == [[exports.plain(value) for value in row] for row in expected]


def test_a_long_xlsx_export_is_sent_from_a_file(client, manager, estates, settings, monkeypatch) -> None:
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    UnitFactory(estate=estates[0], name="=1+1")
    UnitFactory.create_batch(4, estate=estates[1])
    client.force_login(manager)
    response = client.get("/units/?export=xlsx")
    assert response.streaming
    assert int(response["Content-Length"]) > 0
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert len(list(sheet.iter_rows(min_row=2))) == 5
    formula = next(cell for cell in cells if cell.value == "=1+1")
    assert formula.data_type == "s"


@pytest.mark.parametrize("table_class", [UnitTable, PublicUnitTable])
def test_table_cells_are_django_tables2s_own(rf, manager, estates, table_class) -> None:
    UnitFactory(estate=estates[0], name="<b>واحد</b> & شرکا", employees=120, export_oriented=True)
    UnitFactory(estate=estates[1], isic=None, employees=None, status="idle", knowledge_based=True)
    request = rf.get("/units/")
    request.user = manager
    rows = ProductionUnit.objects.select_related("estate__county", "isic").order_by("pk")

    def body(template_name: str) -> str:
        html = table_class(rows, template_name=template_name).as_html(request)
        return html[html.index("<tbody") : html.index("</tbody>")] + "</tbody>"

    ours, theirs = body("core/table.html"), body("django_tables2/bootstrap5.html")
    assert parse_html(ours) == parse_html(theirs)
    assert "&lt;b&gt;واحد&lt;/b&gt; &amp; شرکا" in ours


def test_the_quick_select_of_a_scope_that_matches_nothing_draws_its_empty_label(db) -> None:
    """``restrict`` gives a user without memberships ``pk__in=[]``, whose SQL cannot be written out
    (``EmptyResultSet``): the select is still drawn (Django's own HTML), not a 500."""
    drawn = [
        forms.ModelChoiceField(
            queryset=IndustrialEstate.objects.filter(pk__in=[]), empty_label="همه", widget=widget
        ).widget.render("estate", None)
        for widget in (forms.Select, QuickSelect)
    ]
    assert parse_html(drawn[1]) == parse_html(drawn[0])


@pytest.mark.django_db(transaction=True)
def test_a_user_without_memberships_opens_the_export_list(reference_data, client) -> None:
    """The export list's buyer filter is restricted to the organisations the user may see: none here."""
    client.force_login(UserFactory())
    assert client.get("/trade/exports/").status_code == 200
