"""The demo investment path: land-use plans for every estate, investors with their files, applications
in every state, and allocation contracts — exactly ``NEW_INVESTORS`` investors whose first contract falls
in the last 12 months — with milestones met, overdue and flagged, and one repossession. Everything goes
through ``investment.services`` (the same checks, units registered through the life-cycle service).
Deterministic (seeded RNG); dates relative to the day it runs.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from peyvand.accounts.models import Organisation, User
from peyvand.estates.models import IndustrialEstate
from peyvand.investment import services
from peyvand.investment.models import Application, Investor, LandUse
from peyvand.taxonomy.models import Classification
from peyvand.units.models import ProductionUnit

from .catalog import names as name_catalog
from .catalog.industries import INDUSTRIES

NEW_INVESTORS = 85  # the CEO's figure: investors whose first contract falls in the last 12 months
OLDER_INVESTORS = 8  # first contract 13–30 months ago (two of them sign again this year)
SEED = 1411
INVESTOR_WORDS = [
    ("سرمایه‌گذاری", "Investment"),
    ("صنایع", "Industries"),
    ("گروه صنعتی", "Industrial Group"),
    ("توسعه صنعتی", "Industrial Development"),
    ("فناوران", "Technologists"),
]


def _manufacturing() -> list[dict[str, Any]]:
    return [industry for industry in INDUSTRIES if 10 <= int(industry["isic"][:2]) <= 33]


class InvestmentSeeder:
    def __init__(self, company: Organisation, today: dt.date, manager: User, investor_org: Organisation):
        self.company = company
        self.today = today
        self.manager = manager
        self.investor_org = investor_org
        self.rng = random.Random(SEED)
        self.industries = _manufacturing()
        self.isic = {c.code: c for c in Classification.objects.isic_classes()}
        self.used_names = set(ProductionUnit.objects.values_list("name", flat=True))
        self.investor_names: set[str] = set()
        self.estates = list(IndustrialEstate.objects.filter(company=company).order_by("code"))

    # --- reference -------------------------------------------------------------------------------
    def land_use(self) -> None:
        rows = []
        for index, estate in enumerate(self.estates):
            admitted = "10 11" if index % 11 == 5 else "C"
            rows.append(
                LandUse(
                    estate=estate,
                    admitted_isic=admitted,
                    max_environment_group=4 if index % 3 == 0 else 3,
                    water_left_m3_day=Decimal(self.rng.choice([150, 400, 900, 2000])),
                    power_left_kw=Decimal(self.rng.choice([3000, 8000, 20000])),
                    gas_left_m3_hour=Decimal(self.rng.choice([500, 2000, 6000])),
                )
            )
        LandUse.objects.bulk_create(rows)

    def investor(self, *, organisation: Organisation | None = None, name: str = "") -> Investor:
        rng = self.rng
        while not name or name in self.investor_names:
            word = rng.choice(INVESTOR_WORDS)[0]
            brand = rng.choice(name_catalog.BRAND_WORDS)[0]
            name = f"{word} {brand}"
            if name in self.investor_names:
                first = rng.choice(name_catalog.PERSON_FIRST_NAMES)[0]
                name = f"{word} {brand} {first}"
        self.investor_names.add(name)
        level = rng.choices(["none", "emerging", "type_2", "type_1"], [0.6, 0.15, 0.15, 0.1])[0]
        investor = Investor(
            name=name,
            kind="company" if rng.random() < 0.8 else "person",
            company=self.company,
            organisation=organisation,
            contact_person=f"{rng.choice(name_catalog.PERSON_FIRST_NAMES)[0]} {rng.choice(name_catalog.PERSON_LAST_NAMES)[0]}",
            phone=f"0912{rng.randint(1000000, 9999999)}",
            knowledge_level=level,
            knowledge_expiry=self.today + dt.timedelta(days=rng.randint(60, 900))
            if level != "none"
            else None,
            knowledge_register_number=f"KB-{rng.randint(10000, 99999)}" if level != "none" else "",
        )
        investor.save()
        return investor

    def application(self, investor: Investor) -> Application:
        rng = self.rng
        for _attempt in range(40):
            industry = rng.choice(self.industries)
            product = rng.choice(industry["products"])
            brand = rng.choice(name_catalog.BRAND_WORDS)[0]
            title = f"طرح {product['name_fa']} {brand}"
            if title not in self.used_names and industry["isic"] in self.isic:
                break
        self.used_names.add(title)
        land = Decimal(rng.choice([2000, 3000, 4000, 5000, 8000]))
        jobs = rng.randint(8, 90)
        application = Application.objects.create(
            investor=investor,
            company=self.company,
            title=title,
            product=product["name_fa"],
            isic=self.isic[industry["isic"]],
            investment_rial=rng.randint(20, 900) * 10_000_000_000,
            usd_share=Decimal(rng.choice([0, 0, 10, 25])),
            jobs_planned=jobs,
            land_m2=land,
            water_m3_day=Decimal(rng.choice([5, 10, 20, 40])),
            power_kw=Decimal(rng.choice([150, 300, 600, 1200])),
            gas_m3_hour=Decimal(rng.choice([0, 50, 100, 300])),
            wastewater=rng.choice(["بهداشتی", "صنعتی با بار آلی", "صنعتی کم‌بار"]),
            environment_group=rng.choice([1, 2, 2, 3]),
            export_share=Decimal(rng.choice([0, 0, 10, 30, 50])),
            import_substitution=rng.random() < 0.2,
        )
        if application.export_share:
            application.export_markets = rng.choice(["عراق", "ارمنستان، گرجستان", "روسیه", "افغانستان"])
            application.save(update_fields=["export_markets"])
        fits = [fit for fit in services.estate_fit(application) if fit.fits]
        if fits:
            application.preferred_estates.add(rng.choice(fits[:5]).estate)
        return application

    def to_review(self, application: Application, on: dt.date) -> None:
        services.move_application(application, "submitted", by=self._submitter(application), today=on)
        services.move_application(application, "under_review", by=self.manager, today=on)

    def _submitter(self, application: Application) -> Any:
        if application.investor.organisation_id == self.investor_org.pk:
            return self.investor_user
        return self.manager

    def contract(self, investor: Investor, signed_on: dt.date):
        application = self.application(investor)
        approved_on = signed_on - dt.timedelta(days=self.rng.randint(5, 30))
        self.to_review(application, approved_on)
        fit = next((fit for fit in services.estate_fit(application) if fit.fits), None)
        if fit is None:
            return None
        services.approve(application, fit.estate, by=self.manager, today=approved_on)
        terms = services.Terms(
            price_per_m2_rial=self.rng.choice([8, 12, 15, 20]) * 1_000_000,
            down_payment_share=Decimal(self.rng.choice([20, 30, 40])),
            instalments=self.rng.choice([24, 36, 48]),
            waiver_share=Decimal(self.rng.choice([0, 10, 20])),
            grace_days=180,
        )
        contract = services.allocate(application, fit.plots[0], terms, by=self.manager, signed_on=signed_on)
        self.milestones(contract)
        return contract

    def milestones(self, contract) -> None:
        """Met milestones (most of the due ones, never the operation licence), the rest left open."""
        for milestone in contract.milestones.order_by("order"):
            if milestone.kind == "operation_licence" or milestone.deadline >= self.today:
                break
            if self.rng.random() < 0.75:
                done = max(
                    contract.signed_on, milestone.deadline - dt.timedelta(days=self.rng.randint(0, 40))
                )
                services.complete_milestone(milestone, done_on=min(done, self.today), by=self.manager)
            else:
                break

    # --- the whole demo --------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        self.land_use()
        self.investor_user = self.investor_org.memberships.order_by("pk").first().user
        own = self._demo_investor()
        contracts = self._contracts(own)
        self._applications(own)
        return {"investors": Investor.objects.count(), "contracts": contracts}

    def _demo_investor(self) -> Investor:
        """The demo ``investor`` account's own record: knowledge-based, with evidence (one checked)."""
        own = self.investor(organisation=self.investor_org, name=self.investor_org.name)
        own.knowledge_level, own.knowledge_expiry, own.knowledge_register_number = (
            "type_2",
            self.today + dt.timedelta(days=400),
            "KB-14021",
        )
        own.save()
        services.add_evidence(
            own, kind="team", description="تیم فنی ۹ نفره با سابقه پلیمر", file=None, by=self.investor_user
        )
        evidence = services.add_evidence(
            own,
            kind="prior_plant",
            description="کارخانه لوله در قزوین (۱۳۹۸)",
            file=None,
            by=self.investor_user,
        )
        services.check_evidence(evidence, by=self.manager)
        return own

    def _contracts(self, own: Investor) -> int:
        """New investors' first contracts inside the last 12 months, older ones' before (two sign again,
        one loses its land); returns how many contracts were signed."""
        from peyvand.core.kpis import last_twelve_months

        window_start, window_end = last_twelve_months(self.today)
        contracts = 0
        window_days = (window_end - window_start).days
        # 1. the new investors: first contract inside the last 12 months (the demo investor is one).
        new = [own] + [self.investor() for _ in range(NEW_INVESTORS - 1)]
        for index, investor in enumerate(new):
            signed_on = window_start + dt.timedelta(days=3 + (index * (window_days - 6)) // NEW_INVESTORS)
            if self.contract(investor, signed_on) is not None:
                contracts += 1
        # 2. older investors; two sign again this year (not new), one loses its land.
        older = [self.investor() for _ in range(OLDER_INVESTORS)]
        old_contracts = []
        for index, investor in enumerate(older):
            signed_on = window_start - dt.timedelta(days=30 + index * 60)
            contract = self.contract(investor, signed_on)
            if contract is not None:
                contracts += 1
                old_contracts.append(contract)
        for investor in older[:2]:
            if self.contract(investor, window_end - dt.timedelta(days=40)) is not None:
                contracts += 1
        services.flag_overdue(today=self.today)
        late = next(
            (
                contract
                for contract in reversed(old_contracts)
                if services.repossession_due(contract, self.today)
            ),
            None,
        )
        if late is not None:
            services.repossess(
                late, by=self.manager, reason="عدم شروع عملیات ساختمانی در مهلت قرارداد", today=self.today
            )
        return contracts

    def _applications(self, own: Investor) -> None:
        """Applications in every other state, the demo investor's among them."""
        states = ["draft", "submitted", "under_review", "rejected", "withdrawn"]
        for index, state in enumerate(states * 2):
            investor = own if index < len(states) else self.investor()
            application = self.application(investor)
            if state == "draft":
                continue
            on = self.today - dt.timedelta(days=self.rng.randint(3, 60))
            submitter = self._submitter(application)
            services.move_application(application, "submitted", by=submitter, today=on)
            if state == "withdrawn":
                services.move_application(
                    application, "withdrawn", by=submitter, reason="تغییر برنامه سرمایه‌گذاری", today=on
                )
            elif state in ("under_review", "rejected"):
                services.move_application(application, "under_review", by=self.manager, today=on)
                if state == "rejected":
                    services.move_application(
                        application,
                        "rejected",
                        by=self.manager,
                        reason="نیاز آبی بیش از ظرفیت شهرک‌های پیشنهادی",
                        today=on,
                    )


def seed_investment(company: Organisation, today: dt.date, manager: User, investor_org: Organisation) -> dict:
    return InvestmentSeeder(company, today, manager, investor_org).build()
