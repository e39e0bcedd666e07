"""factory-boy factories for the registry (deterministic, realistic Persian names)."""

from __future__ import annotations

import datetime as dt

import factory

from peyvand.accounts.models import Membership, Organisation, User
from peyvand.estates.models import County, IndustrialEstate, Plot
from peyvand.taxonomy.models import Classification
from peyvand.units.models import ProductionUnit, StatusChange


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.ir")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs) -> None:
        self.set_password(extracted or "peyvand-test")
        if create:
            self.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"سازمان {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "estate_company"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "manager"


class EstateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialEstate

    name = factory.Sequence(lambda n: f"شهرک صنعتی آزمایشی {n}")
    name_en = factory.Sequence(lambda n: f"Test Estate {n}")
    code = factory.Sequence(lambda n: f"test-estate-{n}")
    county = factory.LazyFunction(lambda: County.objects.get(code="rasht"))
    company = factory.SubFactory(OrganisationFactory)
    total_area_ha = 100
    industrial_area_ha = 70


class PlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plot

    estate = factory.SubFactory(EstateFactory)
    number = factory.Sequence(lambda n: f"P-{n}")
    area_m2 = 2000


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit with its initial history record (status ``operating`` since 1400/01/01 unless told)."""

    class Meta:
        model = ProductionUnit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"واحد تولیدی {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    estate = factory.SubFactory(EstateFactory)
    employees = 20
    status = "operating"
    status_since = dt.date(2021, 3, 21)
    isic = factory.LazyFunction(lambda: Classification.objects.filter(scheme="isic4", code="1061").first())

    @factory.post_generation
    def history(self, create: bool, extracted, **kwargs) -> None:
        if create:
            StatusChange.objects.create(
                unit=self, from_status=None, to_status=self.status, date=self.status_since, cause="initial"
            )
