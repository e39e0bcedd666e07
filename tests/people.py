"""The personas' world: two estate companies, an estate of each, two units of company A with an owner
each, the staff of both companies, a buyer and an investor. tests/conftest.py makes each piece a fixture;
``build_named`` and ``build_onlookers`` build them all at once for a module that shares one world between
its tests (tests/matrix_world.py): the personas the objects name first, then the objects, then the
onlookers (the staff, unit B's owner) — as the fixtures build them for a test that asks for the onlookers
after the objects, so that the onlookers have no notification of the objects' creation."""

from __future__ import annotations

from typing import Any

from .factories import EstateFactory, MembershipFactory, OrganisationFactory, UnitFactory, UserFactory


def make_company_a() -> Any:
    return OrganisationFactory(name="شرکت شهرک‌های صنعتی گیلان", name_en="Gilan Industrial Estates Co.")


def make_company_b() -> Any:
    return OrganisationFactory(
        name="شرکت شهرک‌های صنعتی مازندران", name_en="Mazandaran Industrial Estates Co."
    )


def make_unit(estate: Any, name: str, name_en: str, organisation_name: str) -> Any:
    organisation = OrganisationFactory(
        kind="production_unit", name=organisation_name, name_en=name_en, company=estate.company
    )
    return UnitFactory(estate=estate, organisation=organisation, name=name)


def make_member(organisation: Any, role: str, username: str) -> Any:
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(username=username)).user


def make_client(kind: str, name: str, name_en: str, username: str) -> Any:
    organisation = OrganisationFactory(kind=kind, name=name, name_en=name_en)
    return make_member(organisation, "admin", username)


def make_unit_a(estate: Any) -> Any:
    return make_unit(estate, "برنج‌کوبی الف", "Rice Mill A", "برنج کوبی الف")


def make_unit_b(estate: Any) -> Any:
    return make_unit(estate, "چای‌سازی ب", "Tea Factory B", "چای سازی ب")


def make_buyer() -> Any:
    return make_client("buyer", "گروه صنعتی خریدار", "Buyer Group", "buyer")


def make_investor() -> Any:
    return make_client("investor", "سرمایه‌گذار نمونه", "Sample Investor", "investor")


PEOPLE = (
    "company_a",
    "company_b",
    "estate_a",
    "estate_b",
    "unit_a",
    "unit_b",
    "manager",
    "officer",
    "staff_b",
    "unit_a_owner",
    "unit_b_owner",
    "buyer",
    "investor",
)


def build_named() -> dict[str, Any]:
    company_a, company_b = make_company_a(), make_company_b()
    estate_a, estate_b = EstateFactory(company=company_a), EstateFactory(company=company_b)
    unit_a, unit_b = make_unit_a(estate_a), make_unit_b(estate_a)
    return {
        "company_a": company_a,
        "company_b": company_b,
        "estate_a": estate_a,
        "estate_b": estate_b,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "unit_a_owner": make_member(unit_a.organisation, "admin", "owner_a"),
        "buyer": make_buyer(),
        "investor": make_investor(),
    }


def build_onlookers(people: dict[str, Any]) -> dict[str, Any]:
    return {
        "manager": make_member(people["company_a"], "manager", "manager_a"),
        "officer": make_member(people["company_a"], "linkage_officer", "officer_a"),
        "staff_b": make_member(people["company_b"], "manager", "manager_b"),
        "unit_b_owner": make_member(people["unit_b"].organisation, "admin", "owner_b"),
    }
