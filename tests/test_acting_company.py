"""Which estate company a person acts for: one answer, asked by forms, services, importers and commands."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from peyvand.accounts import services as account_services
from peyvand.accounts.acting import acting_companies, acting_company
from peyvand.accounts.models import Organisation
from peyvand.estates.forms import EstateForm
from peyvand.estates.importers import EstateImporter

from .factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_of_both(company_a, company_b):
    user = UserFactory(username="staff_of_both")
    MembershipFactory(user=user, organisation=company_a, role="manager")
    MembershipFactory(user=user, organisation=company_b, role="linkage_officer")
    return user


def test_staff_of_one_company_act_for_it_and_only_it(officer, company_a, company_b):
    assert acting_company(officer) == company_a
    assert list(acting_companies(officer)) == [company_a]


def test_staff_of_one_company_cannot_choose_another(officer, company_b):
    with pytest.raises(PermissionDenied):
        acting_company(officer, company_b)
    with pytest.raises(PermissionDenied):
        acting_company(officer, str(company_b.pk))


def test_staff_of_two_companies_act_for_the_one_they_choose(staff_of_both, company_a, company_b):
    assert set(acting_companies(staff_of_both)) == {company_a, company_b}
    assert acting_company(staff_of_both, company_b) == company_b
    assert acting_company(staff_of_both, str(company_a.pk)) == company_a
    # Without a choice they act for their first company, the same answer everywhere.
    assert acting_company(staff_of_both) == company_a


def test_a_unit_representative_acts_for_no_estate_company(unit_a_owner, company_a):
    assert acting_company(unit_a_owner) is None
    assert not acting_companies(unit_a_owner).exists()
    with pytest.raises(PermissionDenied):
        acting_company(unit_a_owner, company_a)


def test_an_anonymous_visitor_acts_for_no_estate_company(company_a):
    assert acting_company(AnonymousUser()) is None
    assert not acting_companies(AnonymousUser()).exists()
    with pytest.raises(PermissionDenied):
        acting_company(AnonymousUser(), company_a)


def test_a_deactivated_company_is_not_acted_for(officer, company_a):
    Organisation.objects.filter(pk=company_a.pk).update(is_active=False)
    officer = type(officer).objects.get(pk=officer.pk)  # fresh: memberships are cached per user object
    assert acting_company(officer) is None
    assert not acting_companies(officer).exists()


def test_a_system_run_acts_for_the_only_company_and_for_none_when_there_are_several(company_a):
    assert acting_company(None) == company_a
    OrganisationFactory(name="شرکت دوم", name_en="Second Co.")
    assert acting_company(None) is None
    assert acting_companies(None).count() == 2


def test_the_estate_form_offers_a_two_company_officer_both_companies_and_no_other(
    staff_of_both, company_a, company_b
):
    OrganisationFactory(name="شرکت سوم", name_en="Third Co.")
    form = EstateForm(user=staff_of_both)
    assert set(form.fields["company"].queryset) == {company_a, company_b}
    assert form.fields["company"].initial == company_a


def test_the_estate_importer_sees_the_same_companies(staff_of_both, officer, company_a, company_b):
    for user, expected in ((staff_of_both, {company_a, company_b}), (officer, {company_a})):
        importer = EstateImporter(user=user)
        importer.prepare([])
        assert set(importer.companies) == expected


def test_an_organisation_registered_by_staff_is_served_by_their_company(staff_b, company_b):
    buyer = account_services.create_organisation(
        Organisation(kind="buyer", name="خریدار تازه", name_en="New Buyer"), by=staff_b
    )
    assert buyer.company == company_b


def test_a_unit_representative_cannot_register_an_organisation(unit_a_owner):
    with pytest.raises(PermissionDenied):
        account_services.create_organisation(
            Organisation(kind="buyer", name="خریدار تازه", name_en="New Buyer"), by=unit_a_owner
        )
