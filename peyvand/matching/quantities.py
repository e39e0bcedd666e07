"""Read capacities and quantities written as free text («ماهانه ۶۰ هزار قطعه», "8,000 pcs/month", "3 t/day").

Only what is needed for a soft preference: an amount per month and the kind of unit (mass, count, area,
volume, length). Anything unreadable gives ``None`` and simply earns no capacity bonus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peyvand.matching.text import normalize

_MULTIPLIERS = {
    "هزار": 1e3,
    "k": 1e3,
    "thousand": 1e3,
    "میلیون": 1e6,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
}
_UNITS: dict[str, tuple[str, float]] = {
    "t": ("mass", 1.0),
    "ton": ("mass", 1.0),
    "tons": ("mass", 1.0),
    "tonne": ("mass", 1.0),
    "tonnes": ("mass", 1.0),
    "تن": ("mass", 1.0),
    "kg": ("mass", 0.001),
    "کیلو": ("mass", 0.001),
    "کیلوگرم": ("mass", 0.001),
    "m2": ("area", 1.0),
    "m²": ("area", 1.0),
    "مترمربع": ("area", 1.0),
    "m3": ("volume", 1.0),
    "m³": ("volume", 1.0),
    "مترمکعب": ("volume", 1.0),
    "l": ("liquid", 1.0),
    "litre": ("liquid", 1.0),
    "liter": ("liquid", 1.0),
    "litres": ("liquid", 1.0),
    "لیتر": ("liquid", 1.0),
    "km": ("length", 1000.0),
    "کیلومتر": ("length", 1000.0),
}
_COUNT_WORDS = frozenset(
    """
    pcs pc pieces piece units unit parts boxes box cartons pallets panels fittings sheets labels bottles
    containers pairs machines sets reels rolls bags cans jars projects vessels عدد قطعه دستگاه تابلو ظرف
    قوطی بطری پالت جعبه کارتن لیبل برچسب ورق برد پنل جفت کیسه شیشه گالن دبه سبد قالب ست رول بسته برگ دست
    چراغ شناور پروژه
    """.split()  # noqa: SIM905
)
_PERIODS: dict[str, float] = {
    "day": 25.0,
    "daily": 25.0,
    "روز": 25.0,
    "روزانه": 25.0,
    "week": 4.3,
    "weekly": 4.3,
    "هفته": 4.3,
    "هفتگی": 4.3,
    "month": 1.0,
    "monthly": 1.0,
    "ماه": 1.0,
    "ماهانه": 1.0,
    "ماهیانه": 1.0,
    "year": 1 / 12,
    "yearly": 1 / 12,
    "annual": 1 / 12,
    "annually": 1 / 12,
    "سال": 1 / 12,
    "سالانه": 1 / 12,
    "سالیانه": 1 / 12,
    "season": 1 / 4,
    "فصل": 1 / 4,
    "hour": 200.0,
    "h": 200.0,
    "ساعت": 200.0,
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+|[²³]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount per month in a unit kind; ``per_month`` is False for a one-off total."""

    amount: float
    kind: str
    per_month: bool
    text: str


def parse_quantity(text: str | None) -> Quantity | None:
    """The first readable amount in ``text`` with its unit kind and period, as an amount per month."""
    normal = normalize(text).lower().replace("\u200c", "").replace("متر مربع", "مترمربع")
    normal = normal.replace("متر مکعب", "مترمکعب").replace("/", " / ")
    normal = re.sub(r"(\d)([a-z\u0600-\u06ff])", r"\1 \2", normal)
    match = _NUMBER.search(normal)
    if not match:
        return None
    raw = match.group()
    number = (
        float(raw.replace(",", ""))
        if raw.count(",") != 1 or len(raw.split(",")[1]) == 3
        else float(raw.replace(",", "."))
    )
    before = _WORD.findall(normal[: match.start()])[-2:]
    after = _WORD.findall(normal[match.end() :])
    kind: str | None = None
    factor = 1.0
    period: float | None = None
    for word in [*before, *after[:6]]:
        if word in _PERIODS and period is None:
            period = _PERIODS[word]
    for word in after[:4]:
        if word in _MULTIPLIERS and kind is None and factor == 1.0:
            factor = _MULTIPLIERS[word]
            continue
        if word in _UNITS:
            kind, scale = _UNITS[word]
            factor *= scale
            break
        if word in _COUNT_WORDS or word.rstrip("s") in _COUNT_WORDS:
            kind = "count"
            break
    if kind is None:
        return None
    amount = number * factor * (period if period is not None else 1.0)
    return Quantity(amount=amount, kind=kind, per_month=period is not None, text=normalize(text))


def covers(capacity: Quantity | None, need: Quantity | None) -> bool | None:
    """Whether a monthly capacity covers a need (None when the two cannot be compared)."""
    if capacity is None or need is None or capacity.kind != need.kind or not capacity.per_month:
        return None
    if need.per_month:
        return capacity.amount >= need.amount
    return capacity.amount * 6 >= need.amount  # a one-off order delivered within about six months
