"""Reasons, in Persian and English: why a supplier was suggested, and why another one was not.

``explain_row`` turns one row of ``ranking.Scores`` into a ``Result``; ``why_not`` answers the officer's
"why isn't X in the list?" with the first rule that keeps it out (status, a must-have certification, no
matching capability) or, when it merely ranks lower, its place and what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from peyvand.matching.documents import Profile, Request, Result, certification_key
from peyvand.matching.index import Index
from peyvand.matching.ranking import (
    DEFAULT_WEIGHTS,
    RankingWeights,
    Scores,
    ranked_rows,
    request_concept_names,
    score_request,
)
from peyvand.matching.text import analyse, to_ascii_digits
from peyvand.matching.thesaurus import Thesaurus, load_thesaurus

_STATUS_NAMES = {
    "operating": ("فعال", "operating"),
    "semi_active": ("نیمه‌فعال", "semi-active"),
    "idle": ("راکد", "idle"),
    "closed": ("تعطیل", "closed"),
    "planned": ("در مرحله طرح", "planned"),
    "land_allocated": ("زمین واگذار شده", "land allocated"),
    "under_construction": ("در حال ساخت", "under construction"),
    "land_repossessed": ("زمین مسترد شده", "land repossessed"),
    "unknown": ("نامشخص", "unknown"),
}
# A concept counts as "matched" in the reasons when the profile states it at least this firmly, and
# when the request asks for it at least this clearly.
_MATCH_THRESHOLD = 0.3
_NEED_THRESHOLD = 0.5
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _fa_digits(text: str) -> str:
    return text.translate(_PERSIAN_DIGITS)


def _held(profile: Profile, wanted: tuple[str, ...]) -> tuple[list[str], list[str]]:
    keys = {certification_key(value) for value in profile.certifications}
    held = [value for value in wanted if certification_key(value) in keys]
    missing = [value for value in wanted if certification_key(value) not in keys]
    return held, missing


class _Reasons:
    """The reasons of one result, kept in step in both languages."""

    def __init__(self) -> None:
        self.fa: list[str] = []
        self.en: list[str] = []

    def add(self, fa: str, en: str) -> None:
        self.fa.append(fa)
        self.en.append(en)


def explain_row(
    index: Index, request: Request, scores: Scores, row: int, thesaurus: Thesaurus, crowd: int = 1
) -> Result:
    """The ``Result`` for one ranked row: score, matched concepts and reasons in both languages.
    ``crowd``: how many results match as well as this one (``ranking.crowd_order``); from three on, the
    reasons say what set this unit apart."""
    profile = index.profile(row)
    reasons = _Reasons()
    matched, related = _matched_and_related(scores, row)
    _concept_reasons(reasons, index, profile, scores, row, thesaurus, matched, related)
    wanted = request.must_have_certifications + request.preferred_certifications
    held, missing = _held(profile, wanted)
    for value in held:
        reasons.add(f"دارای {value}", f"holds {value}")
    for value in missing:
        reasons.add(f"فاقد {value}", f"lacks {value}")
    _profile_reasons(reasons, index, profile, scores, row, crowd)
    components = {
        "concept": round(float(scores.concept[row]), 4),
        "lexical": round(float(scores.lexical[row]), 4),
    }
    if scores.semantic is not None:
        components["semantic"] = round(float(scores.semantic[row]), 4)
    return Result(
        profile_id=profile.id,
        score=round(float(scores.final[row]), 4),
        reasons_fa=tuple(reasons.fa),
        reasons_en=tuple(reasons.en),
        matched_concepts=tuple(matched),
        related_concepts=tuple(related),
        holds_certifications=tuple(held),
        missing_certifications=tuple(missing),
        components=components,
    )


def _matched_and_related(scores: Scores, row: int) -> tuple[list[str], list[str]]:
    """The request's main concepts this row matches exactly, and those it reaches only through related ones."""
    needs = scores.analysis.concepts
    # Reasons speak of what the request asks for, not of how it wants goods packed or whom it serves.
    main = [
        concept_id
        for concept_id in sorted(needs, key=lambda c: -needs[c])
        if needs[concept_id] >= _NEED_THRESHOLD
    ]
    matched: list[str] = []
    related: list[str] = []
    for concept_id in main or sorted(needs, key=lambda c: -needs[c])[:1]:
        exact = float(scores.exact[concept_id][row])
        if exact >= _MATCH_THRESHOLD:
            matched.append(concept_id)
        elif float(scores.related[concept_id][row]) > 0:
            related.append(concept_id)
    return matched, related


def _concept_reasons(
    reasons: _Reasons,
    index: Index,
    profile: Profile,
    scores: Scores,
    row: int,
    thesaurus: Thesaurus,
    matched: list[str],
    related: list[str],
) -> None:
    """What the unit does that the request asks for: stated, inferred from its codes, related, or only
    shared words and a similar description."""
    inferred = index.inferred_concepts(row) if matched else frozenset()
    stated = [thesaurus.get(concept_id) for concept_id in matched if concept_id not in inferred]
    if stated:
        reasons.add(
            "منطبق با: " + "، ".join(concept.name_fa for concept in stated),
            "matches: " + ", ".join(concept.name_en for concept in stated),
        )
    implied = [thesaurus.get(concept_id) for concept_id in matched if concept_id in inferred]
    if implied:
        codes = ", ".join(_codes(profile))
        reasons.add(
            "منطبق با (استنباط از کد " + _fa_digits(codes) + "): " + "، ".join(c.name_fa for c in implied),
            f"matches (inferred from code {codes}): " + ", ".join(c.name_en for c in implied),
        )
    profile_concepts = index.profile_concepts(row) if related else {}
    for concept_id in related:
        concept = thesaurus.get(concept_id)
        nearby = [
            thesaurus.get(other)
            for other in thesaurus.related(concept_id)
            if profile_concepts.get(other, 0.0) >= _MATCH_THRESHOLD and other not in matched
        ]
        if nearby:
            reasons.add(
                f"توان مرتبط: {nearby[0].name_fa} (برای {concept.name_fa})",
                f"related capability: {nearby[0].name_en} (for {concept.name_en})",
            )
    if matched or related:
        return
    shared = _shared_terms(index, scores, row, profile)
    if shared:
        reasons.add("واژه‌های مشترک: " + "، ".join(shared), "shares terms: " + ", ".join(shared))
    elif scores.semantic is not None and float(scores.semantic[row]) > 0:
        reasons.add("توصیف مشابه درخواست", "description similar to the request")


def _profile_reasons(
    reasons: _Reasons, index: Index, profile: Profile, scores: Scores, row: int, crowd: int
) -> None:
    """County, capacity and status; among three or more equal results, what sets this one apart."""
    if bool(scores.county_match[row]):
        reasons.add(f"در شهرستان ترجیحی ({profile.county})", f"same county ({profile.county})")
    if profile.capacity and profile.capacity.strip() not in {"—", "-"}:
        covers = bool(scores.capacity_ok[row])
        reasons.add(
            f"ظرفیت {_fa_digits(profile.capacity)}" + (" (کافی برای مقدار درخواستی)" if covers else ""),
            f"capacity {to_ascii_digits(profile.capacity)}"
            + (" (covers the requested quantity)" if covers else ""),
        )
    status = index.status_of(row)
    if status == "semi_active":
        reasons.add("واحد نیمه‌فعال", "semi-active unit")
    if crowd < 3:
        return
    apart_fa, apart_en = _distinctions(profile, status)
    count_fa = _fa_digits(str(crowd))
    if apart_fa:
        reasons.add(
            f"یکی از {count_fa} واحد هم‌تراز؛ برتری: " + "، ".join(apart_fa),
            f"one of {crowd} equally matching units; set apart by: " + ", ".join(apart_en),
        )
    else:
        reasons.add(
            f"یکی از {count_fa} واحد هم‌تراز؛ بدون گواهی، ظرفیت اعلام‌شده یا وضعیت برتر",
            f"one of {crowd} equally matching units; no certification, stated capacity or better status",
        )


def _codes(profile: Profile) -> list[str]:
    codes = [f"ISIC {profile.isic}"] if profile.isic else []
    return codes + [f"HS {code}" for code in profile.hs]


def _distinctions(profile: Profile, status: str) -> tuple[list[str], list[str]]:
    """What ranks a unit above its equals, in Persian and English (see ``ranking._distinction``)."""
    fa: list[str] = []
    en: list[str] = []
    if status == "operating":
        fa.append("فعال")
        en.append("operating")
    for value in profile.certifications[:2]:
        fa.append(value)
        en.append(value)
    if profile.capacity.strip() and profile.capacity.strip() not in {"—", "-"}:
        fa.append("ظرفیت اعلام‌شده")
        en.append("stated capacity")
    return fa, en


def _shared_terms(index: Index, scores: Scores, row: int, profile: Profile, limit: int = 4) -> list[str]:
    profile_terms = set(analyse(profile.text))
    shared = [
        term for term in dict.fromkeys(scores.analysis.terms) if term in profile_terms and len(term) > 2
    ]
    return shared[:limit]


@dataclass(frozen=True, slots=True)
class WhyNot:
    """Why a profile is (not) among a request's results."""

    profile_id: str
    in_results: bool
    rank: int | None  # 1-based place among all eligible profiles with some evidence, if any
    reasons_fa: tuple[str, ...]
    reasons_en: tuple[str, ...]

    def reasons(self, lang: str) -> tuple[str, ...]:
        """Reasons in ``lang``."""
        return self.reasons_fa if lang == "fa" else self.reasons_en


def why_not(
    index: Index,
    request: Request,
    profile_id: str,
    top: int = 20,
    semantic: bool | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    thesaurus: Thesaurus | None = None,
) -> WhyNot:
    """Explain why ``profile_id`` is not among the ``top`` results for ``request`` (or confirm it is)."""
    thesaurus = thesaurus or load_thesaurus()
    row = index.row(profile_id)
    if row is None:
        return WhyNot(profile_id, False, None, ("این واحد در نمایه نیست",), ("the unit is not in the index",))
    scores = score_request(index, request, semantic=semantic, weights=weights, thesaurus=thesaurus)
    profile = index.profile(row)
    fa: list[str] = []
    en: list[str] = []
    status = index.status_of(row)
    if not bool(scores.eligible[row]):
        name_fa, name_en = _STATUS_NAMES.get(status, (status, status))
        fa.append(f"وضعیت واحد «{name_fa}» است؛ فقط واحدهای فعال و نیمه‌فعال پیشنهاد می‌شوند")
        en.append(f"status is {name_en}; only operating and semi-active units are suggested")
    if not bool(scores.must_have_ok[row]):
        _, missing = _held(profile, request.must_have_certifications)
        for value in missing:
            fa.append(f"گواهی الزامی {value} را ندارد")
            en.append(f"lacks the must-have certification {value}")
    needs = request_concept_names(scores.analysis, thesaurus, "fa")
    needs_en = request_concept_names(scores.analysis, thesaurus, "en")
    has_capability = float(scores.concept[row]) > 0
    if scores.analysis.concepts and not has_capability:
        own = sorted(index.profile_concepts(row).items(), key=lambda item: -item[1])[:3]
        own_fa = "، ".join(thesaurus.get(concept_id).name_fa for concept_id, _ in own) or "—"
        own_en = ", ".join(thesaurus.get(concept_id).name_en for concept_id, _ in own) or "—"
        fa.append(f"توان موردنیاز ({'، '.join(needs)}) در معرفی واحد دیده نشد؛ توان‌های واحد: {own_fa}")
        en.append(
            f"no matching capability: the request needs {', '.join(needs_en)}; the unit offers {own_en}"
        )
    ordered = ranked_rows(scores, len(index), weights.min_score)
    place = ordered.index(row) + 1 if row in ordered else None
    in_results = place is not None and place <= top
    if in_results:
        fa.insert(0, f"در رتبه {_fa_digits(str(place))} فهرست است")
        en.insert(0, f"it is in the results, at rank {place}")
    elif place is not None and not fa:
        last = ordered[min(top, len(ordered)) - 1]
        fa.append(
            f"در رتبه {_fa_digits(str(place))} است؛ امتیاز {scores.final[row]:.2f} در برابر {scores.final[last]:.2f}"
            " برای آخرین پیشنهاد"
        )
        en.append(
            f"ranked {place}: score {scores.final[row]:.2f} against {scores.final[last]:.2f} for the last shown"
        )
        _, missing = _held(profile, request.preferred_certifications)
        for value in missing:
            fa.append(f"گواهی ترجیحی {value} را ندارد")
            en.append(f"lacks the preferred certification {value}")
    elif place is None and not fa:
        fa.append("شباهتی میان درخواست و معرفی واحد یافت نشد")
        en.append("nothing in the unit's profile matches the request")
    return WhyNot(profile_id, in_results, place, tuple(fa), tuple(en))
