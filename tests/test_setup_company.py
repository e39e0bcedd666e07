"""A first run with real data: from an empty database to a company, its manager and imported data."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from peyvand.accounts.models import Membership, Organisation, User
from peyvand.estates.models import IndustrialEstate, Plot
from peyvand.units.models import ProductionUnit

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ARGS = [
    "--name",
    "شرکت شهرک‌های صنعتی استان گیلان",
    "--manager",
    "kazemi",
    "--email",
    "Kazemi@Gilan.example.ir",
]


def _setup(*extra: str) -> str:
    out = io.StringIO()
    call_command("setup_company", *ARGS, *extra, stdout=out)
    return out.getvalue()


def _link(output: str) -> str:
    return re.search(r"(\S*/accounts/password/reset/\S+/)", output).group(1)


def test_a_fresh_deployment_gets_its_company_and_a_manager_who_sets_a_password_once(client) -> None:
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    output = _setup("--name-en", "Gilan Industrial Estates Co.", "--site-url", "https://peyvand.example.ir")
    company = Organisation.objects.get()
    manager = User.objects.get()
    assert (company.kind, company.name_en) == ("estate_company", "Gilan Industrial Estates Co.")
    assert Membership.objects.get().role == "manager"
    assert (manager.username, manager.email, manager.has_usable_password()) == (
        "kazemi",
        "kazemi@gilan.example.ir",
        False,
    )
    link = _link(output)
    assert link.startswith("https://peyvand.example.ir/accounts/password/reset/")
    form = client.get(link.removeprefix("https://peyvand.example.ir"), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Gilan-1405-estates", "new_password2": "Gilan-1405-estates"},
    )
    assert done.status_code == 302
    signed_in = client.post("/accounts/login/", {"username": "kazemi", "password": "Gilan-1405-estates"})
    assert signed_in.status_code == 302
    client.post("/accounts/logout/")
    again = client.get(link.removeprefix("https://peyvand.example.ir"), follow=True)
    assert "new_password1" not in again.text  # the link worked once


def test_running_it_again_changes_nothing(client) -> None:
    _setup()
    first = _setup()
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == (1, 1, 1)
    assert "already there" in first
    manager = User.objects.get()
    manager.set_password("Gilan-1405-estates")
    manager.save()
    assert "already has a password" in _setup()


def test_the_password_can_be_typed_instead_of_a_link(monkeypatch) -> None:
    typed = iter(["Gilan-1405-estates", "Gilan-1405-estates"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    output = _setup("--ask-password")
    assert "Password set." in output
    assert "/accounts/password/reset/" not in output
    assert User.objects.get().check_password("Gilan-1405-estates")


def test_a_client_representative_cannot_become_the_manager() -> None:
    unit = OrganisationFactory(kind="production_unit", name="واحد نمونه")
    MembershipFactory(organisation=unit, role="admin", user=UserFactory(username="kazemi"))
    with pytest.raises(CommandError, match="نمایندهٔ یک سازمان مشتری است"):
        _setup()
    assert not Organisation.objects.filter(kind="estate_company").exists()


def test_the_new_manager_imports_estates_plots_units_and_history_into_an_empty_registry(tmp_path) -> None:
    _setup()
    files = {
        "estates": "نام شهرک,کد,نوع,شهرستان,مساحت کل\nشهرک صنعتی سپیدرود,sepidrud,شهرک صنعتی,شهرستان رشت,۴۱۲\n",
        "plots": "شهرک,شماره قطعه,مساحت,وضعیت\nسپیدرود,الف-۱,۲۵۰۰,واگذار شده\nسپیدرود,الف-۲,۱۸۰۰,آزاد\n",
        "units": "نام واحد,شناسه ملی,شهرک,شماره قطعه,وضعیت,تاریخ,گواهینامه\n"
        "ریخته‌گری کاسپین,14002345601,سپیدرود,الف-۱,در حال ساخت,1398/01/10,استاندارد ملی ۱۴۴۲۷\n",
        "status_changes": "شناسه ملی,وضعیت جدید,تاریخ,علت\n14002345601,فعال,1399/06/01,پروانه بهره‌برداری\n",
    }
    for kind, text in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        out = io.StringIO()
        call_command("import_data", kind, str(path), "--apply", "--user", "kazemi", stdout=out)
        assert "Applied" in out.getvalue() or "اعمال" in out.getvalue(), out.getvalue()
    estate = IndustrialEstate.objects.get()
    assert (estate.company.name, estate.county.code) == ("شرکت شهرک‌های صنعتی استان گیلان", "rasht")
    assert Plot.objects.filter(estate=estate).count() == 2
    unit = ProductionUnit.objects.get()
    assert (unit.status, unit.plot.number, unit.estate) == ("operating", "الف-1", estate)
    assert list(unit.status_changes.values_list("to_status", flat=True)) == [
        "under_construction",
        "operating",
    ]


def test_staff_invite_the_representatives_of_an_imported_unit(client, unit_a, manager) -> None:
    from django.core import mail

    from peyvand.accounts.models import Invitation

    unit = ProductionUnit.objects.create(
        name="واحد واردشده", estate=unit_a.estate, status="operating", status_since=unit_a.status_since
    )
    client.force_login(manager)
    page = client.get(f"/units/{unit.pk}/")
    assert 'data-testid="invite-representatives"' in page.text
    response = client.post(f"/units/{unit.pk}/representatives/")
    unit.refresh_from_db()
    assert unit.organisation.kind == "production_unit"
    assert response["Location"] == f"/accounts/organisations/{unit.organisation.pk}/"
    client.post(response["Location"], {"email": "owner@unit.example.ir", "role": "admin"})
    invitation = Invitation.objects.get(email="owner@unit.example.ir")
    assert (invitation.organisation, invitation.role) == (unit.organisation, "admin")
    assert mail.outbox[-1].to == ["owner@unit.example.ir"]
    assert (
        client.post(f"/units/{unit.pk}/representatives/")["Location"] == response["Location"]
    )  # the same one


def test_a_unit_representative_cannot_open_another_units_representation(client, unit_a, unit_b_owner) -> None:
    client.force_login(unit_b_owner)
    assert client.post(f"/units/{unit_a.pk}/representatives/").status_code in (403, 404)
