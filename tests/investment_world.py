"""A small investment world: an estate with a land-use plan and free plots, an investor organisation with
its file, and an application — shared by the investment tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peyvand.estates.models import Plot
from peyvand.investment.models import Application, Investor, LandUse
from peyvand.taxonomy.models import Classification

from .factories import EstateFactory, MembershipFactory, OrganisationFactory, PlotFactory, UserFactory


def make_investor(company, *, name="صنایع پلیمر کاسپین", knowledge=True, username="investor_x"):
    organisation = OrganisationFactory(kind="investor", name=name, name_en="Caspian Polymer", company=company)
    user = MembershipFactory(
        organisation=organisation, role="admin", user=UserFactory(username=username)
    ).user
    investor = Investor.objects.create(
        name=name,
        kind="company",
        company=company,
        organisation=organisation,
        national_id=None,
        knowledge_level="type_1" if knowledge else "none",
        knowledge_expiry=dt.date.today() + dt.timedelta(days=365) if knowledge else None,
        knowledge_register_number="KB-1234" if knowledge else "",
    )
    return investor, user


def make_estate(company, *, admitted="C", max_group=3, water=500, plots=(3000, 5000, 12000)):
    estate = EstateFactory(company=company, water="ready", power="ready", gas="ready", wastewater="ready")
    LandUse.objects.create(
        estate=estate,
        admitted_isic=admitted,
        max_environment_group=max_group,
        water_left_m3_day=Decimal(water),
        power_left_kw=Decimal(5000),
        gas_left_m3_hour=Decimal(2000),
    )
    for area in plots:
        PlotFactory(estate=estate, area_m2=area, state="free")
    return estate


def make_application(investor, **values) -> Application:
    fields = {
        "investor": investor,
        "company": investor.company,
        "title": "تولید لوله پلی‌اتیلن",
        "product": "لوله پلی‌اتیلن",
        "isic": Classification.objects.get(scheme="isic4", code="2220"),
        "investment_rial": 1_200_000_000_000,
        "jobs_planned": 25,
        "land_m2": Decimal(4000),
        "water_m3_day": Decimal(20),
        "power_kw": Decimal(800),
        "gas_m3_hour": Decimal(50),
        "environment_group": 2,
        "export_share": Decimal(30),
        "export_markets": "عراق، ارمنستان",
    }
    fields.update(values)
    return Application.objects.create(**fields)


def free_plots(estate):
    return Plot.objects.filter(estate=estate, state="free")
