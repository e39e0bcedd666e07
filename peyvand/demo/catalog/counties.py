"""Gilan province and its 17 counties (codes are stable lowercase ASCII slugs).

Persian names are given without the word «شهرستان»; ``lat``/``lon`` are approximate label points
(a point inside the county) for maps of the demo data.
"""

from __future__ import annotations

PROVINCE = {"code": "gilan", "name_fa": "گیلان", "name_en": "Gilan"}

COUNTIES = [
    {"code": "astara", "name_fa": "آستارا", "name_en": "Astara", "lat": 38.405, "lon": 48.796},
    {
        "code": "astaneh_ashrafiyeh",
        "name_fa": "آستانه اشرفیه",
        "name_en": "Astaneh-ye Ashrafiyeh",
        "lat": 37.361,
        "lon": 49.979,
    },
    {"code": "amlash", "name_fa": "املش", "name_en": "Amlash", "lat": 37.012, "lon": 50.182},
    {
        "code": "bandar_anzali",
        "name_fa": "بندر انزلی",
        "name_en": "Bandar Anzali",
        "lat": 37.490,
        "lon": 49.469,
    },
    {"code": "rasht", "name_fa": "رشت", "name_en": "Rasht", "lat": 37.268, "lon": 49.676},
    {"code": "rezvanshahr", "name_fa": "رضوانشهر", "name_en": "Rezvanshahr", "lat": 37.533, "lon": 49.008},
    {"code": "rudbar", "name_fa": "رودبار", "name_en": "Rudbar", "lat": 36.785, "lon": 49.673},
    {"code": "rudsar", "name_fa": "رودسر", "name_en": "Rudsar", "lat": 36.973, "lon": 50.344},
    {"code": "siahkal", "name_fa": "سیاهکل", "name_en": "Siahkal", "lat": 36.968, "lon": 49.924},
    {"code": "shaft", "name_fa": "شفت", "name_en": "Shaft", "lat": 37.167, "lon": 49.421},
    {"code": "sowmeh_sara", "name_fa": "صومعه‌سرا", "name_en": "Sowme'eh Sara", "lat": 37.334, "lon": 49.284},
    {"code": "talesh", "name_fa": "طوالش", "name_en": "Talesh", "lat": 37.942, "lon": 48.848},
    {"code": "fuman", "name_fa": "فومن", "name_en": "Fuman", "lat": 37.220, "lon": 49.213},
    {"code": "lahijan", "name_fa": "لاهیجان", "name_en": "Lahijan", "lat": 37.264, "lon": 50.064},
    {"code": "langarud", "name_fa": "لنگرود", "name_en": "Langarud", "lat": 37.140, "lon": 50.129},
    {"code": "masal", "name_fa": "ماسال", "name_en": "Masal", "lat": 37.371, "lon": 49.051},
    {"code": "khomam", "name_fa": "خمام", "name_en": "Khomam", "lat": 37.403, "lon": 49.644},
]

COUNTY_CODES = frozenset(county["code"] for county in COUNTIES)
COUNTY_BY_CODE = {county["code"]: county for county in COUNTIES}
