"""Shared fixtures: personas of every kind (see STYLE.md) on top of two estate companies."""

from __future__ import annotations

import pytest

from .factories import EstateFactory, MembershipFactory, OrganisationFactory, UnitFactory, UserFactory


@pytest.fixture
def company_a(db):
    return OrganisationFactory(name="شرکت شهرک‌های صنعتی گیلان", name_en="Gilan Industrial Estates Co.")


@pytest.fixture
def company_b(db):
    return OrganisationFactory(
        name="شرکت شهرک‌های صنعتی مازندران", name_en="Mazandaran Industrial Estates Co."
    )


@pytest.fixture
def estate_a(company_a):
    return EstateFactory(company=company_a)


@pytest.fixture
def estate_b(company_b):
    return EstateFactory(company=company_b)


@pytest.fixture
def unit_a(estate_a):
    organisation = OrganisationFactory(
        kind="production_unit", name="برنج کوبی الف", name_en="Rice Mill A", company=estate_a.company
    )
    return UnitFactory(estate=estate_a, organisation=organisation, name="برنج‌کوبی الف")


@pytest.fixture
def unit_b(estate_a):
    organisation = OrganisationFactory(
        kind="production_unit", name="چای سازی ب", name_en="Tea Factory B", company=estate_a.company
    )
    return UnitFactory(estate=estate_a, organisation=organisation, name="چای‌سازی ب")


@pytest.fixture
def manager(company_a):
    return MembershipFactory(
        organisation=company_a, role="manager", user=UserFactory(username="manager_a")
    ).user


@pytest.fixture
def officer(company_a):
    return MembershipFactory(
        organisation=company_a, role="linkage_officer", user=UserFactory(username="officer_a")
    ).user


@pytest.fixture
def staff_b(company_b):
    return MembershipFactory(
        organisation=company_b, role="manager", user=UserFactory(username="manager_b")
    ).user


@pytest.fixture
def unit_a_owner(unit_a):
    return MembershipFactory(
        organisation=unit_a.organisation, role="admin", user=UserFactory(username="owner_a")
    ).user


@pytest.fixture
def unit_b_owner(unit_b):
    return MembershipFactory(
        organisation=unit_b.organisation, role="admin", user=UserFactory(username="owner_b")
    ).user


@pytest.fixture
def buyer(db):
    organisation = OrganisationFactory(kind="buyer", name="گروه صنعتی خریدار", name_en="Buyer Group")
    return MembershipFactory(organisation=organisation, role="admin", user=UserFactory(username="buyer")).user


@pytest.fixture
def investor(db):
    organisation = OrganisationFactory(kind="investor", name="سرمایه‌گذار نمونه", name_en="Sample Investor")
    return MembershipFactory(
        organisation=organisation, role="admin", user=UserFactory(username="investor")
    ).user
