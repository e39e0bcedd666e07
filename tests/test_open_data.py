"""The public statistics and their open data show public fields only (VOCABULARY.md), with the licence
and the extraction date: a scan of every public download and of the public page for anything else."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from peyvand.insights import opendata
from peyvand.units.models import StatusChange

from .factories import PlotFactory, UnitFactory

pytestmark = pytest.mark.django_db

# What the registry knows of a unit but the public may never see (and the people behind it).
SECRETS = {
    "national ID": "14009988776",
    "licence number": "LIC-SECRET-9931",
    "phone": "013-3333-4444",
    "e-mail": "secret-unit@example.ir",
    "contact person": "آقای پنهان‌نام",
    "legal name": "شرکت سهامی خاص رازدار",
    "exact employees": "4321",
    "status-history note": "یادداشت محرمانهٔ توقف",
    "status-history cause": "lack of working capital",
    "status-history cause (Persian)": "کمبود نقدینگی",
    "representative's e-mail": "owner_a@example.ir",
}


@pytest.fixture
def public_world(estate_a, unit_a, unit_a_owner, manager):
    unit_a.national_id = SECRETS["national ID"]
    unit_a.licence_number = SECRETS["licence number"]
    unit_a.phone = SECRETS["phone"]
    unit_a.email = SECRETS["e-mail"]
    unit_a.contact_person = SECRETS["contact person"]
    unit_a.legal_name = SECRETS["legal name"]
    unit_a.employees = int(SECRETS["exact employees"])
    unit_a.export_oriented = True
    unit_a.save()
    StatusChange.objects.create(
        unit=unit_a,
        from_status="operating",
        to_status="semi_active",
        date=dt.date(2025, 1, 5),
        cause="working_capital",
        note=SECRETS["status-history note"],
    )
    StatusChange.objects.create(
        unit=unit_a,
        from_status="semi_active",
        to_status="operating",
        date=dt.date(2025, 3, 1),
        cause="market",
    )
    UnitFactory(estate=estate_a, name='=HYPERLINK("http://evil")', employees=8)
    UnitFactory(estate=estate_a, name="واحد راکد پنهان", status="idle")
    PlotFactory(estate=estate_a, state="free")
    return unit_a


def _public_texts(client) -> dict[str, str]:
    texts = {"statistics page": client.get(reverse("insights_statistics")).content.decode()}
    texts["county map"] = client.get(reverse("insights_county_map")).content.decode()
    for code in opendata.DATASETS:
        for file_format in ("csv", "json"):
            response = client.get(reverse("insights_open_data", args=[code, file_format]))
            assert response.status_code == 200
            texts[f"{code}.{file_format}"] = response.content.decode("utf-8")
    return texts


def test_no_public_download_or_page_shows_a_non_public_field(public_world, client) -> None:
    texts = _public_texts(client)
    assert len(texts) == 2 + 2 * len(opendata.DATASETS)
    for where, text in texts.items():
        for what, secret in SECRETS.items():
            assert secret not in text, f"{what} appears in {where}"
        assert "واحد راکد پنهان" not in text, f"a unit out of production appears in {where}"


def test_downloads_hold_exactly_the_declared_public_fields(public_world, client) -> None:
    allowed = {
        "units": {"id", "name", "name_en", "estate", "county", "isic_class", "isic_name", "products"}
        | {"capabilities", "certifications", "export_oriented", "knowledge_based", "size_class"},
    }
    payload = json.loads(client.get(reverse("insights_open_data", args=["units", "json"])).content)
    assert set(payload["fields"]) == allowed["units"]
    assert all(set(row) == allowed["units"] for row in payload["rows"])
    row = next(row for row in payload["rows"] if row["id"] == public_world.pk)
    assert row["size_class"] == "large"
    assert row["export_oriented"] is True
    for dataset in opendata.DATASETS.values():
        for name in dataset.fields:
            assert not any(
                word in name for word in ("employee", "phone", "mail", "national", "licence", "legal")
            )


def test_every_download_states_its_licence_and_extraction_date(public_world, client, settings) -> None:
    settings.PEYVAND_OPEN_DATA_LICENCE = "CC BY 4.0 test licence"
    for code in opendata.DATASETS:
        text = client.get(reverse("insights_open_data", args=[code, "csv"])).content.decode("utf-8-sig")
        lines = text.splitlines()
        assert lines[0] == "# licence: CC BY 4.0 test licence"
        assert lines[1].startswith("# extracted on: " + dt.date.today().isoformat()[:4])
        header = next(csv.reader(io.StringIO(lines[2])))
        assert header == list(opendata.DATASETS[code].fields)
        payload = json.loads(client.get(reverse("insights_open_data", args=[code, "json"])).content)
        assert payload["licence"] == "CC BY 4.0 test licence"
        assert payload["extracted_on"]
    page = client.get(reverse("insights_statistics")).content.decode()
    assert "CC BY 4.0 test licence" in page


def test_a_formula_in_a_unit_name_is_not_run_by_a_spreadsheet(public_world, client) -> None:
    text = client.get(reverse("insights_open_data", args=["units", "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[2:]))))
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names


def test_an_unknown_dataset_or_format_is_not_found(client, manager) -> None:
    client.force_login(manager)  # (anonymous visitors of a missing page are offered the login instead)
    assert client.get("/statistics/data/users.csv").status_code == 404
    assert client.get("/statistics/data/units.xml").status_code == 404
