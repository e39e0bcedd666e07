"""Codes of green estates: plant stages and their one transition table, discharge parameters and limits,
environmental groups, materials of industrial symbiosis and the brokering stages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peyvand.core.choices import BadgeColour, badge_colours


@badge_colours(
    {
        "planned": "secondary",
        "design": "info",
        "under_construction": "primary",
        "commissioning": "warning",
        "operating": "success",
        "out_of_service": "danger",
    }
)
class PlantStage(BadgeColour, models.TextChoices):
    PLANNED = "planned", _("planned")
    DESIGN = "design", _("design")
    UNDER_CONSTRUCTION = "under_construction", _("under construction")
    COMMISSIONING = "commissioning", _("commissioning")
    OPERATING = "operating", _("operating")
    OUT_OF_SERVICE = "out_of_service", _("out of service")


# The one table of plant moves: forward (a stage may be skipped, never gone back to), in and out of service.
PLANT_TRANSITIONS: dict[str, frozenset[str]] = {
    PlantStage.PLANNED: frozenset({PlantStage.DESIGN, PlantStage.UNDER_CONSTRUCTION}),
    PlantStage.DESIGN: frozenset({PlantStage.UNDER_CONSTRUCTION}),
    PlantStage.UNDER_CONSTRUCTION: frozenset({PlantStage.COMMISSIONING, PlantStage.OPERATING}),
    PlantStage.COMMISSIONING: frozenset({PlantStage.OPERATING}),
    PlantStage.OPERATING: frozenset({PlantStage.OUT_OF_SERVICE}),
    PlantStage.OUT_OF_SERVICE: frozenset({PlantStage.OPERATING}),
}
# Not yet opened: the stages a plant "due to open" is in.
BEFORE_OPENING = (
    PlantStage.PLANNED,
    PlantStage.DESIGN,
    PlantStage.UNDER_CONSTRUCTION,
    PlantStage.COMMISSIONING,
)


class Technology(models.TextChoices):
    ACTIVATED_SLUDGE = "activated_sludge", _("conventional activated sludge")
    EXTENDED_AERATION = "extended_aeration", _("extended aeration")
    SBR = "sbr", _("sequencing batch reactor (SBR)")
    MBBR = "mbbr", _("moving bed biofilm reactor (MBBR)")
    MBR = "mbr", _("membrane bioreactor (MBR)")
    LAGOON = "lagoon", _("aerated lagoons")
    OTHER = "other", _("other")


class Funding(models.TextChoices):
    NATIONAL = "national", _("national budget")
    PROVINCIAL = "provincial", _("provincial budget")
    COMPANY = "company", _("estate company's own funds")
    NDF = "ndf", _("National Development Fund loan")
    PRIVATE = "private", _("private partner (BOT)")
    MIXED = "mixed", _("mixed sources")


class ReceivingBody(models.TextChoices):
    SEWER = "sewer", _("sewer to the treatment plant")
    SURFACE_WATER = "surface_water", _("surface water")
    IRRIGATION = "irrigation", _("irrigation")


class Parameter(models.TextChoices):
    """Effluent parameters (mg/l, pH without unit); the heavy metals are tested where relevant."""

    COD = "cod", _("COD")
    BOD5 = "bod5", _("BOD5")
    TSS = "tss", _("TSS")
    PH = "ph", _("pH")
    OIL_GREASE = "oil_grease", _("oil and grease")
    CHROMIUM = "chromium", _("chromium")
    LEAD = "lead", _("lead")
    CADMIUM = "cadmium", _("cadmium")
    NICKEL = "nickel", _("nickel")
    ZINC = "zinc", _("zinc")


HEAVY_METALS = (Parameter.CHROMIUM, Parameter.LEAD, Parameter.CADMIUM, Parameter.NICKEL, Parameter.ZINC)
# The limits a new estate company starts with (Iran's effluent standard, the usual published values):
# {receiving body: {parameter: (minimum, maximum)}}; the company edits them on the limits page.
DEFAULT_LIMITS: dict[str, dict[str, tuple[float | None, float]]] = {
    ReceivingBody.SEWER: {
        "cod": (None, 500),
        "bod5": (None, 250),
        "tss": (None, 250),
        "ph": (6.5, 9),
        "oil_grease": (None, 20),
        "chromium": (None, 2),
        "lead": (None, 1),
        "cadmium": (None, 0.1),
        "nickel": (None, 2),
        "zinc": (None, 2),
    },
    ReceivingBody.SURFACE_WATER: {
        "cod": (None, 60),
        "bod5": (None, 30),
        "tss": (None, 40),
        "ph": (6.5, 8.5),
        "oil_grease": (None, 10),
        "chromium": (None, 0.5),
        "lead": (None, 1),
        "cadmium": (None, 0.1),
        "nickel": (None, 2),
        "zinc": (None, 2),
    },
    ReceivingBody.IRRIGATION: {
        "cod": (None, 200),
        "bod5": (None, 100),
        "tss": (None, 100),
        "ph": (6, 8.5),
        "oil_grease": (None, 10),
        "chromium": (None, 1),
        "lead": (None, 1),
        "cadmium": (None, 0.05),
        "nickel": (None, 2),
        "zinc": (None, 2),
    },
}


@badge_colours({"light": "success", "moderate": "warning", "heavy": "danger"})
class EnvironmentalGroup(BadgeColour, models.TextChoices):
    """The environmental group of a unit's industry (by its ISIC division)."""

    LIGHT = "light", _("light: sanitary wastewater only")
    MODERATE = "moderate", _("moderate: organic load, pre-treatment required")
    HEAVY = "heavy", _("heavy: toxic or metal-bearing, pre-treatment and metals tests required")


# ISIC Rev.4 division -> group (food, drinks, paper and plastics carry organic load; dyeing, tanning,
# chemicals, pharmaceuticals, metals and plating carry toxic or metal-bearing effluent).
GROUP_BY_DIVISION = {
    **dict.fromkeys(("10", "11", "12", "17", "22"), EnvironmentalGroup.MODERATE),
    **dict.fromkeys(("13", "15", "19", "20", "21", "24", "25"), EnvironmentalGroup.HEAVY),
}
PRETREATMENT_GROUPS = (EnvironmentalGroup.MODERATE, EnvironmentalGroup.HEAVY)


def environmental_group(isic_code: str | None) -> EnvironmentalGroup:
    """The group of an industry from its ISIC class code (light when unknown)."""
    return GROUP_BY_DIVISION.get((isic_code or "")[:2], EnvironmentalGroup.LIGHT)


@badge_colours({"open": "danger", "resolved": "success"})
class CaseState(BadgeColour, models.TextChoices):
    OPEN = "open", pgettext_lazy("compliance case", "open")
    RESOLVED = "resolved", pgettext_lazy("compliance case", "resolved")


@badge_colours({"have": "success", "want": "primary"})
class Direction(BadgeColour, models.TextChoices):
    HAVE = "have", _("have (by-product or waste)")
    WANT = "want", _("want (input)")


class Material(models.TextChoices):
    RICE_HUSK = "rice_husk", _("rice husk")
    RICE_BRAN = "rice_bran", _("rice bran")
    TEA_WASTE = "tea_waste", _("tea waste")
    SAWDUST = "sawdust", _("sawdust and wood chips")
    WHEY = "whey", _("whey")
    FISH_WASTE = "fish_waste", _("fish waste")
    FOOD_WASTE = "food_waste", _("food and fruit waste")
    SCRAP_METAL = "scrap_metal", _("scrap metal")
    PET = "pet", _("PET bottles and flakes")
    PLASTIC_SCRAP = "plastic_scrap", _("other plastic scrap")
    PAPER = "paper", _("paper and cardboard")
    TEXTILE_SCRAP = "textile_scrap", _("textile scrap")
    GLASS = "glass", _("glass cullet")
    ASH = "ash", _("ash and slag")
    SLUDGE = "sludge", _("sludge")
    USED_OIL = "used_oil", _("used oil")
    WASTE_HEAT = "waste_heat", _("waste heat")
    TREATED_WATER = "treated_water", _("treated water")
    OTHER = "other", _("other (see description)")


# Words people write for each material (Persian and English), read by the symbiosis matcher.
MATERIAL_WORDS: dict[str, tuple[str, ...]] = {
    "rice_husk": ("پوسته برنج", "سبوس برنج", "شلتوک", "rice husk", "rice hull", "husk"),
    "rice_bran": ("سبوس", "سبوس برنج", "rice bran", "bran"),
    "tea_waste": ("تفاله چای", "ضایعات چای", "tea waste", "tea dust"),
    "sawdust": ("خاک اره", "تراشه چوب", "ضایعات چوب", "sawdust", "wood chips", "wood waste"),
    "whey": ("آب پنیر", "whey"),
    "fish_waste": ("ضایعات ماهی", "پسماند ماهی", "fish waste", "fish offal"),
    "food_waste": ("ضایعات میوه", "تفاله", "پسماند غذایی", "food waste", "pomace", "fruit waste"),
    "scrap_metal": ("قراضه", "ضایعات فلزی", "براده", "آهن قراضه", "scrap metal", "scrap", "swarf"),
    "pet": ("پت", "بطری پت", "پرک پت", "pet", "pet bottles", "pet flakes"),
    "plastic_scrap": ("ضایعات پلاستیک", "پلاستیک", "plastic scrap", "polyethylene scrap"),
    "paper": ("کاغذ باطله", "کارتن", "مقوا", "waste paper", "cardboard"),
    "textile_scrap": ("ضایعات نساجی", "پارچه", "textile scrap", "fabric offcuts"),
    "glass": ("خرده شیشه", "شیشه", "glass cullet", "glass"),
    "ash": ("خاکستر", "سرباره", "ash", "slag", "fly ash"),
    "sludge": ("لجن", "لجن تصفیه خانه", "sludge"),
    "used_oil": ("روغن سوخته", "روغن کارکرده", "used oil", "waste oil"),
    "waste_heat": ("گرمای اتلافی", "حرارت", "بخار", "waste heat", "steam", "heat"),
    "treated_water": ("پساب تصفیه شده", "آب بازیافتی", "treated water", "reclaimed water", "effluent"),
    "other": (),
}


class MaterialForm(models.TextChoices):
    SOLID = "solid", _("solid")
    LIQUID = "liquid", _("liquid")
    SLUDGE = "sludge", _("sludge or paste")
    HEAT = "heat", _("heat or steam")


@badge_colours(
    {
        "introduced": "secondary",
        "trial": "info",
        "contract": "primary",
        "running": "success",
        "lost": "danger",
    }
)
class SymbiosisStage(BadgeColour, models.TextChoices):
    INTRODUCED = "introduced", _("introduced")
    TRIAL = "trial", _("trial")
    CONTRACT = "contract", _("contract")
    RUNNING = "running", _("running")
    LOST = "lost", _("lost")


# The one table of symbiosis moves: forward (a trial may be skipped) or lost.
SYMBIOSIS_TRANSITIONS: dict[str, frozenset[str]] = {
    SymbiosisStage.INTRODUCED: frozenset(
        {SymbiosisStage.TRIAL, SymbiosisStage.CONTRACT, SymbiosisStage.LOST}
    ),
    SymbiosisStage.TRIAL: frozenset({SymbiosisStage.CONTRACT, SymbiosisStage.LOST}),
    SymbiosisStage.CONTRACT: frozenset({SymbiosisStage.RUNNING, SymbiosisStage.LOST}),
    SymbiosisStage.RUNNING: frozenset({SymbiosisStage.LOST}),
    SymbiosisStage.LOST: frozenset(),
}
# Tonnes are diverted from the waste stream once the exchange is contracted.
DIVERTING_STAGES = (SymbiosisStage.CONTRACT, SymbiosisStage.RUNNING)
