"""The one HS-code input of every product form (issue 13: "the product forms suggest codes as the user
types"): a short box for the code instead of a list of every HS code, the code's text under it, the
suggestions endpoint named on it; a code typed in Persian digits is read, a wrong or unknown one is
refused in Persian and English and nothing is written; the unit edit page stays small."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peyvand.core.jalali import to_jalali
from peyvand.sourcing.models import SourcingRequest
from peyvand.taxonomy.models import Classification
from peyvand.units.models import Product

pytestmark = pytest.mark.django_db

PRODUCTS = [
    ("برنج سفید هاشمی", "Milled Hashemi rice", "100630"),
    ("چای سیاه فله", "Black tea in bulk", "090240"),
    ("روغن زیتون فرابکر", "Extra virgin olive oil", "150920"),
    ("کنسرو زیتون", "Olives in brine", "200570"),
    ("ماست", "Yoghurt", "040320"),
    ("کره", "Butter", "040510"),
    ("کارتن کنگره‌ای", "Corrugated cartons", "481910"),
    ("مبلمان چوبی", "Wooden furniture", "940360"),
]


def _hs(code: str) -> Classification:
    return Classification.objects.get(scheme="hs2022", code=code)


def _with_products(unit) -> list[Product]:
    return [
        Product.objects.create(unit=unit, name=name, name_en=name_en, hs=_hs(code))
        for name, name_en, code in PRODUCTS
    ]


def _edit_data(unit, products, **rows) -> dict[str, str]:
    """The unit edit form as a browser sends it, its products unchanged unless ``rows`` says otherwise."""
    data = {
        "name": unit.name,
        "estate": str(unit.estate_id),
        "employees": "20",
        "products-TOTAL_FORMS": str(len(products) + 1),
        "products-INITIAL_FORMS": str(len(products)),
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "50",
    }
    for index, product in enumerate(products):
        data |= {
            f"products-{index}-id": str(product.pk),
            f"products-{index}-unit": str(unit.pk),
            f"products-{index}-name": product.name,
            f"products-{index}-name_en": product.name_en,
            f"products-{index}-hs": product.hs.code,
        }
    data |= {f"products-{key}": value for key, value in rows.items()}
    return data


def test_the_unit_edit_page_offers_a_code_box_not_every_hs_code(client, manager, unit_a, unit_b) -> None:
    products = _with_products(unit_a)
    Product.objects.create(unit=unit_b, name="چای", hs=_hs("090240"))
    client.force_login(manager)
    client.get(reverse("units:edit", args=[unit_b.pk]))
    with CaptureQueriesContext(connection) as one_product:
        client.get(reverse("units:edit", args=[unit_b.pk]))
    with CaptureQueriesContext(connection) as eight_products:
        page = client.get(reverse("units:edit", args=[unit_a.pk]))
    assert len(eight_products) == len(one_product)  # the codes' texts come with the products
    assert page.status_code == 200
    # Each of eight products and the blank row once carried a <select> of every HS heading (~1 MB).
    assert len(page.content) < 150_000
    assert '<select name="products-0-hs"' not in page.text
    assert '<input type="text" name="products-0-hs" value="100630"' in page.text
    assert _hs("100630").name in page.text  # the chosen code's text
    assert page.text.count("data-hs-code ") == len(products) + 2  # every row, the blank one, the template
    assert 'name="products-__prefix__-hs"' in page.text  # rows added with "add another product"
    assert reverse("trade:hs_suggest") in page.text
    assert 'data-formset-add="products"' in page.text


def test_a_products_code_typed_in_persian_digits_is_saved(client, manager, unit_a) -> None:
    products = _with_products(unit_a)
    client.force_login(manager)
    data = _edit_data(
        unit_a,
        products,
        **{"0-hs": "۱۰۰۶٫۴۰", "8-name": "چای سبز", "8-name_en": "Green tea", "8-hs": "۰۹۰۲۳۰۱۰"},
    )
    response = client.post(reverse("units:edit", args=[unit_a.pk]), data)
    assert response.status_code == 302
    products[0].refresh_from_db()
    assert (products[0].hs.code, products[0].tariff_line) == ("100640", "")
    added = Product.objects.get(unit=unit_a, name="چای سبز")
    assert (added.hs.code, added.tariff_line) == ("090230", "09023010")  # the tariff line is kept
    page = client.get(unit_a.get_absolute_url()).text
    assert "۰۹۰۲۳۰۱۰" in page


def test_an_unchanged_heading_of_an_older_product_still_saves(client, manager, unit_a) -> None:
    product = Product.objects.create(unit=unit_a, name="سبوس برنج", hs=_hs("2302"))
    client.force_login(manager)
    response = client.post(reverse("units:edit", args=[unit_a.pk]), _edit_data(unit_a, [product]))
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.hs.code == "2302"


@pytest.mark.parametrize(
    ("typed", "fa", "en"),
    [
        ("10063", "شش رقم", "six digits"),
        ("چای", "شش رقم", "six digits"),
        ("۱۰۰۶۹۹", "زیرشماره", "not a subheading"),  # heading 1006 exists; 1006.99 does not
        ("990101", "زیرشماره", "not a subheading"),  # no such heading either
    ],
)
def test_a_wrong_product_code_is_refused_in_persian_and_english_and_nothing_is_saved(
    client, manager, unit_a, typed, fa, en
) -> None:
    products = _with_products(unit_a)
    client.force_login(manager)
    for language, message in (("fa", fa), ("en", en)):
        client.cookies["peyvand_language"] = language
        data = _edit_data(unit_a, products, **{"1-hs": typed, "8-name": "کالای تازه", "8-hs": "040320"})
        data["employees"] = "35"
        response = client.post(reverse("units:edit", args=[unit_a.pk]), data)
        assert response.status_code == 200
        assert message in response.text
        assert "is-invalid" in response.text
    unit_a.refresh_from_db()
    assert unit_a.employees == 20
    assert Product.objects.filter(unit=unit_a).count() == len(products)
    assert Product.objects.get(pk=products[1].pk).hs.code == "090240"


def test_the_request_form_suggests_and_keeps_an_hs_code(client, buyer, company_a) -> None:
    buyer_org = buyer.memberships.get().organisation
    buyer_org.company = company_a
    buyer_org.save()
    client.force_login(buyer)
    form = client.get(reverse("sourcing:request_create")).text
    assert 'name="hs_code"' in form
    assert 'data-hs-sources="title text"' in form
    assert reverse("trade:hs_suggest") in form
    deadline = timezone.localdate() + dt.timedelta(days=20)
    fields = {
        "title": "کارتن کنگره‌ای پنج لایه",
        "text": "کارتن پنج لایه برای بسته‌بندی کیوی صادراتی",
        "lang": "fa",
        "quote_deadline": to_jalali(deadline).strftime("%Y/%m/%d"),
        "confidentiality": "public",
    }
    refused = client.post(reverse("sourcing:request_create"), {**fields, "hs_code": "۴۸۱۹"})
    assert "شش رقم" in refused.text
    assert not SourcingRequest.objects.exists()
    response = client.post(reverse("sourcing:request_create"), {**fields, "hs_code": "۴۸۱۹.۱۰"})
    assert response.status_code == 302, response.context["form"].errors
    saved = SourcingRequest.objects.get()
    assert saved.hs_code == "481910"
    detail = client.get(saved.get_absolute_url()).text
    assert "۴۸۱۹۱۰" in detail
    assert "کارتن و جعبه از کاغذ یا مقوای کنگره‌ای" in detail


@pytest.mark.parametrize(
    ("url_name", "sources"),
    [("trade:export_create", "product"), ("trade:input_create", "name description")],
)
def test_the_export_and_input_forms_use_the_same_input(client, officer, url_name, sources) -> None:
    client.force_login(officer)
    page = client.get(reverse(url_name)).text
    assert f'data-hs-sources="{sources}"' in page
    assert 'name="hs_code"' in page
    assert "data-hs-input" in page
    assert reverse("trade:hs_suggest") in page


def test_the_subheadings_the_project_ships_are_real_hs_2022_codes() -> None:
    """The short list a clone without ../shared/data works with: each code is in the official table,
    under the heading the bundled list gives it."""
    import csv

    from peyvand.matching.hs import HSDataError, load_nomenclature
    from peyvand.taxonomy.loaders import DATA_DIR

    try:
        official = load_nomenclature()
    except HSDataError:
        pytest.skip("the official HS 2022 table (../shared/data/hs2022) is not on this machine")
    with open(DATA_DIR / "hs2022_subheadings.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 40
    for row in rows:
        entry = official.get(row["code"])
        assert entry is not None, row["code"]
        assert entry.level == 6
        assert row["name_fa"]
        assert row["name_en"]
        assert _hs(row["code"]).parent.code == row["code"][:4]


def test_a_subheading_of_the_official_table_missing_from_the_database_is_added(
    client, manager, unit_a
) -> None:
    """The database may hold only the project's short list while the suggester reads the official table:
    a suggested code is then accepted and added to the list with its official text."""
    assert not Classification.objects.filter(scheme="hs2022", code="732393").exists()
    client.force_login(manager)
    data = _edit_data(unit_a, [], **{"0-name": "ماهیتابه استیل", "0-hs": "732393"})
    assert client.post(reverse("units:edit", args=[unit_a.pk]), data).status_code == 302
    product = Product.objects.get(unit=unit_a)
    assert product.hs.code == "732393"
    assert product.hs.parent.code == "7323"
    assert product.hs.name_en.startswith("Steel, stainless")
    assert product.hs.name == "ظروف آشپزخانه استیل (فولاد ضدزنگ)"  # the project's Persian name


def test_without_the_official_table_only_the_form_of_an_unlisted_code_is_known(
    client, manager, unit_a, monkeypatch
) -> None:
    from peyvand.taxonomy import forms

    monkeypatch.setattr(forms, "_official_table", lambda: None)
    client.force_login(manager)
    for typed, message in (("732393", "نمی‌توان سنجید"), ("100699", "زیرشماره"), ("100630", "")):
        data = _edit_data(unit_a, [], **{"0-name": "کالا", "0-hs": typed})
        response = client.post(reverse("units:edit", args=[unit_a.pk]), data)
        if message:
            assert message in response.text
            assert not Product.objects.filter(unit=unit_a).exists()
        else:
            assert response.status_code == 302
            assert Product.objects.get(unit=unit_a).hs.code == "100630"


def test_a_merged_twin_product_takes_the_code_with_its_tariff_line(manager, unit_a, unit_b) -> None:
    from peyvand.units import services

    Product.objects.create(unit=unit_a, name="چای سبز")
    Product.objects.create(unit=unit_b, name="چای سبز", hs=_hs("090230"), tariff_line="09023010")
    services.merge_units(unit_a, unit_b, by=manager)
    product = Product.objects.get(unit=unit_a)
    assert (product.hs.code, product.tariff_line) == ("090230", "09023010")


def test_the_reasons_of_a_suggested_code_show_persian_digits_in_persian() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    suggestion = {
        "code": "100630",
        "heading": "1006",
        "name_fa": "برنج",
        "heading_fa": "برنج",
        "heading_en": "Rice",
        "description_en": "Rice",
        "reasons": ["در عنوان «برنج» آمده که نام کالاهای زیرشمارهٔ 1006.30 است & «A<B»"],
    }
    with translation.override("fa"):
        persian = render_to_string("trade/_hs_suggestions.html", {"suggestions": [suggestion]})
    with translation.override("en"):
        english = render_to_string(
            "trade/_hs_suggestions.html", {"suggestions": [{**suggestion, "reasons": ["code ۱۰۰۶٫۳۰"]}]}
        )
    assert "زیرشمارهٔ ۱۰۰۶.۳۰ است &amp; «A&lt;B»" in persian  # escaped once, its digits Persian
    assert "1006.30" not in persian
    assert "code 1006٫30" in english
