"""A development set that looks like a real estate registry: terse Persian activity lines, no English.

    .venv/bin/python bench/registry_set.py        # writes bench/data/registry/*.jsonl and qrels (deterministic)

Every line below was written for this set (never copied from the shared DEV set). A unit carries what an
operation licence and a registry row carry: one activity line of one to seven words as licences write it
(colloquial and misspelt forms, Arabic ي/ك, half-spaces typed as spaces or dropped), sometimes only a
company name that says the trade, an ISIC class for most units, products and HS codes for some,
certifications, a county, a capacity, and a status (some idle or closed). Many units share one line.

Each need is written once in Persian and once in English (the same need), with graded judgements:

* 3 — the unit does what the need asks, is operating and holds the certifications the need prefers;
* 2 — the same trade but semi-active, or lacking a preferred certification;
* 1 — a neighbouring trade that could partly serve (same family);
* 0 — anything else; idle, closed or not-yet-built units are always 0.

Needs are split into ``dev`` (used while developing) and ``holdout`` (scored only for the report).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "registry"
COUNTIES = (
    "رشت",
    "لاهیجان",
    "بندر انزلی",
    "صومعه سرا",
    "فومن",
    "لنگرود",
    "آستارا",
    "طوالش",
    "رودبار",
    "آستانه اشرفیه",
    "رودسر",
    "شفت",
    "سیاهکل",
    "ماسال",
    "رضوانشهر",
    "املش",
    "خمام",
)
ESTATES = {
    "رشت": ("شهرک صنعتی سفیدرود", "شهرک صنعتی رشت"),
    "لاهیجان": ("شهرک صنعتی لاهیجان",),
    "بندر انزلی": ("ناحیه صنعتی غازیان",),
    "صومعه سرا": ("ناحیه صنعتی صومعه سرا",),
    "فومن": ("ناحیه صنعتی فومن",),
    "لنگرود": ("شهرک صنعتی لنگرود",),
    "آستارا": ("شهرک صنعتی آستارا",),
    "طوالش": ("ناحیه صنعتی طوالش",),
    "رودبار": ("شهرک صنعتی رودبار",),
    "آستانه اشرفیه": ("ناحیه صنعتی کیاشهر",),
    "رودسر": ("ناحیه صنعتی رودسر",),
    "شفت": ("ناحیه صنعتی شفت",),
    "سیاهکل": ("ناحیه صنعتی سیاهکل",),
    "ماسال": ("ناحیه صنعتی ماسال",),
    "رضوانشهر": ("ناحیه صنعتی رضوانشهر",),
    "املش": ("ناحیه صنعتی املش",),
    "خمام": ("شهرک صنعتی خمام",),
}


@dataclass(frozen=True)
class Trade:
    """One trade as registries write it: licence lines, name words, ISIC class, products, HS codes."""

    key: str
    family: str
    lines: tuple[str, ...]  # activity lines as licences write them (first: the most common)
    name_words: tuple[str, ...]  # how a company name says the trade
    isic: str
    products: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    units: int = 8
    food: bool = False


TRADES = (
    # ---- food
    Trade(
        "tea_pack",
        "food",
        ("بسته‌بندی چای", "بسته بندی چای", "بسته‌بندي چاي خارجی و ایرانی", "بسته بندی و توزیع چای"),
        ("چای", "چای‌سازان"),
        "1079",
        ("چای سیاه بسته‌بندی", "چای کیسه‌ای"),
        ("090230",),
        40,
        True,
    ),
    Trade(
        "tea_factory",
        "food",
        ("چایسازی", "کارخانه چای‌سازی", "تولید چای خشک", "فرآوری برگ سبز چای"),
        ("چایسازی", "چای"),
        "1079",
        ("چای سیاه فله",),
        ("090240",),
        14,
        True,
    ),
    Trade(
        "rice_mill",
        "food",
        ("شالیکوبی", "برنجکوبی", "شالی کوبی و سورت برنج", "کارخانه شالیکوبی"),
        ("شالیکوبی", "برنج"),
        "1061",
        ("برنج سفید",),
        ("100630",),
        36,
        True,
    ),
    Trade(
        "legumes_pack",
        "food",
        ("بسته‌بندی حبوبات", "بسته بندی حبوبات و خشکبار", "سورت و بسته بندی حبوبات"),
        ("حبوبات",),
        "1079",
        ("عدس", "لوبیا", "نخود"),
        ("071340",),
        9,
        True,
    ),
    Trade(
        "dairy",
        "food",
        ("تولید لبنیات", "تولید شیر پاستوریزه و ماست", "لبنیات سنتی", "تولید پنیر و دوغ"),
        ("لبنیات", "شیر"),
        "1050",
        ("ماست", "پنیر", "دوغ"),
        ("040320",),
        12,
        True,
    ),
    Trade(
        "fish_freeze",
        "food",
        ("عمل‌آوری و انجماد ماهی", "فرآوری آبزیان", "انجماد ماهی و میگو"),
        ("آبزیان", "ماهی"),
        "1020",
        ("ماهی منجمد", "فیله ماهی"),
        ("030389",),
        8,
        True,
    ),
    Trade(
        "pickles",
        "food",
        ("تولید ترشیجات و شوریجات", "ترشی و شور", "تولید انواع ترشی و مربا"),
        ("ترشی", "غذایی"),
        "1030",
        ("ترشی سیر", "زیتون شور"),
        ("200190",),
        8,
        True,
    ),
    Trade(
        "bakery",
        "food",
        ("تولید نان حجیم و نیمه حجیم", "نان صنعتی", "تولید کیک و کلوچه", "کلوچه پزی"),
        ("نان", "کلوچه"),
        "1071",
        ("نان تست", "کلوچه"),
        ("190590",),
        10,
        True,
    ),
    Trade(
        "olive_oil",
        "food",
        ("تولید روغن زیتون", "روغن کشی زیتون", "عصاره گیری و روغن کشی زیتون"),
        ("زیتون",),
        "1040",
        ("روغن زیتون فرابکر",),
        ("150920",),
        7,
        True,
    ),
    Trade(
        "feed",
        "food",
        ("تولید خوراک دام و طیور", "تولید خوراک آبزیان", "کارخانه خوراک دام"),
        ("خوراک دام", "دان"),
        "1080",
        ("کنسانتره دامی", "خوراک ماهی"),
        ("230990",),
        7,
        True,
    ),
    Trade(
        "honey",
        "food",
        ("بسته‌بندی عسل", "فرآوری و بسته بندی عسل"),
        ("عسل", "کندو"),
        "1079",
        ("عسل",),
        ("040900",),
        5,
        True,
    ),
    # ---- plastics
    Trade(
        "pe_pipe",
        "plastics",
        (
            "تولید لوله و اتصالات پلی‌اتیلن",
            "تولید لوله پلی اتیلن",
            "لوله پلی اتلین",
            "تولید لوله و اتصالات پلی اتیلن آبیاری",
        ),
        ("لوله", "پلیمر"),
        "2220",
        ("لوله پلی‌اتیلن", "اتصالات جوشی"),
        ("391721",),
        22,
    ),
    Trade(
        "pvc_pipe",
        "plastics",
        ("تولید لوله پی وی سی", "تولید لوله پلیکا", "لوله و اتصالات پی‌وی‌سی فاضلابی"),
        ("لوله", "پلیکا"),
        "2220",
        ("لوله پلیکا فاضلابی",),
        ("391723",),
        8,
    ),
    Trade(
        "plastic_bags",
        "plastics",
        ("تولید کیسه نایلون", "تولید نایلون و نایلکس", "تولید کیسه فریزر و نایلکس", "نایلکس سازی"),
        ("نایلون", "پلاستیک"),
        "2220",
        ("نایلکس", "کیسه زباله"),
        ("392321",),
        12,
    ),
    Trade(
        "disposable",
        "plastics",
        ("تولید ظروف یکبار مصرف", "ظروف یک بار مصرف پلاستیکی", "تولید لیوان و بشقاب یکبارمصرف"),
        ("ظروف", "پلاستیک"),
        "2220",
        ("لیوان یکبار مصرف",),
        ("392410",),
        8,
    ),
    Trade(
        "injection",
        "plastics",
        ("تزریق پلاستیک", "تولید قطعات پلاستیکی تزریقی", "قطعات تزریقی پلاستیک خودرو و لوازم خانگی"),
        ("پلاستیک", "تزریق"),
        "2220",
        ("قطعات پلاستیکی",),
        ("392690",),
        10,
    ),
    Trade(
        "rubber_parts",
        "plastics",
        ("تولید قطعات لاستیکی", "قطعات صنعتی لاستیکی و واشر", "تولید لاستیک صنعتی"),
        ("لاستیک",),
        "2219",
        ("واشر لاستیکی", "بوش لاستیکی"),
        ("401699",),
        6,
    ),
    # ---- metals
    Trade(
        "steel_struct",
        "metals",
        ("ساخت اسکلت فلزی", "تولید سازه‌های فلزی", "ساخت سوله و اسکلت فلزی"),
        ("سازه", "فلز"),
        "2511",
        ("سوله", "اسکلت فلزی"),
        ("730890",),
        10,
    ),
    Trade(
        "doors_windows",
        "metals",
        ("ساخت درب و پنجره آلومینیومی", "درب و پنجره آلومینیوم و upvc", "تولید درب و پنجره دوجداره"),
        ("پنجره",),
        "2511",
        ("پنجره دوجداره",),
        ("761010",),
        8,
    ),
    Trade(
        "casting",
        "metals",
        ("ریخته‌گری چدن", "ریخته گری قطعات چدنی و فولادی", "ریخته‌گری فلزات آهنی"),
        ("ریخته‌گری", "ذوب"),
        "2431",
        ("قطعات چدنی",),
        ("732510",),
        7,
    ),
    Trade(
        "machining",
        "metals",
        ("تراشکاری و قطعه سازی", "ماشین کاری قطعات صنعتی", "تراشکاری CNC"),
        ("صنعت", "قطعه‌سازی"),
        "2592",
        ("قطعات ماشینکاری شده",),
        ("848790",),
        9,
    ),
    Trade(
        "galvanize",
        "metals",
        ("گالوانیزه گرم", "آبکاری گالوانیزه", "گالوانیزه کردن قطعات فلزی"),
        ("گالوانیزه",),
        "2592",
        (),
        (),
        5,
    ),
    Trade(
        "wire_mesh",
        "metals",
        ("تولید توری و فنس", "تولید سیم خاردار و توری", "توری بافی"),
        ("توری", "فنس"),
        "2599",
        ("فنس", "توری مرغی"),
        ("731441",),
        6,
    ),
    # ---- electrical
    Trade(
        "elec_panel",
        "electrical",
        ("ساخت تابلو برق", "تولید تابلوهای برق صنعتی", "تابلو سازی برق فشار ضعیف"),
        ("تابلو", "برق"),
        "2710",
        ("تابلو برق فشار ضعیف",),
        ("853710",),
        12,
    ),
    Trade(
        "cable",
        "electrical",
        ("تولید سیم و کابل", "تولید کابل افشان", "سیم و کابل برق ساختمانی"),
        ("کابل", "سیم"),
        "2732",
        ("کابل افشان",),
        ("854449",),
        7,
    ),
    Trade(
        "lighting",
        "electrical",
        ("تولید لامپ و چراغ ال ای دی", "تولید چراغ‌های روشنایی", "مونتاژ لامپ LED"),
        ("نور", "روشنایی"),
        "2740",
        ("لامپ ال‌ای‌دی", "پروژکتور"),
        ("940540",),
        6,
    ),
    # ---- chemicals
    Trade(
        "detergent",
        "chemicals",
        ("تولید مواد شوینده", "تولید مایع ظرفشویی و سفیدکننده", "شوینده و پاک کننده"),
        ("شوینده", "پاک"),
        "2023",
        ("مایع ظرفشویی", "سفیدکننده"),
        ("340220",),
        9,
    ),
    Trade(
        "paint",
        "chemicals",
        ("تولید رنگ ساختمانی", "تولید رنگ و رزین", "رنگ پلاستیک و روغنی"),
        ("رنگ",),
        "2022",
        ("رنگ پلاستیک",),
        ("320910",),
        7,
    ),
    Trade(
        "tile_adhesive",
        "chemicals",
        ("تولید چسب کاشی و پودر بندکشی", "تولید مواد شیمیایی ساختمان", "تولید چسب کاشی"),
        ("شیمی ساختمان", "چسب"),
        "2395",
        ("چسب کاشی پودری",),
        ("321410",),
        6,
    ),
    # ---- construction
    Trade(
        "blocks",
        "construction",
        ("تولید بلوک سیمانی", "تولید تیرچه و بلوک", "بلوک زنی"),
        ("بلوک", "بتن"),
        "2395",
        ("بلوک سیمانی",),
        ("681011",),
        10,
    ),
    Trade(
        "ready_mix",
        "construction",
        ("تولید بتن آماده", "بچینگ بتن", "بتن آماده و قطعات بتنی"),
        ("بتن",),
        "2395",
        (),
        (),
        6,
    ),
    Trade(
        "bricks",
        "construction",
        ("تولید آجر", "آجرپزی", "کوره آجرپزی سنتی", "تولید آجر سفال"),
        ("آجر",),
        "2392",
        ("آجر سفال",),
        ("690410",),
        7,
    ),
    # ---- wood / paper / packaging
    Trade(
        "cabinet",
        "wood",
        ("کابینت سازی", "ساخت کابینت و کمد", "تولید کابینت آشپزخانه ام دی اف"),
        ("کابینت", "چوب"),
        "3100",
        ("کابینت آشپزخانه",),
        ("940340",),
        8,
    ),
    Trade(
        "furniture",
        "wood",
        ("تولید مبلمان", "مبل سازی", "تولید مبلمان اداری و خانگی"),
        ("مبل", "چوب"),
        "3100",
        ("مبلمان راحتی",),
        ("940161",),
        7,
    ),
    Trade(
        "pallet",
        "wood",
        ("تولید پالت چوبی", "ساخت پالت و جعبه چوبی", "پالت سازی"),
        ("پالت",),
        "1623",
        ("پالت چوبی",),
        ("441520",),
        5,
    ),
    Trade(
        "carton",
        "packaging",
        ("تولید کارتن", "تولید کارتن و ورق کارتن سه لایه و پنج لایه", "کارتن سازی"),
        ("کارتن", "بسته‌بندی"),
        "1702",
        ("کارتن پنج لایه",),
        ("481910",),
        11,
    ),
    Trade(
        "printing",
        "packaging",
        ("چاپ و بسته بندی", "چاپ افست و لیبل", "چاپخانه"),
        ("چاپ",),
        "1811",
        ("لیبل", "بروشور"),
        ("491199",),
        6,
    ),
    # ---- textiles
    Trade(
        "garments",
        "textiles",
        ("تولید پوشاک", "تولیدی پوشاک بچگانه", "دوخت لباس", "تولید مانتو و شلوار"),
        ("پوشاک", "لباس"),
        "1410",
        ("مانتو", "لباس کودک"),
        ("620462",),
        10,
    ),
    Trade(
        "workwear",
        "textiles",
        ("تولید لباس کار", "دوخت لباس کار و یونیفرم", "لباس فرم"),
        ("لباس کار",),
        "1410",
        ("لباس کار",),
        ("621133",),
        5,
    ),
    Trade(
        "socks",
        "textiles",
        ("جوراب بافی", "تولید جوراب", "جوراب‌بافی ماشینی"),
        ("جوراب",),
        "1430",
        ("جوراب",),
        ("611595",),
        6,
    ),
    Trade(
        "towel",
        "textiles",
        ("حوله بافی", "تولید حوله و ملحفه", "منسوجات خانگی"),
        ("حوله", "نساجی"),
        "1392",
        ("حوله",),
        ("630260",),
        5,
    ),
    # ---- services
    Trade(
        "cold_store",
        "services",
        ("سردخانه", "سردخانه بالای صفر و زیر صفر", "سردخانه زیر صفر"),
        ("سردخانه",),
        "5210",
        (),
        (),
        8,
    ),
    Trade(
        "repair",
        "services",
        ("تعمیرات ماشین آلات صنعتی", "سیم پیچی الکتروموتور", "تعمیر و نگهداری تجهیزات"),
        ("صنعت", "فنی"),
        "3312",
        (),
        (),
        6,
    ),
    Trade(
        "recycling",
        "recycling",
        ("بازیافت پلاستیک", "تولید گرانول از ضایعات پلاستیک", "بازیافت و آسیاب ضایعات پلاستیکی"),
        ("بازیافت",),
        "3830",
        ("گرانول بازیافتی",),
        ("391590",),
        8,
    ),
)
BY_KEY = {trade.key: trade for trade in TRADES}

GENERIC_NAMES = (
    "آرین",
    "پارس",
    "کاسپین",
    "سپیدرود",
    "دیلمان",
    "البرز",
    "نگین",
    "آفتاب",
    "صدف",
    "مهر",
    "ارس",
    "ستاره",
    "هیرکان",
    "سبلان",
    "رستاک",
    "پیشگامان",
    "نوین",
    "گیل",
    "شمال",
    "پویا",
    "آوا",
    "فجر",
    "دنا",
    "تابان",
)
NAME_PATTERNS = (
    "شرکت {trade} {a} {b}",
    "{trade} {a}",
    "{trade} {a} گیلان",
    "شرکت تولیدی {a} {b}",
    "شرکت {a} گستر {b}",
    "کارگاه {a}",
    "صنایع {a} {b}",
)
STATUSES = ("operating",) * 15 + ("semi_active",) * 2 + ("idle",) * 2 + ("closed", "under_construction")
CERTS_FOOD = ("ISO 22000", "HACCP", "نشان استاندارد", "ISO 9001")
CERTS_OTHER = ("ISO 9001", "نشان استاندارد", "ISO 14001")
CERTS_ELECTRICAL = ("ISO 9001", "نشان استاندارد", "CE")


def _noise(text: str, rnd: random.Random) -> str:
    roll = rnd.random()
    if roll < 0.15:
        text = text.replace("ی", "ي").replace("ک", "ك")
    elif roll < 0.4:
        text = text.replace("\u200c", " ")
    elif roll < 0.5:
        text = text.replace("\u200c", "")
    return text


def _capacity(trade: Trade, rnd: random.Random) -> str:
    if rnd.random() < 0.45:
        return ""
    amount = rnd.choice((50, 120, 300, 800, 1500, 4000))
    unit = (
        rnd.choice(("تن در سال", "تن در ماه"))
        if trade.family in ("food", "plastics", "chemicals")
        else rnd.choice(("تن در سال", "عدد در ماه", "دستگاه در سال"))
    )
    return f"{amount} {unit}"


def make_units(rnd: random.Random) -> list[dict]:
    """The registry's units (every trade's units, then shuffled ids)."""
    units = []
    for trade in TRADES:
        for number in range(trade.units):
            county = rnd.choice(COUNTIES)
            line = trade.lines[0] if number % 3 == 0 else rnd.choice(trade.lines)
            a, b = rnd.sample(GENERIC_NAMES, 2)
            pattern = rnd.choice(NAME_PATTERNS)
            name = pattern.format(trade=rnd.choice(trade.name_words), a=a, b=b)
            style = rnd.random()
            if style < 0.08 and "{trade}" in pattern:
                line = ""  # only the company name says what it does
            elif style < 0.12:
                line, name = (
                    "",
                    f"شرکت تولیدی {a} {b}",
                )  # generic name, no line: the ISIC class and products speak
            certs_pool = (
                CERTS_FOOD
                if trade.food
                else CERTS_ELECTRICAL
                if trade.family == "electrical"
                else CERTS_OTHER
            )
            certifications = sorted({cert for cert in certs_pool if rnd.random() < 0.22})
            has_isic = rnd.random() < 0.7 or not line
            products = (
                list(trade.products[: rnd.randint(1, len(trade.products))])
                if trade.products and (rnd.random() < 0.35 or not line)
                else []
            )
            units.append(
                {
                    "name": _noise(name, rnd),
                    "description": _noise(line, rnd),
                    "products": [_noise(product, rnd) for product in products],
                    "isic": trade.isic if has_isic else "",
                    "hs": list(trade.hs) if products and trade.hs and rnd.random() < 0.5 else [],
                    "certifications": certifications,
                    "county": county,
                    "estate": rnd.choice(ESTATES[county]),
                    "employees": rnd.choice((3, 6, 9, 14, 25, 40, 80)),
                    "capacity": _capacity(trade, rnd),
                    "status": rnd.choice(STATUSES),
                    "lang": "fa",
                    "_trade": trade.key,
                }
            )
    rnd.shuffle(units)
    for number, unit in enumerate(units, start=1):
        unit["id"] = f"reg-{number:04d}"
    return units


@dataclass(frozen=True)
class Need:
    """One buyer need, written in Persian and in English."""

    fa: str
    en: str
    exact: tuple[str, ...]
    close: tuple[str, ...] = ()
    certs: tuple[str, ...] = ()
    county: str = ""


NEEDS = (
    Need(
        "چای سیاه بسته‌بندی شده با برند خریدار، ۲۰ تن در ماه",
        "Packed black tea under our private label, 20 tonnes a month",
        ("tea_pack",),
        ("tea_factory",),
        ("ISO 22000",),
    ),
    Need(
        "خرید چای خشک فله از کارخانه چای‌سازی",
        "Bulk made black tea bought directly from a tea factory",
        ("tea_factory",),
        ("tea_pack",),
    ),
    Need(
        "برنج سفید ایرانی از شالیکوبی برای صادرات",
        "Milled white rice from a rice mill for export",
        ("rice_mill",),
        (),
        ("ISO 22000",),
    ),
    Need(
        "عدس و لوبیا و نخود بسته‌بندی شده برای فروشگاه زنجیره‌ای",
        "Packed lentils, beans and chickpeas for a supermarket chain",
        ("legumes_pack",),
    ),
    Need(
        "ماست و پنیر پاستوریزه برای رستوران‌ها",
        "Pasteurised yoghurt and cheese supplied to restaurants",
        ("dairy",),
        (),
        ("HACCP",),
    ),
    Need(
        "ماهی منجمد و فیله ماهی برای صادرات به روسیه",
        "Frozen fish and fish fillets for export to Russia",
        ("fish_freeze",),
        ("cold_store",),
    ),
    Need(
        "ترشی و زیتون شور در ظرف شیشه‌ای", "Pickled vegetables and brined olives in glass jars", ("pickles",)
    ),
    Need("کیک و کلوچه بسته‌بندی برای پذیرایی", "Packaged cakes and cookies for catering", ("bakery",)),
    Need(
        "روغن زیتون فرابکر در بطری یک لیتری",
        "Extra virgin olive oil in one-litre bottles",
        ("olive_oil",),
        (),
        (),
        "رودبار",
    ),
    Need("خوراک ماهی و کنسانتره دام", "Fish feed and livestock feed concentrate", ("feed",)),
    Need("عسل طبیعی بسته‌بندی", "Natural honey in retail jars", ("honey",)),
    Need(
        "لوله پلی‌اتیلن آبیاری قطر ۶۳ تا ۱۱۰ با اتصالات",
        "HDPE irrigation pipe 63 to 110 mm with fittings",
        ("pe_pipe",),
        ("pvc_pipe",),
        ("نشان استاندارد",),
    ),
    Need(
        "لوله پی‌وی‌سی فاضلابی برای پروژه ساختمانی",
        "PVC sewer pipes for a housing project",
        ("pvc_pipe",),
        ("pe_pipe",),
    ),
    Need(
        "کیسه نایلکس و کیسه زباله برای فروشگاه",
        "Plastic carrier bags and garbage bags for shops",
        ("plastic_bags",),
    ),
    Need("لیوان و ظروف یکبار مصرف برای کترینگ", "Disposable cups and plates for catering", ("disposable",)),
    Need(
        "قطعات پلاستیکی تزریقی برای لوازم خانگی",
        "Injection-moulded plastic parts for home appliances",
        ("injection",),
        ("rubber_parts",),
        ("ISO 9001",),
    ),
    Need(
        "واشر و قطعات لاستیکی صنعتی",
        "Industrial rubber gaskets and moulded rubber parts",
        ("rubber_parts",),
        ("injection",),
    ),
    Need(
        "ساخت سوله و اسکلت فلزی انبار",
        "Steel structure for a warehouse building",
        ("steel_struct",),
        ("galvanize",),
    ),
    Need(
        "پنجره دوجداره آلومینیومی برای ساختمان اداری",
        "Double-glazed aluminium windows for an office building",
        ("doors_windows",),
    ),
    Need("قطعات چدنی ریخته‌گری برای پمپ", "Grey iron castings for pump bodies", ("casting",), ("machining",)),
    Need(
        "ماشینکاری و تراشکاری قطعات صنعتی طبق نقشه",
        "CNC machining of industrial parts to drawing",
        ("machining",),
        ("casting",),
        ("ISO 9001",),
    ),
    Need(
        "گالوانیزه گرم دکل و قطعات فلزی",
        "Hot-dip galvanizing of steel poles and parts",
        ("galvanize",),
        ("steel_struct",),
    ),
    Need("توری و فنس برای محصور کردن زمین", "Wire mesh fencing for a plot boundary", ("wire_mesh",)),
    Need(
        "تابلو برق فشار ضعیف برای کارخانه",
        "Low-voltage electrical switchboards for a factory",
        ("elec_panel",),
        ("cable",),
        ("ISO 9001",),
    ),
    Need("سیم و کابل افشان ساختمانی", "Flexible building wire and cable", ("cable",), ("elec_panel",)),
    Need(
        "چراغ و لامپ ال ای دی برای روشنایی سالن",
        "LED lamps and light fittings for a factory hall",
        ("lighting",),
    ),
    Need("مایع ظرفشویی و سفیدکننده برای هتل", "Dishwashing liquid and bleach for a hotel", ("detergent",)),
    Need("رنگ پلاستیک ساختمانی", "Emulsion wall paint for buildings", ("paint",)),
    Need("چسب کاشی پودری و پودر بندکشی", "Powder tile adhesive and grout", ("tile_adhesive",), ("paint",)),
    Need(
        "بلوک سیمانی و تیرچه برای ساختمان",
        "Concrete blocks and joists for construction",
        ("blocks",),
        ("ready_mix", "bricks"),
    ),
    Need("بتن آماده برای فونداسیون", "Ready-mixed concrete for foundations", ("ready_mix",), ("blocks",)),
    Need("آجر سفال برای ساختمان مسکونی", "Clay bricks for a residential building", ("bricks",), ("blocks",)),
    Need(
        "کابینت آشپزخانه برای ۵۰ واحد مسکونی",
        "Kitchen cabinets for 50 apartments",
        ("cabinet",),
        ("furniture",),
    ),
    Need("مبلمان اداری و صندلی", "Office furniture and chairs", ("furniture",), ("cabinet",)),
    Need("پالت چوبی برای بارگیری صادراتی", "Wooden pallets for export loading", ("pallet",)),
    Need(
        "کارتن پنج لایه برای بسته‌بندی کیوی",
        "Five-ply corrugated cartons for packing kiwifruit",
        ("carton",),
        ("printing",),
    ),
    Need("چاپ لیبل و بروشور", "Printing of labels and brochures", ("printing",), ("carton",)),
    Need(
        "دوخت لباس کودک و مانتو",
        "Sewing of children's clothes and women's coats",
        ("garments",),
        ("workwear",),
    ),
    Need(
        "لباس کار و یونیفرم برای کارگران",
        "Work clothes and uniforms for factory staff",
        ("workwear",),
        ("garments",),
    ),
    Need("جوراب نخی مردانه", "Men's cotton socks", ("socks",)),
    Need("حوله و ملحفه برای هتل", "Towels and bed sheets for a hotel", ("towel",)),
    Need(
        "نگهداری میوه در سردخانه زیر صفر",
        "Frozen cold storage space for fruit",
        ("cold_store",),
        ("fish_freeze",),
    ),
    Need(
        "تعمیر الکتروموتور و ماشین آلات کارخانه",
        "Repair of electric motors and factory machinery",
        ("repair",),
    ),
    Need("گرانول پلاستیک بازیافتی", "Recycled plastic granules", ("recycling",)),
)
HOLDOUT_EVERY = 3  # every third need is kept out of development


def grade(unit: dict, need: Need) -> int:
    if unit["status"] not in ("operating", "semi_active"):
        return 0
    trade = unit["_trade"]
    if trade in need.exact:
        held = set(unit["certifications"])
        if unit["status"] == "semi_active" or any(cert not in held for cert in need.certs):
            return 2
        return 3
    if trade in need.close:
        return 1
    return 0


def main() -> None:
    rnd = random.Random(1405)
    units = make_units(rnd)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "profiles.jsonl", "w", encoding="utf-8") as handle:
        for unit in units:
            handle.write(
                json.dumps({k: v for k, v in unit.items() if k != "_trade"}, ensure_ascii=False) + "\n"
            )
    parts = {"dev": ([], []), "holdout": ([], [])}
    for number, need in enumerate(NEEDS, start=1):
        part = "holdout" if number % HOLDOUT_EVERY == 0 else "dev"
        requests, qrels = parts[part]
        for lang, text in (("fa", need.fa), ("en", need.en)):
            request_id = f"rreq-{number:03d}-{lang}"
            requests.append(
                {
                    "id": request_id,
                    "lang": lang,
                    "text": text,
                    "required_certifications": list(need.certs),
                    "preferred_county": need.county,
                    "need": f"need-{number:03d}",
                }
            )
            for unit in units:
                value = grade(unit, need)
                relevant_trade = unit["_trade"] in need.exact + need.close
                if value or relevant_trade:
                    qrels.append(f"{request_id}\t{unit['id']}\t{value}")
    for part, (requests, qrels) in parts.items():
        with open(OUT / f"requests-{part}.jsonl", "w", encoding="utf-8") as handle:
            for request in requests:
                handle.write(json.dumps(request, ensure_ascii=False) + "\n")
        (OUT / f"qrels-{part}.tsv").write_text("\n".join(qrels) + "\n", encoding="utf-8")
    trades = {unit["_trade"] for unit in units}
    print(f"{len(units)} units, {len(trades)} trades, {len(NEEDS)} needs × 2 languages → {OUT}")


if __name__ == "__main__":
    main()
