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

The trades live in ``registry_trades.py`` and the needs in ``registry_needs.py``; this module draws the units
from them, grades each unit against each need and writes the files.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from registry_needs import HOLDOUT_EVERY, NEEDS, Need
from registry_trades import TRADES, Trade

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
