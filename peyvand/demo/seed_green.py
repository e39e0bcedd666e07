"""Green estates in the demo (invented data): treatment plants in every stage — exactly two due to open by
the end of the current Jalali year — sewer connections, effluent tests with some failures (and one unit
failing twice), haves and wants that match, and exchanges brokered to contract and running.

Deterministic for a given ``today``; every workflow step goes through ``peyvand.green.services``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from peyvand.core.jalali import to_jalali
from peyvand.core.kpis import jalali_year_bounds
from peyvand.estates.models import IndustrialEstate
from peyvand.green import services
from peyvand.green.choices import PRETREATMENT_GROUPS, environmental_group
from peyvand.green.models import ResourceListing, TreatmentPlant, UnitConnection
from peyvand.units.choices import PRODUCING
from peyvand.units.models import ProductionUnit

SEED = 14

# (estate codes served, fa, en, stage, capacity, technology, funding, contractor, opened/started days ago)
_PLANTS = [
    (
        ("sepidrud", "goharrud"),
        "تصفیه‌خانه مشترک سپیدرود و گوهررود",
        "Sepidrud–Goharrud joint plant",
        "operating",
        6000,
        "activated_sludge",
        "national",
        "شرکت مهندسی آب‌آرا",
        1000,
    ),
    (
        ("baghchay", "sabzbam"),
        "تصفیه‌خانه باغ‌چای",
        "Baghchay plant",
        "operating",
        2500,
        "mbbr",
        "mixed",
        "پیمانکاری سبزآب شمال",
        420,
    ),
    (
        ("zarjub",),
        "تصفیه‌خانه زرجوب",
        "Zarjub plant",
        "commissioning",
        1800,
        "sbr",
        "provincial",
        "گروه فنی کاسپین‌آب",
        700,
    ),
    (
        ("gashtrud",),
        "تصفیه‌خانه گشت‌رود",
        "Gashtrud plant",
        "under_construction",
        1500,
        "mbbr",
        "ndf",
        "شرکت ساختمانی رودبار",
        520,
    ),
    (
        ("narenjbon",),
        "تصفیه‌خانه نارنج‌بن",
        "Narenjbon plant",
        "under_construction",
        1200,
        "extended_aeration",
        "company",
        "تعاونی عمرانی خمام",
        300,
    ),
    (
        ("polrud",),
        "تصفیه‌خانه پلرود",
        "Polrud plant",
        "design",
        900,
        "sbr",
        "provincial",
        "مهندسین مشاور آبراه",
        150,
    ),
    (("nasim",), "تصفیه‌خانه ناحیه نسیم", "Nasim plant", "planned", 600, "mbr", "private", "", 60),
    (
        ("pasikhan",),
        "لاگون قدیمی پسیخان",
        "Pasikhan old lagoons",
        "out_of_service",
        500,
        "lagoon",
        "company",
        "",
        2400,
    ),
]

# industry key -> listings (direction, material, tonnes low/high, form, description)
_HAVES = {
    "rice_milling": [
        ("rice_husk", 300, 1800, "solid", "پوسته برنج خشک، فله، پس از شالی‌کوبی"),
        ("rice_bran", 80, 400, "solid", "سبوس برنج تازه"),
    ],
    "tea_processing": [("tea_waste", 60, 300, "solid", "تفاله و ضایعات چای خشک")],
    "sawmill": [("sawdust", 200, 900, "solid", "خاک اره و تراشه چوب راش و توسکا")],
    "furniture": [("sawdust", 40, 200, "solid", "خاک اره و ضایعات MDF")],
    "dairy": [("whey", 500, 3000, "liquid", "آب پنیر تازه، تانکر یخچال‌دار")],
    "fish_processing": [("fish_waste", 100, 600, "solid", "سر و دل و روده ماهی، منجمد")],
    "sheet_metal": [("scrap_metal", 50, 400, "solid", "قراضه ورق فولادی و براده")],
    "cnc_machining": [("scrap_metal", 20, 120, "solid", "براده فولاد و آلومینیوم")],
    "fruit_juice": [("food_waste", 200, 1200, "solid", "تفاله مرکبات و کیوی")],
    "die_casting": [("waste_heat", 300, 900, "heat", "گرمای اتلافی کوره‌های ذوب")],
}
_WANTS = {
    "clay_bricks_tiles": [("rice_husk", 400, 2000, "solid", "سوخت کوره آجرپزی، پوسته برنج")],
    "animal_feed": [
        ("rice_bran", 200, 800, "solid", "سبوس برای خوراک دام"),
        ("whey", 300, 1500, "liquid", "آب پنیر برای خوراک مایع"),
        ("fish_waste", 100, 500, "solid", "پودر ماهی: ضایعات ماهی"),
    ],
    "fertilisers": [
        ("tea_waste", 100, 400, "solid", "تفاله چای برای کمپوست"),
        ("food_waste", 200, 800, "solid", "پسماند میوه برای کود آلی"),
    ],
    "agro_waste_recycling": [
        ("tea_waste", 50, 200, "solid", "ضایعات چای"),
        ("rice_husk", 200, 800, "solid", "پوسته برنج برای پلت سوختی"),
    ],
    "mdf_panels": [("sawdust", 500, 2500, "solid", "خاک اره برای تخته فیبر")],
    "sand_casting": [("scrap_metal", 100, 600, "solid", "قراضه فولاد برای ذوب")],
    "metal_scrap": [("scrap_metal", 200, 1500, "solid", "خرید قراضه آهن و فولاد")],
    "poultry_processing": [("waste_heat", 200, 600, "heat", "آب گرم برای پرکنی")],
}


def _pick(units_by_key: dict[str, list[ProductionUnit]], key: str, count: int) -> list[ProductionUnit]:
    return units_by_key.get(key, [])[:count]


def seed_green(
    company: Any, today: dt.date, officer: Any, units: list[tuple[ProductionUnit, str]]
) -> dict[str, int]:
    rng = random.Random(SEED)
    year_end = jalali_year_bounds(to_jalali(today).year)[1]
    estates = {estate.code: estate for estate in IndustrialEstate.objects.filter(company=company)}
    plants = _plants(today, year_end, estates, officer, rng)
    served = {estate.pk for plant in plants if plant.stage == "operating" for estate in plant.estates.all()}
    producing = [(unit, key) for unit, key in units if unit.status in PRODUCING]
    _connections(producing, served, rng)
    tests = _tests(producing, served, today, officer, rng)
    listings = _listings(producing, rng)
    exchanges = _exchanges(listings, today, officer)
    return {"plants": len(plants), "tests": tests, "listings": len(listings), "exchanges": exchanges}


def _plants(today, year_end, estates, officer, rng) -> list[TreatmentPlant]:
    plants = []
    for codes, name, name_en, stage, capacity, technology, funding, contractor, age in _PLANTS:
        served = [estates[code] for code in codes if code in estates]
        if not served:
            continue
        began = today - dt.timedelta(days=age)
        planned = {
            # Exactly two plants are due by the end of this Jalali year (the seed's "2").
            "commissioning": min(year_end, today + dt.timedelta(days=40)),
            "under_construction": min(year_end, today + dt.timedelta(days=110))
            if "gashtrud" in codes
            else year_end + dt.timedelta(days=240),
            "design": year_end + dt.timedelta(days=500),
            "planned": year_end + dt.timedelta(days=800),
        }.get(stage)
        plant = TreatmentPlant(
            company=served[0].company,
            name=name,
            name_en=name_en,
            capacity_m3_day=capacity,
            technology=technology,
            funding=funding,
            contractor=contractor,
            cost_rial=capacity * rng.randint(900, 1400) * 10**6,
            planned_opening=planned,
        )
        path = {
            "operating": ["design", "under_construction", "commissioning", "operating"],
            "out_of_service": ["under_construction", "operating", "out_of_service"],
            "commissioning": ["design", "under_construction", "commissioning"],
            "under_construction": ["design", "under_construction"],
            "design": ["design"],
            "planned": [],
        }[stage]
        first = "planned" if stage != "out_of_service" else "under_construction"
        services.create_plant(plant, served, by=officer, stage=first, since=began)
        steps = [step for step in path if step != first]
        for index, step in enumerate(steps, start=1):
            services.move_plant(
                plant, step, date=began + dt.timedelta(days=age * index // (len(steps) + 1)), by=officer
            )
        target = {
            "operating": 100,
            "out_of_service": 100,
            "commissioning": 97,
            "design": 0,
            "planned": 0,
        }.get(stage)
        if target is None:
            target = 78 if "gashtrud" in codes else 34
        if target:
            _reports(plant, began, today, target, officer, rng)
        if stage in ("operating", "out_of_service"):
            services.report_progress(
                plant,
                date=today - dt.timedelta(days=rng.randint(3, 20))
                if stage == "operating"
                else plant.stage_since,
                percent=100,
                inflow_m3_day=Decimal(capacity * rng.randint(45, 85) // 100),
                note="اندازه‌گیری دبی ورودی" if stage == "operating" else "",
                by=officer,
            )
        plants.append(plant)
    return plants


def _reports(plant, began, today, target, officer, rng) -> None:
    start = (
        plant.stage_changes.filter(to_stage="under_construction").values_list("date", flat=True).first()
        or began
    )
    span = max((today - start).days - 25, 10)
    points = 4
    for index in range(1, points + 1):
        day = start + dt.timedelta(days=span * index // points)
        percent = target * index // points
        services.report_progress(
            plant, date=min(day, today), percent=percent, note="گزارش پیشرفت فیزیکی ماهانه", by=officer
        )


def _connections(producing, served, rng) -> None:
    rows = []
    for unit, _key in producing:
        group = environmental_group(unit.isic.code if unit.isic_id and unit.isic else None)
        in_served = unit.estate_id in served
        connected = in_served and rng.random() < 0.85
        rows.append(
            UnitConnection(
                unit=unit,
                connected=connected,
                connected_on=(unit.status_since or dt.date(2023, 1, 1)) if connected else None,
                receiving_body="sewer" if in_served else rng.choice(["surface_water", "irrigation", "sewer"]),
                pretreatment_in_place=group in PRETREATMENT_GROUPS and rng.random() < 0.7,
            )
        )
    UnitConnection.objects.bulk_create(rows, batch_size=500)


_LABS = ["آزمایشگاه معتمد محیط زیست رشت", "آزمایشگاه آب‌پژوه گیلان", "Caspian Water Lab"]


def _tests(producing, served, today, officer, rng) -> int:
    candidates = [
        unit
        for unit, _key in producing
        if unit.estate_id in served
        and environmental_group(unit.isic.code if unit.isic else None) in PRETREATMENT_GROUPS
    ][:45]
    recorded = 0
    for index, unit in enumerate(candidates):
        failing = index % 7 == 0  # about one unit in seven fails; the first fails twice (repeated)
        count = 3 if index == 0 else rng.randint(1, 2)
        for shot in range(count):
            day = today - dt.timedelta(days=300 - shot * 110 - rng.randint(0, 30))
            fails = failing and ((index == 0 and shot < 2) or (index != 0 and shot == count - 1))
            values = {
                "cod": Decimal(rng.randint(620, 1400) if fails else rng.randint(120, 450)),
                "bod5": Decimal(rng.randint(80, 230)),
                "tss": Decimal(rng.randint(60, 220)),
                "ph": Decimal(str(round(rng.uniform(6.7, 8.6), 1))),
                "oil_grease": Decimal(rng.randint(3, 18)),
            }
            services.record_test(
                unit,
                {"sampled_on": day, "lab": rng.choice(_LABS), "receiving_body": "sewer", **values},
                by=officer,
            )
            recorded += 1
    return recorded


def _listings(producing, rng) -> list[ResourceListing]:
    by_key: dict[str, list[ProductionUnit]] = {}
    for unit, key in producing:
        by_key.setdefault(key, []).append(unit)
    rows = []
    for table, direction in ((_HAVES, "have"), (_WANTS, "want")):
        for key, offers in table.items():
            for unit in _pick(by_key, key, 3):
                for material, low, high, form, description in offers:
                    rows.append(
                        ResourceListing(
                            unit=unit,
                            direction=direction,
                            material=material,
                            description=description,
                            tonnes_per_year=Decimal(rng.randint(low, high) // 10 * 10),
                            form=form,
                            place=unit.estate.name,
                        )
                    )
    return ResourceListing.objects.bulk_create(rows)


# (material, the stages it goes through, tonnes at contract, value a year in rial)
_EXCHANGES = [
    ("rice_husk", ["trial", "contract", "running"], Decimal(600), 4_800_000_000),
    ("sawdust", ["contract", "running"], Decimal(450), 2_700_000_000),
    ("whey", ["trial", "contract"], Decimal(900), 1_800_000_000),
    ("scrap_metal", ["trial"], None, None),
    ("fish_waste", ["lost"], None, None),
]


def _exchanges(listings, today, officer) -> int:
    proposals = services.proposals(officer)
    started = 0
    used: set[int] = set()
    for material, path, tonnes, value in _EXCHANGES:
        proposal = next(
            (
                p
                for p in proposals
                if p.have.material == material and p.have.id not in used and p.want.id not in used
            ),
            None,
        )
        if proposal is None:
            continue
        used |= {proposal.have.id, proposal.want.id}
        have = ResourceListing.objects.select_related("unit__estate").get(pk=proposal.have.id)
        want = ResourceListing.objects.select_related("unit__estate").get(pk=proposal.want.id)
        day = today - dt.timedelta(days=240)
        link = services.start_exchange(have, want, by=officer, on=day)
        for step in path:
            day += dt.timedelta(days=45)
            services.move_exchange(
                link,
                step,
                date=day,
                tonnes_per_year=tonnes if step == "contract" else None,
                value_rial=value if step == "contract" else None,
                lost_reason="هزینه حمل بیش از ارزش ماده" if step == "lost" else "",
                note="",
                by=officer,
            )
        started += 1
    return started
