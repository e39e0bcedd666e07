"""The demo exports: monthly export records of the export-oriented units in production across three Jalali
years, the large buyers' own exports to their markets (where the value chains end), and the inputs the
buyers declare they buy outside the province. Deterministic (seeded RNG); dates relative to the day it runs.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from peyvand.accounts.models import Organisation
from peyvand.core.jalali import to_jalali
from peyvand.matching.text import fold, normalize
from peyvand.sourcing.models import SourcingRequest
from peyvand.taxonomy.choices import Level, Scheme
from peyvand.taxonomy.models import Classification
from peyvand.trade import countries, hs, services
from peyvand.trade.models import BuyerInput, ExportRecord
from peyvand.units.choices import PRODUCING
from peyvand.units.models import Product, ProductionUnit

from .catalog.buyers import BUYERS

# What each demo buyer exports (HS 2022 subheading, Persian and English product names).
BUYER_GOODS = {
    "deylam_green_leaf_tea": ("090240", "چای سیاه بسته‌بندی", "Packed black tea"),
    "kadus_golden_paddy": ("100630", "برنج سفید هاشمی", "Milled Hashemi rice"),
    "kuhsar_dairy": ("040610", "پنیر تازه", "Fresh cheese"),
    "toranj_sabz_concentrate": ("200989", "کنسانتره آب میوه", "Fruit juice concentrate"),
    "negin_caspian_seafood": ("030389", "ماهی منجمد", "Frozen fish"),
    "siminkuh_olive": ("150920", "روغن زیتون فرابکر", "Extra virgin olive oil"),
    "sofreh_sabz_food": ("200599", "ترشی و شور", "Pickled vegetables"),
    "sepehr_gilan_auto_parts": ("870899", "قطعات خودرو", "Vehicle parts"),
    "nikasa_home_appliances": ("841810", "یخچال فریزر", "Refrigerator-freezers"),
    "rakhshan_caspian_cable": ("854449", "سیم و کابل برق", "Electric wire and cable"),
    "anjili_furniture_export": ("940360", "مبلمان چوبی", "Wooden furniture"),
    "sepidbarg_paper": ("481910", "کارتن کنگره‌ای", "Corrugated cartons"),
    "sahelsazan_construction": ("730890", "سازه فلزی", "Steel structures"),
    "hyrcan_phyto_pharma": ("300490", "داروی گیاهی", "Herbal medicines"),
}
NEIGHBOURS = ["IQ", "AF", "AE", "AZ", "AM", "TR", "RU", "TM", "OM", "QA", "KW", "TJ", "GE", "KZ", "UZ"]
MONTHS_BACK = 30  # two and a half Jalali years: the current year and the two before it


def _months(today: dt.date) -> list[tuple[int, int]]:
    """(year, month) of the Jalali months from ``MONTHS_BACK`` ago to the current one."""
    jday = to_jalali(today)
    year, month = jday.year, jday.month
    months = []
    for _ in range(MONTHS_BACK + 1):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def first_subheadings() -> dict[str, str]:
    """The first HS subheading under each heading in the HS list loaded here: the official table when it
    was loaded, else the subheadings the project ships (``taxonomy/data/hs2022_subheadings.csv``), so that
    a clone without ``../shared/data`` still has export records."""
    first: dict[str, str] = {}
    subheadings = Classification.objects.filter(scheme=Scheme.HS2022, level=Level.SUBHEADING)
    for code in subheadings.order_by("code").values_list("code", flat=True):
        first.setdefault(code[:4], code)
    return first


def _six_digits(product: Product, first: dict[str, str]) -> str | None:
    """A 6-digit subheading for a demo product: the first under its heading, else the suggester's best."""
    if product.hs_id and product.hs.code[:4] in first:
        return first[product.hs.code[:4]]
    suggestions = hs.suggest(product.name_en or product.name, top=1)
    return suggestions[0]["code"] if suggestions else None


def _record(rng: random.Random, **fields: Any) -> ExportRecord:
    """An export record checked and completed as the service does (company, month), for a bulk insert."""
    record = ExportRecord(
        source=rng.choices(["customs", "own_statement", "estimate"], weights=[7, 2, 1])[0], **fields
    )
    services.prepare(record)
    record.search_text = fold(f"{record.product} {record.hs_code}")
    return record


class TradeBuilder:
    def __init__(self, company: Organisation, today: dt.date, seed: int = 1413) -> None:
        self.company = company
        self.today = today
        self.rng = random.Random(seed)
        self.months = [
            (year, month) for year, month in _months(today) if services.period_start(year, month) <= today
        ]
        self.rial_per_usd = 600_000

    def unit_exports(self) -> list[ExportRecord]:
        rng = self.rng
        first = first_subheadings()
        units = (
            ProductionUnit.objects.filter(
                estate__company=self.company, export_oriented=True, status__in=PRODUCING
            )
            .select_related("estate")
            .prefetch_related(Prefetch("products", queryset=Product.objects.select_related("hs")))
            .order_by("pk")
        )
        records = []
        for unit in units:
            products = list(unit.products.all())[:2]
            markets = rng.sample(NEIGHBOURS, k=rng.randint(1, 3))
            scale = max(unit.employees or 10, 5) * rng.uniform(300, 1200)
            for product in products:
                code = _six_digits(product, first)
                if code is None:
                    continue
                for year, month in self.months:
                    if rng.random() > 0.3:
                        continue
                    value = int(scale * rng.uniform(0.5, 1.6))
                    records.append(
                        _record(
                            rng,
                            unit=unit,
                            product=product.name,
                            hs_code=code,
                            destination=rng.choice(markets),
                            value_usd=value,
                            value_rial=value * self.rial_per_usd,
                            quantity=Decimal(max(1, value // 900)),
                            quantity_unit="تن",
                            year=year,
                            month=month,
                        )
                    )
        return records

    def buyer_exports(self, buyers: dict[str, Organisation]) -> list[ExportRecord]:
        rng = self.rng
        records = []
        for item in BUYERS:
            buyer = buyers.get(item["code"])
            goods = BUYER_GOODS.get(item["code"])
            if buyer is None or goods is None:
                continue
            code, name_fa, _name_en = goods
            markets = [
                country
                for country in (countries.find(name) for name in item.get("export_markets", []))
                if country
            ]
            markets = markets or rng.sample(NEIGHBOURS, k=2)
            for year, month in self.months:
                for destination in markets:
                    if rng.random() > 0.45:
                        continue
                    value = int(rng.uniform(40_000, 400_000))
                    records.append(
                        _record(
                            rng,
                            buyer=buyer,
                            product=name_fa,
                            hs_code=code,
                            destination=destination,
                            value_usd=value,
                            value_rial=value * self.rial_per_usd,
                            year=year,
                            month=month,
                        )
                    )
        return records

    def inputs(self, buyers: dict[str, Organisation], officer: Any) -> int:
        """Two or three inputs per buyer from its own sourcing needs, bought from abroad or other provinces."""
        rng = self.rng
        created = 0
        for item in BUYERS:
            buyer = buyers.get(item["code"])
            if buyer is None:
                continue
            for number, template in enumerate(item["requests"][: rng.randint(2, 3)]):
                yearly = Decimal(template["quantity"]) * rng.choice([4, 6, 12])
                suggestion = hs.suggest(template["title_en"], top=1)
                declared = BuyerInput(
                    buyer=buyer,
                    name=template["title_fa"][:200],
                    description=template["text_fa"][:3000],
                    hs_code=suggestion[0]["code"] if suggestion else "",
                    yearly_quantity=yearly,
                    quantity_unit=template["unit_fa"][:30],
                    yearly_value_rial=int(yearly * template["target_price_rial"])
                    if template["target_price_rial"]
                    else None,
                    origin=["imported", "other_province", "imported", "local"][number % 4],
                )
                services.save_input(declared, by=officer)
                # The bridge's demo requests come from the same needs: the one filed for this input.
                titles = [normalize(template["title_fa"]), normalize(template["title_en"])]
                filed = SourcingRequest.objects.filter(buyer=buyer, title__in=titles).order_by("pk").first()
                if filed is not None and declared.origin != "local":
                    BuyerInput.objects.filter(pk=declared.pk).update(request=filed)
                created += 1
        return created

    def build(self, officer: Any) -> dict[str, int]:
        buyers = {
            item["code"]: organisation
            for item in BUYERS
            for organisation in Organisation.objects.filter(kind="buyer", name=item["name_fa"])[:1]
        }
        records = self.unit_exports() + self.buyer_exports(buyers)
        ExportRecord.objects.bulk_create(records, batch_size=1000)
        return {"export_records": len(records), "inputs": self.inputs(buyers, officer)}


def seed_trade(company: Organisation, today: dt.date, officer: Any) -> dict[str, int]:
    return TradeBuilder(company, today).build(officer)
