"""Importing investors, their applications and allocation contracts from Persian sheets through the one
import engine: bad rows named with their column, nothing half written, contracts through the services."""

from __future__ import annotations

import pytest

from peyvand.estates.models import Plot
from peyvand.investment import services
from peyvand.investment.models import AllocationContract, Application, Investor

from .investment_world import make_estate, make_investor
from .test_import_units import import_data, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_investors_are_created_and_updated_and_bad_ids_rejected(tmp_path, company_a, manager) -> None:
    known, _user = make_investor(company_a, name="صنایع کاسپین")
    rows = [
        ["نام سرمایه‌گذار", "حقیقی/حقوقی", "شناسه ملی", "دانش‌بنیان", "انقضای گواهی", "تلفن"],
        ["گروه صنعتی سپیدرود", "حقوقی", "۱۰۱۲۳۴۵۶۷۸۹", "نوع ۱", "۱۴۰۶/۰۱/۰۱", "۰۱۳۳۳۳۳۳۳۳۳"],
        ["صنایع کاسپین", "حقوقی", "", "", "", "۰۹۱۲۰۰۰۰۰۰۰"],
        ["علی رضایی", "حقیقی", "۱۲۳", "", "", ""],
    ]
    _code, output = import_data(
        "investors",
        str(xlsx(tmp_path / "i.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply-valid",
        "--lang",
        "en",
    )
    assert "created 1, updated 1, unchanged 0, rejected 1" in output, output
    created = Investor.objects.get(name="گروه صنعتی سپیدرود")
    assert (created.national_id, created.knowledge_level, created.company) == (
        "10123456789",
        "type_1",
        company_a,
    )
    known.refresh_from_db()
    assert known.phone == "09120000000"
    assert not Investor.objects.filter(name="علی رضایی").exists()


def test_applications_and_allocations_are_imported_through_the_services(tmp_path, company_a, manager) -> None:
    estate = make_estate(company_a, plots=(5000,))
    plot = Plot.objects.get(estate=estate)
    investor, _user = make_investor(company_a, name="صنایع کاسپین")
    rows = [
        [
            "سرمایه‌گذار",
            "عنوان طرح",
            "کد آیسیک",
            "مبلغ سرمایه‌گذاری (ریال)",
            "اشتغال",
            "زمین درخواستی",
            "وضعیت",
        ],
        ["صنایع کاسپین", "طرح لوله", "2220", "۵۰۰٬۰۰۰٬۰۰۰٬۰۰۰", "۳۰", "۴۰۰۰", "ثبت‌شده"],
        ["صنایع کاسپین", "طرح بی‌کد", "9999", "1000000000", "5", "1000", ""],
        ["ناشناس", "طرح دیگر", "2220", "1000000000", "5", "1000", ""],
    ]
    code, output = import_data(
        "investment_applications",
        str(xlsx(tmp_path / "a.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 1
    assert not Application.objects.exists()  # all or nothing: two rows are wrong
    code, output = import_data(
        "investment_applications",
        str(xlsx(tmp_path / "a.xlsx", rows)),
        "--user",
        "manager_a",
        "--apply-valid",
        "--lang",
        "en",
    )
    application = Application.objects.get()
    assert (application.title, application.state, application.investor) == ("طرح لوله", "submitted", investor)
    services.move_application(application, "under_review", by=manager)
    services.approve(application, estate, by=manager)
    contracts = [
        ["درخواست", "شماره قطعه", "تاریخ قرارداد", "قیمت هر متر", "اقساط"],
        [application.reference, plot.number, "", "۱۰٬۰۰۰٬۰۰۰", "۲۴"],
    ]
    code, output = import_data(
        "allocations",
        str(xlsx(tmp_path / "c.xlsx", contracts)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 1
    assert "rejected 1" in output
    assert not AllocationContract.objects.exists()  # no date: rejected, nothing written
    from django.utils import timezone

    from peyvand.core.jalali import jalali_text

    contracts[1][2] = jalali_text(timezone.localdate())
    code, output = import_data(
        "allocations",
        str(xlsx(tmp_path / "c.xlsx", contracts)),
        "--user",
        "manager_a",
        "--apply",
        "--lang",
        "en",
    )
    assert code == 0, output
    contract = AllocationContract.objects.get()
    plot.refresh_from_db()
    assert (contract.plot, plot.state, contract.instalments) == (plot, "allocated", 24)
    assert contract.payments.count() == 25
