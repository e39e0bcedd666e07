"""Build the deterministic demo dataset of Gilan: estates, plots, ~900 units with three years of
life-cycle history ending today, and the demo accounts.

The histories are laid out so that, on the day it runs, exactly ``TARGET_OPERATING`` units end up
operating and ``TARGET_RETURNED`` distinct units returned from idle to production in the last 12 months
(the home page's figures). Each history goes through the life-cycle rules (``units.services.
build_histories``) and each unit's status is the end of its history — never written directly; everything
else (names, products, sizes, dates) comes from a seeded RNG.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from peyvand.accounts.models import Membership, Organisation, User
from peyvand.core.audit import acting_as, log_event
from peyvand.core.kpis import last_twelve_months
from peyvand.estates.models import County, IndustrialEstate, Plot
from peyvand.matching.text import fold
from peyvand.taxonomy.models import Classification
from peyvand.units.models import Certification, Product, ProductionUnit, StatusChange
from peyvand.units.services import build_histories

from .catalog import estates as estate_catalog
from .catalog import industries as industry_catalog
from .catalog import names as name_catalog
from .catalog._util import fa_digits, fa_number
from .models import DemoDataset

SEED = 1405
DEMO_PASSWORD = "peyvand-demo"  # noqa: S105 — the fixed, published demo password (README)
TARGET_OPERATING = 743
TARGET_RETURNED = 41
# Final status of the ~900 units (operating first; the returned ones are drawn from the producing ones).
FINAL_STATUSES = {
    "operating": TARGET_OPERATING,
    "semi_active": 46,
    "idle": 52,
    "under_construction": 24,
    "land_allocated": 12,
    "planned": 9,
    "closed": 9,
    "land_repossessed": 5,
}
RETURNED_SEMI_ACTIVE = 6  # of the returned units, how many came back only half-way
REVIVAL_CAUSES = ["revival_support", "new_investor", "market_recovered"]
IDLE_CAUSES = ["working_capital", "raw_materials", "market", "energy", "management", "debt"]
Move = tuple[str | None, str, dt.date, str]  # (from status, to status, date, cause) of one life-cycle move


@dataclass
class UnitPlan:
    """Everything the seeder decided about one unit before writing it."""

    industry: dict[str, Any]
    estate: IndustrialEstate
    final: str
    history: list[tuple[str | None, str, dt.date, str]] = field(default_factory=list)
    returned: bool = False


class DemoBuilder:
    def __init__(
        self, today: dt.date | None = None, seed: int = SEED, report: Callable[[str], None] | None = None
    ):
        self.today = today or timezone.localdate()
        self.rng = random.Random(seed)
        self.seed = seed
        self.report = report or (lambda message: None)
        self.start = self.today - dt.timedelta(days=3 * 365)

    # --- history ------------------------------------------------------------------------------
    def _day(self, low: int, high: int) -> dt.date:
        """A date ``low..high`` days after the start of the three-year window (clamped to today)."""
        low, high = sorted((low, high))
        return min(self.start + dt.timedelta(days=self.rng.randint(low, high)), self.today)

    def _before_window(self, low: int) -> dt.date:
        """A date at least a week before the 12-month window, after day ``low`` of the history."""
        window_start, _ = last_twelve_months(self.today)
        latest = (window_start - self.start).days - 7
        return self._day(low, max(low, latest))

    def history_for(self, final: str, returned: bool) -> list[Move]:
        """(from, to, date, cause) moves ending in ``final``; only returned units move idle → producing
        inside the last 12 months."""
        initial = self._day(0, 25)
        if returned:
            return self._returned_history(final, initial)
        roll = self.rng.random()  # drawn for every unit, so each status keeps its place in the random stream
        if final == "operating":
            return self._operating_history(initial, roll)
        if final == "idle":
            return self._idle_history(initial, roll)
        if final == "semi_active":
            since = self._day(100, 1090)
            cause = self.rng.choice(["market", "raw_materials", "energy"])
            return [(None, "operating", initial, "initial"), ("operating", "semi_active", since, cause)]
        return self._other_history(final, initial)

    def _returned_history(self, final: str, initial: dt.date) -> list[Move]:
        """A unit that came back to production inside the last 12 months (the home figure counts it)."""
        rng = self.rng
        window_start, window_end = last_twelve_months(self.today)
        back = window_start + dt.timedelta(days=rng.randint(3, (window_end - window_start).days - 2))
        if final == "semi_active":
            return [
                (None, "idle", initial, "initial"),
                ("idle", "semi_active", back, rng.choice(REVIVAL_CAUSES)),
            ]
        went_idle = self._day(60, (window_start - self.start).days - 30)
        moves: list[Move] = [
            (None, "operating", initial, "initial"),
            ("operating", "idle", went_idle, rng.choice(IDLE_CAUSES)),
        ]
        if rng.random() < 0.25 and (window_end - back).days > 40:
            moves.append(("idle", "semi_active", back, rng.choice(REVIVAL_CAUSES)))
            again = back + dt.timedelta(days=rng.randint(10, 35))
            moves.append(("semi_active", "operating", again, "market_recovered"))
        else:
            moves.append(("idle", "operating", back, rng.choice(REVIVAL_CAUSES)))
        return moves

    def _operating_history(self, initial: dt.date, roll: float) -> list[Move]:
        """Most operating units never moved; some dipped, were built, or came back long ago."""
        if roll < 0.68:
            return [(None, "operating", initial, "initial")]
        if roll < 0.80:
            dip = self._day(100, 600)
            cause = self.rng.choice(["market", "raw_materials", "seasonal"])
            recovered = self._day((dip - self.start).days + 30, 1090)
            return [
                (None, "operating", initial, "initial"),
                ("operating", "semi_active", dip, cause),
                ("semi_active", "operating", recovered, "market_recovered"),
            ]
        if roll < 0.90:
            return [
                (None, "under_construction", initial, "initial"),
                ("under_construction", "operating", self._day(180, 900), "operation_licence"),
            ]
        went_idle = self._day(30, 200)
        idle_cause = self.rng.choice(IDLE_CAUSES)
        back = self._before_window((went_idle - self.start).days + 30)
        return [
            (None, "operating", initial, "initial"),
            ("operating", "idle", went_idle, idle_cause),
            ("idle", "operating", back, self.rng.choice(REVIVAL_CAUSES)),
        ]

    def _idle_history(self, initial: dt.date, roll: float) -> list[Move]:
        """Idle units: stopped after operating, idle from the start, or a failed half-return."""
        if roll < 0.6:
            return [
                (None, "operating", initial, "initial"),
                ("operating", "idle", self._day(40, 1090), self.rng.choice(IDLE_CAUSES)),
            ]
        if roll < 0.85:
            return [(None, "idle", initial, "initial")]
        half = self._day(60, 250)
        again = self._day((half - self.start).days + 40, 1090)
        return [
            (None, "idle", initial, "initial"),
            ("idle", "semi_active", half, "revival_support"),
            ("semi_active", "idle", again, self.rng.choice(IDLE_CAUSES)),
        ]

    def _other_history(self, final: str, initial: dt.date) -> list[Move]:
        """Units on the way in (planned, land allocated, under construction) or out (closed, repossessed)."""
        if final == "under_construction":
            started = self._day(90, 1060)
            return [
                (None, "land_allocated", initial, "initial"),
                ("land_allocated", "under_construction", started, "construction_started"),
            ]
        if final == "land_allocated":
            return [
                (None, "planned", initial, "initial"),
                ("planned", "land_allocated", self._day(150, 1070), "contract_signed"),
            ]
        if final == "planned":
            return [(None, "planned", self._day(300, 1080), "initial")]
        if final == "closed":
            went_idle = self._day(40, 500)
            idle_cause = self.rng.choice(IDLE_CAUSES)
            closed = self._day((went_idle - self.start).days + 120, 1080)
            return [
                (None, "operating", initial, "initial"),
                ("operating", "idle", went_idle, idle_cause),
                ("idle", "closed", closed, "owner_decision"),
            ]
        if final == "land_repossessed":
            return [
                (None, "land_allocated", initial, "initial"),
                ("land_allocated", "land_repossessed", self._day(300, 1080), "contract_breach"),
            ]
        raise ValueError(final)

    # --- registry -----------------------------------------------------------------------------
    def company(self) -> Organisation:
        company, _ = Organisation.objects.get_or_create(
            kind="estate_company",
            name="شرکت شهرک‌های صنعتی استان گیلان",
            defaults={"name_en": "Gilan Industrial Estates Company", "email": "info@gilan-estates.example"},
        )
        return company

    def estates(self, company: Organisation) -> list[IndustrialEstate]:
        counties = {county.code: county for county in County.objects.all()}
        estates = []
        for item in estate_catalog.ESTATES:
            estate = IndustrialEstate(
                code=item["code"],
                name=item["name_fa"],
                name_en=item["name_en"],
                kind=item["kind"],
                county=counties[item["county"]],
                company=company,
                total_area_ha=Decimal(str(item["total_area_ha"])),
                industrial_area_ha=Decimal(str(item["industrial_area_ha"])),
                water=item["water"],
                power=item["power"],
                gas=item["gas"],
                telecom=item["telecom"],
                wastewater=item["wastewater"],
                latitude=Decimal(str(item["lat"])),
                longitude=Decimal(str(item["lon"])),
            )
            estate.refresh_keys()
            estates.append(estate)
        IndustrialEstate.objects.bulk_create(estates)
        return list(IndustrialEstate.objects.select_related("county").order_by("id"))

    def plan_units(self, estates: list[IndustrialEstate]) -> list[UnitPlan]:
        rng = self.rng
        capacity = {estate.code: estate_catalog.ESTATE_BY_CODE[estate.code]["plots"] for estate in estates}
        by_county: dict[str, list[IndustrialEstate]] = defaultdict(list)
        for estate in estates:
            by_county[estate.county.code].append(estate)
        finals = [status for status, count in FINAL_STATUSES.items() for _ in range(count)]
        rng.shuffle(finals)
        industries = industry_catalog.INDUSTRIES
        weights = [industry["weight"] for industry in industries]
        plans = []
        for final in finals:
            industry = rng.choices(industries, weights=weights)[0]
            estate = self._pick_estate(industry, by_county, estates, capacity)
            capacity[estate.code] -= 1
            plans.append(UnitPlan(industry=industry, estate=estate, final=final))
        producing = [plan for plan in plans if plan.final == "operating"]
        half_back = [plan for plan in plans if plan.final == "semi_active"]
        for plan in rng.sample(producing, TARGET_RETURNED - RETURNED_SEMI_ACTIVE) + rng.sample(
            half_back, RETURNED_SEMI_ACTIVE
        ):
            plan.returned = True
        for plan in plans:
            plan.history = self.history_for(plan.final, plan.returned)
        return plans

    def _pick_estate(self, industry, by_county, estates, capacity) -> IndustrialEstate:
        rng = self.rng
        affinity = industry.get("counties") or {}
        candidates = [
            (estate, weight)
            for county, weight in affinity.items()
            for estate in by_county.get(county, [])
            if capacity[estate.code] > 0
        ]
        if not candidates:
            candidates = [(estate, capacity[estate.code]) for estate in estates if capacity[estate.code] > 0]
        return rng.choices([c[0] for c in candidates], weights=[max(c[1], 0.1) for c in candidates])[0]

    def units(self, plans: list[UnitPlan]) -> list[ProductionUnit]:
        rng = self.rng
        isic = dict(Classification.objects.isic_classes().values_list("code", "id"))
        used_names: set[str] = set()
        units = []
        for index, plan in enumerate(plans):
            industry = plan.industry
            name_fa, name_en = self._name(industry, used_names)
            low, high = industry["employees"]
            employees = round(low * (high / low) ** rng.random()) if low > 0 else rng.randint(low, high)
            unit = ProductionUnit(
                name=name_fa,
                name_en=name_en,
                legal_name=self._legal_name(name_fa),
                national_id=f"10{rng.randint(100_000_000, 999_999_999)}{index % 10}"[:11],
                licence_number=f"{rng.randint(10, 99)}/{rng.randint(10000, 99999)}/{index + 1}",
                estate=plan.estate,
                isic_id=isic.get(industry["isic"]),
                employees=employees,
                export_oriented=rng.random()
                < industry.get("export_share", 0.05) * (2.2 if employees >= 50 else 1),
                knowledge_based=rng.random() < industry.get("knowledge_share", 0.01),
                contact_person=self._person(),
                phone=f"013{rng.randint(3000_0000, 3999_9999)}",
                email=f"info{index + 1}@unit.example",
            )
            units.append(unit)
        return units

    def _name(self, industry: dict, used: set[str]) -> tuple[str, str]:
        rng = self.rng
        for _ in range(50):
            brand_fa, brand_en = rng.choice(name_catalog.BRAND_WORDS)
            position = rng.randrange(len(industry["name_words_fa"]))
            word_fa = industry["name_words_fa"][position]
            word_en = industry["name_words_en"][min(position, len(industry["name_words_en"]) - 1)]
            name_fa, name_en = f"{word_fa} {brand_fa}", f"{brand_en} {word_en}"
            if name_fa not in used:
                used.add(name_fa)
                return name_fa, name_en
        suffix = len(used) + 1
        used.add(f"{name_fa} {suffix}")
        return f"{name_fa} {fa_digits(suffix)}", f"{name_en} {suffix}"

    def _legal_name(self, name_fa: str) -> str:
        form_fa, _form_en = self.rng.choices(
            name_catalog.LEGAL_FORMS, weights=name_catalog.LEGAL_FORM_WEIGHTS
        )[0]
        return form_fa.replace("…", name_fa)

    def _person(self) -> str:
        first = self.rng.choice(name_catalog.PERSON_FIRST_NAMES)[0]
        last = self.rng.choice(name_catalog.PERSON_LAST_NAMES)[0]
        return f"{first} {last}"

    def plots(self, estates: list[IndustrialEstate], plans: list[UnitPlan]) -> dict[int, list[Plot]]:
        """Lay out each estate's plots; every unit past the 'planned' stage gets one."""
        rng = self.rng
        plots = []
        for estate in estates:
            count = estate_catalog.ESTATE_BY_CODE[estate.code]["plots"]
            zones = ["الف", "ب", "ج", "د"]
            for number in range(1, count + 1):
                plots.append(
                    Plot(
                        estate=estate,
                        number=f"{zones[(number - 1) * len(zones) // count]}-{number}",
                        area_m2=Decimal(
                            rng.choice([1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000, 15000])
                        ),
                        zone=f"بلوک {zones[(number - 1) * len(zones) // count]}",
                        state="free",
                    )
                )
        Plot.objects.bulk_create(plots, batch_size=1000)
        free: dict[int, list[Plot]] = defaultdict(list)
        for plot in Plot.objects.order_by("estate_id", "id"):
            free[plot.estate_id].append(plot)
        for pool in free.values():
            rng.shuffle(pool)
        return free

    def products(self, units: list[ProductionUnit], plans: list[UnitPlan]) -> list[Product]:
        rng = self.rng
        hs = dict(Classification.objects.filter(scheme="hs2022", level="heading").values_list("code", "id"))
        products = []
        for unit, plan in zip(units, plans, strict=True):
            catalog_products = plan.industry["products"]
            chosen = rng.sample(catalog_products, k=min(len(catalog_products), rng.randint(2, 4)))
            scale = min(1.0, (unit.employees or 5) / max(plan.industry["employees"][1], 1)) + 0.15
            for item in chosen:
                low, high = item["capacity"]
                amount = int(round((low + (high - low) * rng.random() * scale) / 10) * 10) or low
                product = Product(
                    unit=unit,
                    name=item["name_fa"],
                    name_en=item["name_en"],
                    hs_id=hs.get(item["hs"]) if item.get("hs") else None,
                    annual_capacity=Decimal(amount),
                    capacity_unit=item["unit_fa"],
                )
                product.refresh_keys()
                products.append(product)
            unit._demo_products = chosen  # used by the description
        return products

    def describe(self, unit: ProductionUnit, plan: UnitPlan) -> None:
        rng = self.rng
        chosen = unit._demo_products
        county = plan.estate.county
        names_fa = [item["name_fa"] for item in chosen]
        names_en = [item["name_en"] for item in chosen]
        first = chosen[0]
        low, high = first["capacity"]
        capacity = int(round((low + high) / 2 / 10) * 10)
        years = rng.randint(3, 35)
        values = {
            "products_fa": "، ".join(names_fa[:-1]) + (" و " if len(names_fa) > 1 else "") + names_fa[-1],
            "products_en": ", ".join(names_en),
            "capacity_fa": f"{fa_number(capacity)} {first['unit_fa']}",
            "capacity_en": f"{capacity:,} {first['unit_en']}",
            "county_fa": county.name,
            "county_en": county.name_en,
            "years": fa_digits(years) if rng.random() < 0.7 else str(years),
        }
        unit.description = rng.choice(plan.industry["descriptions_fa"]).format(**values)
        if unit.export_oriented or rng.random() < 0.25:
            english = dict(values, years=str(years))
            unit.description_en = rng.choice(plan.industry["descriptions_en"]).format(**english)
        unit.capacity = values["capacity_fa"]

    @transaction.atomic
    def build(self) -> dict[str, int]:
        with acting_as(None, via="seed_demo"):
            company = self.company()
            self.report("estates")
            estates = self.estates(company)
            plans = self.plan_units(estates)
            free_plots = self.plots(estates, plans)
            self.report("units")
            units = self.units(plans)
            # Each unit's status comes out of its history, checked move by move by the life-cycle rules.
            history = build_histories(
                [(unit, plan.history) for unit, plan in zip(units, plans, strict=True)], today=self.today
            )
            products = self.products(units, plans)
            taken: list[Plot] = []
            for unit, plan in zip(units, plans, strict=True):
                self.describe(unit, plan)
                if unit.status != "planned" and free_plots[plan.estate.pk]:
                    plot = free_plots[plan.estate.pk].pop()
                    plot.state = "repossessed" if unit.status == "land_repossessed" else "allocated"
                    unit.plot = plot
                    taken.append(plot)
                unit.refresh_keys()
                unit.search_text = fold(
                    unit.search_source(product_names=[p["name_fa"] for p in unit._demo_products])
                )
            Plot.objects.bulk_update(taken, ["state"], batch_size=1000)
            ProductionUnit.objects.bulk_create(units, batch_size=500)
            for product in products:
                product.unit_id = product.unit.pk
            Product.objects.bulk_create(products, batch_size=1000)
            self.report("history")
            for record in history:
                record.unit_id = record.unit.pk
            StatusChange.objects.bulk_create(history, batch_size=1000)
            self._certifications(units, plans)
            self.report("capabilities")
            self._capabilities(units)
            self.report("accounts")
            self.accounts(company, units, plans)
            DemoDataset.objects.create(seed=self.seed, as_of=self.today)
        counts = Counter(unit.status for unit in units)
        return {"estates": len(estates), "units": len(units), **counts}

    def _capabilities(self, units: list[ProductionUnit]) -> None:
        """Each demo unit's capability tags, as the tagger suggests them from its description and products."""
        from peyvand.taxonomy.models import Capability
        from peyvand.taxonomy.services import suggested_codes

        ids = dict(Capability.objects.filter(is_active=True).values_list("code", "id"))
        through = ProductionUnit.capabilities.through
        rows = []
        for unit in units:
            names = [item["name_fa"] for item in unit._demo_products] + [
                item["name_en"] for item in unit._demo_products
            ]
            codes = suggested_codes(" . ".join(names), unit.description)[:4]
            rows += [
                through(productionunit_id=unit.pk, capability_id=ids[code]) for code in codes if code in ids
            ]
        through.objects.bulk_create(rows, batch_size=1000)

    def _certifications(self, units: list[ProductionUnit], plans: list[UnitPlan]) -> None:
        rng = self.rng
        certs = dict(Certification.objects.values_list("code", "id"))
        through = ProductionUnit.certifications.through
        rows = []
        for unit, plan in zip(units, plans, strict=True):
            for code, chance in plan.industry.get("certifications", []):
                if code in certs and rng.random() < chance:
                    rows.append(through(productionunit_id=unit.pk, certification_id=certs[code]))
        through.objects.bulk_create(rows, batch_size=1000)

    def accounts(self, company: Organisation, units: list[ProductionUnit], plans: list[UnitPlan]) -> None:
        """The demo users (README): staff, two unit representatives, a buyer, an investor, an admin."""

        def user(username: str, first: str, last: str, **extra: Any) -> User:
            account = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.example",
                **extra,
            )
            return account

        Membership.objects.create(user=user("manager", "مریم", "کاظمی"), organisation=company, role="manager")
        Membership.objects.create(
            user=user("officer", "رضا", "نوروزی"), organisation=company, role="linkage_officer"
        )
        user("admin", "مدیر", "سامانه", is_staff=True, is_superuser=True)
        featured = []
        representatives = [
            ("unit1", "حسن", "پوررحیم", "rice_milling"),
            ("unit2", "نرگس", "شفیعی", "plastic_pipes"),
        ]
        for username, first, last, industry_key in representatives:
            unit = next(
                (
                    u
                    for u, p in zip(units, plans, strict=True)
                    if p.industry["key"] == industry_key and u.status == "operating"
                ),
                None,
            ) or next(
                u
                for u, p in zip(units, plans, strict=True)
                if u.status == "operating" and u.organisation_id is None
            )
            organisation = Organisation.objects.create(
                kind="production_unit", name=unit.name, name_en=unit.name_en, company=company
            )
            ProductionUnit.objects.filter(pk=unit.pk).update(organisation=organisation)
            unit.organisation = organisation
            Membership.objects.create(
                user=user(username, first, last), organisation=organisation, role="admin"
            )
            log_event(unit, "units.profile.claimed", {"user": username})
            featured.append(unit)
        from .seed_bridge import seed_bridge

        officer = User.objects.get(username="officer")
        # Suggestions during seeding use the lexical and concept layers only (fast); the worker then
        # rebuilds the full index, embeddings included, in the background.
        from django.test.utils import override_settings

        from peyvand.sourcing.tasks import schedule_rebuild

        with override_settings(PEYVAND_MATCHING_SEMANTIC=False):
            self.bridge = seed_bridge(company, self.today, user("buyer", "سعید", "رحمانی"), officer, featured)
        from .seed_trade import seed_trade

        self.trade = seed_trade(company, self.today, officer)
        transaction.on_commit(lambda: schedule_rebuild(reason="demo data", always=True))
        from .seed_green import seed_green

        self.green = seed_green(
            company,
            self.today,
            officer,
            [(unit, plan.industry["key"]) for unit, plan in zip(units, plans, strict=True)],
        )
        investor_org = Organisation.objects.create(
            kind="investor",
            name="هلدینگ سرمایه‌گذاری سبزدشت",
            name_en="Sabzdasht Investment Holding",
            company=company,
        )
        Membership.objects.create(
            user=user("investor", "لیلا", "امیری"), organisation=investor_org, role="admin"
        )
        from .seed_revival import seed_revival

        self.revival = seed_revival(company, self.today, officer, investor_org)
        from .seed_investment import seed_investment

        self.investment = seed_investment(
            company, self.today, User.objects.get(username="manager"), investor_org
        )


def seed(today: dt.date | None = None, report: Callable[[str], None] | None = None) -> dict[str, int]:
    return DemoBuilder(today=today, report=report).build()
