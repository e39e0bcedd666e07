"""33 invented industrial estates («شهرک صنعتی», kind ``estate``) and industrial zones («ناحیه صنعتی»,
kind ``zone``) spread over Gilan's 17 counties.

Names are invented (rivers, trees and landscape words of Gilan), never those of real estates.
``plots`` is the number of plots laid out; the total (≈1,590) leaves free plots once ~900 demo
units are placed. The five networks are ``ready``, ``partial``, ``planned`` or ``none``: the older
and larger estates are readier and only some have a wastewater network.
"""

from __future__ import annotations

# (water, power, gas, telecom, wastewater)
_FULL = ("ready", "ready", "ready", "ready", "ready")
_MATURE = ("ready", "ready", "ready", "ready", "partial")
_MATURE_NO_WW = ("ready", "ready", "ready", "ready", "planned")
_GROWING = ("ready", "ready", "partial", "ready", "none")
_ZONE = ("ready", "ready", "partial", "partial", "none")
_YOUNG = ("partial", "ready", "planned", "partial", "none")
_NEW = ("partial", "partial", "planned", "planned", "none")


def _estate(code, name_fa, name_en, county, kind, total, industrial, plots, infra, lat, lon):
    water, power, gas, telecom, wastewater = infra
    label_fa = "شهرک صنعتی" if kind == "estate" else "ناحیه صنعتی"
    label_en = "Industrial Estate" if kind == "estate" else "Industrial Zone"
    return {
        "code": code,
        "name_fa": f"{label_fa} {name_fa}",
        "name_en": f"{name_en} {label_en}",
        "county": county,
        "kind": kind,
        "total_area_ha": total,
        "industrial_area_ha": industrial,
        "plots": plots,
        "water": water,
        "power": power,
        "gas": gas,
        "telecom": telecom,
        "wastewater": wastewater,
        "lat": lat,
        "lon": lon,
    }


ESTATES = [
    # Rasht — the provincial centre: the two big estates and four smaller sites.
    _estate("sepidrud", "سپیدرود", "Sepidrud", "rasht", "estate", 412.0, 298.5, 180, _FULL, 37.205, 49.626),
    _estate("goharrud", "گوهررود", "Goharrud", "rasht", "estate", 236.0, 171.0, 120, _FULL, 37.318, 49.556),
    _estate("zarjub", "زرجوب", "Zarjub", "rasht", "estate", 168.5, 120.0, 95, _MATURE, 37.246, 49.712),
    _estate(
        "now_caspian", "نوکاسپین", "Now-Caspian", "rasht", "estate", 148.0, 104.5, 70, _YOUNG, 37.216, 49.546
    ),
    _estate("pasikhan", "پسیخان", "Pasikhan", "rasht", "zone", 48.0, 35.5, 38, _ZONE, 37.291, 49.532),
    _estate("narenjestan", "نارنجستان", "Narenjestan", "rasht", "zone", 39.0, 28.0, 30, _NEW, 37.352, 49.758),
    # Bandar Anzali — fish, cold storage and logistics by the port.
    _estate(
        "mowjkenar",
        "موج‌کنار",
        "Mowjkenar",
        "bandar_anzali",
        "estate",
        102.0,
        71.0,
        70,
        _MATURE,
        37.468,
        49.516,
    ),
    _estate("nilufar", "نیلوفر", "Nilufar", "bandar_anzali", "zone", 31.0, 22.5, 24, _ZONE, 37.462, 49.332),
    # Astara — border trade.
    _estate(
        "marzban", "مرزبان", "Marzban", "astara", "estate", 86.0, 60.0, 55, _MATURE_NO_WW, 38.394, 48.856
    ),
    _estate("abidasht", "آبی‌دشت", "Abidasht", "astara", "zone", 26.5, 19.0, 20, _NEW, 38.312, 48.866),
    # Talesh — wood and the western coast.
    _estate(
        "sabzkuh", "سبزکوه", "Sabzkuh", "talesh", "estate", 92.0, 64.5, 58, _MATURE_NO_WW, 37.786, 48.926
    ),
    _estate("daryakenar", "دریاکنار", "Daryakenar", "talesh", "zone", 28.0, 20.0, 22, _ZONE, 37.712, 48.966),
    # Fuman.
    _estate("gashtrud", "گشت‌رود", "Gashtrud", "fuman", "estate", 114.0, 81.0, 72, _MATURE, 37.236, 49.336),
    _estate("rudkhan", "رودخان", "Rudkhan", "fuman", "zone", 33.0, 24.0, 26, _GROWING, 37.196, 49.281),
    # Rudbar — olives in the Sepidrud valley.
    _estate(
        "zeytunzar",
        "زیتون‌زار",
        "Zeytunzar",
        "rudbar",
        "estate",
        104.0,
        70.5,
        60,
        _MATURE_NO_WW,
        36.806,
        49.416,
    ),
    _estate("badgir", "بادگیر", "Badgir", "rudbar", "zone", 41.0, 29.0, 28, _ZONE, 36.746, 49.404),
    # Langarud.
    _estate(
        "daryasar", "دریاسر", "Daryasar", "langarud", "estate", 78.0, 55.0, 50, _MATURE_NO_WW, 37.186, 50.156
    ),
    _estate("chaydasht", "چای‌دشت", "Chaydasht", "langarud", "zone", 27.0, 19.5, 20, _YOUNG, 37.128, 50.172),
    # Sowme'eh Sara — paddy country.
    _estate(
        "shalizar", "شالیزار", "Shalizar", "sowmeh_sara", "estate", 97.0, 68.0, 64, _MATURE, 37.326, 49.306
    ),
    _estate("zarmikh", "زرمیخ", "Zarmikh", "sowmeh_sara", "zone", 31.5, 23.0, 24, _ZONE, 37.292, 49.246),
    # Astaneh-ye Ashrafiyeh — kiwi, citrus and Kiashahr fisheries.
    _estate(
        "delta",
        "دلتا",
        "Delta",
        "astaneh_ashrafiyeh",
        "estate",
        72.0,
        50.0,
        48,
        _MATURE_NO_WW,
        37.286,
        49.926,
    ),
    _estate(
        "bandar_kia",
        "بندر کیا",
        "Bandar Kia",
        "astaneh_ashrafiyeh",
        "zone",
        36.0,
        25.5,
        26,
        _GROWING,
        37.404,
        49.946,
    ),
    # Rudsar.
    _estate("polrud", "پلرود", "Polrud", "rudsar", "estate", 71.0, 49.0, 46, _MATURE_NO_WW, 37.116, 50.304),
    _estate("samushrud", "سموش‌رود", "Samushrud", "rudsar", "zone", 29.0, 21.0, 22, _YOUNG, 37.072, 50.386),
    # Khomam.
    _estate("narenjbon", "نارنج‌بن", "Narenjbon", "khomam", "estate", 82.0, 57.5, 52, _MATURE, 37.386, 49.626),
    _estate("chukam", "چوکام", "Chukam", "khomam", "zone", 24.5, 17.5, 18, _NEW, 37.376, 49.688),
    # Lahijan — tea.
    _estate("baghchay", "باغ‌چای", "Baghchay", "lahijan", "estate", 123.0, 86.0, 78, _FULL, 37.226, 50.026),
    _estate("sabzbam", "سبزبام", "Sabzbam", "lahijan", "zone", 33.0, 23.5, 24, _ZONE, 37.182, 49.972),
    # One site each.
    _estate("samam", "سمام", "Samam", "amlash", "zone", 27.0, 19.5, 22, _NEW, 37.086, 50.172),
    _estate("nasim", "نسیم", "Nasim", "rezvanshahr", "estate", 62.0, 43.0, 40, _GROWING, 37.546, 49.126),
    _estate("deylaman", "دیلمان", "Deylaman", "siahkal", "zone", 38.0, 27.0, 30, _ZONE, 37.132, 49.884),
    _estate("jirdeh", "جیرده", "Jirdeh", "shaft", "zone", 34.0, 24.5, 28, _YOUNG, 37.156, 49.416),
    _estate(
        "sabzeh_meydan", "سبزه‌میدان", "Sabzeh Meydan", "masal", "zone", 30.0, 21.5, 26, _NEW, 37.356, 49.124
    ),
]

ESTATE_BY_CODE = {estate["code"]: estate for estate in ESTATES}
TOTAL_PLOTS = sum(estate["plots"] for estate in ESTATES)
