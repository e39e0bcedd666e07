"""What both unit importers share: the words people type for statuses and causes, and the unit index."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.imports import parsing
from peyvand.matching.text import fold

from ..choices import StatusCause, UnitStatus
from ..models import ProductionUnit

# What people type for each status (VOCABULARY.md); codes and fa/en labels are always understood.
STATUS_SYNONYMS: dict[str, list[str]] = {
    UnitStatus.PLANNED: ["در مرحله طرح", "طرح", "در دست مطالعه", "planned", "plan"],
    UnitStatus.LAND_ALLOCATED: ["زمین واگذار شده", "واگذار شده", "قرارداد زمین", "land allocated"],
    UnitStatus.UNDER_CONSTRUCTION: [
        "در حال ساخت",
        "در دست احداث",
        "نیمه‌تمام",
        "نیمه تمام",
        "در حال احداث",
        "under construction",
    ],
    UnitStatus.OPERATING: [
        "فعال",
        "در حال بهره‌برداری",
        "بهره‌برداری",
        "دایر",
        "تولیدی",
        "active",
        "in operation",
        "running",
        "operating",
    ],
    UnitStatus.SEMI_ACTIVE: ["نیمه‌فعال", "نیمه فعال", "کم‌کار", "کم کار", "partially active", "semi active"],
    UnitStatus.IDLE: ["راکد", "غیرفعال", "غیر فعال", "متوقف", "خوابیده", "inactive", "stopped", "dormant"],
    UnitStatus.CLOSED: ["تعطیل", "تعطیل شده", "بسته", "منحل", "shut down", "closed"],
    UnitStatus.LAND_REPOSSESSED: [
        "زمین مسترد شده",
        "خلع ید",
        "استرداد زمین",
        "land repossessed",
        "repossessed",
    ],
}
CAUSE_SYNONYMS: dict[str, list[str]] = {
    StatusCause.INITIAL: ["ثبت اولیه", "اولیه", "initial"],
    StatusCause.WORKING_CAPITAL: ["نقدینگی", "کمبود نقدینگی", "سرمایه در گردش"],
    StatusCause.RAW_MATERIALS: ["مواد اولیه", "کمبود مواد اولیه"],
    StatusCause.MARKET: ["بازار", "فروش", "نبود بازار"],
    StatusCause.ENERGY: ["قطعی برق", "قطعی گاز", "انرژی"],
    StatusCause.MANAGEMENT: ["اختلاف شرکا", "مدیریت"],
    StatusCause.DEBT: ["بدهی بانکی", "بدهی"],
    StatusCause.OPERATION_LICENCE: ["پروانه بهره‌برداری", "اخذ پروانه بهره‌برداری"],
    StatusCause.CONTRACT_BREACH: ["نقض قرارداد", "عدم اجرای تعهدات"],
    StatusCause.PLAN_APPROVED: ["تصویب طرح", "طرح تصویب شد"],
    StatusCause.CONTRACT_SIGNED: ["قرارداد زمین", "انعقاد قرارداد", "واگذاری زمین"],
    StatusCause.CONSTRUCTION_STARTED: ["شروع ساخت", "آغاز ساخت", "شروع عملیات اجرایی"],
    StatusCause.OBSOLETE_TECH: ["فناوری قدیمی", "فرسودگی ماشین‌آلات", "فرسودگی"],
    StatusCause.REVIVAL_SUPPORT: ["احیا", "حمایت", "تسهیلات", "تسهیلات رونق تولید"],
    StatusCause.NEW_INVESTOR: ["سرمایه‌گذار جدید", "ورود سرمایه‌گذار", "شریک جدید"],
    StatusCause.MARKET_RECOVERED: ["بازگشت بازار", "بهبود بازار", "رونق بازار", "market recovery"],
    StatusCause.SEASONAL: ["فصلی", "تولید فصلی", "seasonal"],
    StatusCause.OWNER_DECISION: ["تصمیم مالک", "تصمیم مالکان"],
    StatusCause.OTHER: ["سایر", "other", "دیگر"],
}
_UNIT = gettext_lazy("unit")


def status_table() -> parsing.ChoiceTable:
    return parsing.ChoiceTable(UnitStatus, STATUS_SYNONYMS, noun=_("life-cycle status"))


@dataclass
class UnitIndex:
    """Every stored unit's keys, to find matches without a query per row."""

    by_national_id: dict[str, int] = field(default_factory=dict)
    by_licence: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    by_any_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> UnitIndex:
        index = cls()
        rows = ProductionUnit.objects.values_list(
            "pk", "national_id", "licence_number", "estate_id", "name", "name_en"
        )
        for pk, national_id, licence, estate_id, name, name_en in rows.iterator(chunk_size=5000):
            if national_id:
                index.by_national_id[national_id] = pk
            if licence:
                index.by_licence[licence] = pk
            for key in {fold(name), fold(name_en)} - {""}:
                index.by_name[(estate_id, key)].append(pk)
                index.by_any_name[key].append(pk)
            index.ids[pk] = (national_id, licence)
        return index


def _find_unit(
    index: UnitIndex, national_id: str | None, licence: str | None, estate_id: int | None, name: str | None
) -> tuple[int | None, str]:
    """(unit id, how it was found), or (None, reason) — the reason is a message when it is a conflict."""
    by_id = index.by_national_id.get(national_id) if national_id else None
    by_licence = index.by_licence.get(licence) if licence else None
    if by_id and by_licence and by_id != by_licence:
        return None, "conflict"
    if by_id or by_licence:
        return by_id or by_licence, "id" if by_id else "licence"
    if name:
        candidates = index.by_name.get((estate_id, fold(name)), []) if estate_id else []
        if not estate_id:
            candidates = index.by_any_name.get(fold(name), [])
        # A stored unit with another national ID or licence is another unit of the same name.
        candidates = [
            pk
            for pk in candidates
            if not (national_id and index.ids[pk][0] and index.ids[pk][0] != national_id)
            and not (licence and index.ids[pk][1] and index.ids[pk][1] != licence)
        ]
        if len(candidates) == 1:
            return candidates[0], "name"
        if len(candidates) > 1:
            return None, "ambiguous"
    return None, ""
