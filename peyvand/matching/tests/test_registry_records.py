"""Terse registry records: one licence line, a company name, ISIC/HS codes — and English requests."""

from __future__ import annotations

from peyvand.matching.documents import Profile, Request
from peyvand.matching.index import Index, build_index
from peyvand.matching.ranking import RankingWeights, rank


def _unit(unit_id: str, name: str, line: str = "", **extra: object) -> Profile:
    return Profile.from_dict({"id": unit_id, "name": name, "description": line, "lang": "fa", **extra})


def _registry() -> list[Profile]:
    return [
        _unit("umbrella", "شرکت تولیدی آرین", "تولید چتر"),
        _unit("pens", "کارگاه نگین", "تولید خودکار"),
        _unit("rice", "شرکت تولیدی سبلان پارس", isic="1061", hs=["100630"]),
        _unit("pipe", "لوله‌سازی شمال", "تولید لوله و اتصالات پلی‌اتیلن", isic="2220"),
        _unit("bags", "صنایع دنا", "تولید کیسه نایلون", isic="2220"),
    ]


def _ids(index: Index, text: str, lang: str, **extra: object) -> list[str]:
    request = Request.from_dict({"id": "r", "text": text, "lang": lang, **extra})
    return [result.profile_id for result in rank(index, request, top=10, semantic=False)]


def test_profile_reads_codes_as_registries_write_them() -> None:
    profile = Profile.from_dict({"id": "x", "isic": "۲۲۲۰", "hs": ["3917.21", "", "٣٩٢٣"]})
    assert (profile.isic, profile.hs) == ("2220", ("391721", "3923"))
    assert Profile.from_dict(profile.to_dict()) == profile


def test_an_english_request_reaches_a_persian_line_the_thesaurus_does_not_know() -> None:
    index = build_index(_registry(), embedder=None)
    assert _ids(index, "Folding umbrellas for a retail chain", "en")[:1] == ["umbrella"]
    assert _ids(index, "Ballpoint pens for schools", "en")[:1] == ["pens"]


def test_without_the_bridge_the_english_request_finds_nothing() -> None:
    index = build_index(_registry(), embedder=None)
    index_without = build_index(_registry(), embedder=None, thesaurus=_other_thesaurus())
    request = Request.from_dict({"id": "r", "text": "Folding umbrellas for a retail chain", "lang": "en"})
    weights = RankingWeights(bridge_products=False)
    found = [r.profile_id for r in rank(index_without, request, semantic=False, weights=weights)]
    assert "umbrella" not in found
    assert "umbrella" in _ids(index, "Folding umbrellas for a retail chain", "en")


def _other_thesaurus():  # a copy of the project's thesaurus: the index then leaves codes and lexicon out
    from peyvand.matching.thesaurus import DATA_FILE, read_thesaurus

    return read_thesaurus(DATA_FILE)


def test_an_isic_class_alone_implies_the_capability_and_the_reasons_say_it_is_inferred() -> None:
    index = build_index(_registry(), embedder=None)
    request = Request.from_dict({"id": "r", "text": "Milled white rice for export", "lang": "en"})
    results = rank(index, request, top=5, semantic=False)
    assert results[0].profile_id == "rice"
    assert any("inferred from code ISIC 1061" in reason for reason in results[0].reasons_en)
    assert any("استنباط از کد" in reason for reason in results[0].reasons_fa)
    assert index.inferred_concepts(index.row("rice")) == {"food.rice_milling", "food.rice_packaging"}


def test_a_stated_line_is_not_marked_inferred() -> None:
    index = build_index(_registry(), embedder=None)
    results = rank(
        index, Request.from_dict({"id": "r", "text": "لوله پلی اتیلن", "lang": "fa"}), semantic=False
    )
    assert results[0].profile_id == "pipe"
    assert not any("استنباط" in reason for reason in results[0].reasons_fa)


def test_inferred_concepts_survive_save_and_load(tmp_path) -> None:
    build_index(_registry(), embedder=None).save(tmp_path / "index")
    loaded = Index.load(tmp_path / "index")
    assert "food.rice_milling" in loaded.inferred_concepts(loaded.row("rice"))
    assert loaded.profile(loaded.row("rice")).isic == "1061"


def _crowd() -> list[Profile]:
    counties = ["رشت", "رشت", "رشت", "لاهیجان", "فومن", "رشت"]
    units = [
        _unit(f"tea-{number}", f"کارگاه {number}", "بسته‌بندی چای", county=county)
        for number, county in enumerate(counties)
    ]
    units[3] = _unit("tea-3", "کارگاه ۳", "بسته‌بندی چای", county="لاهیجان", status="semi_active")
    units[5] = _unit("tea-5", "کارگاه ۵", "بسته‌بندی چای", county="رشت", certifications=["ISO 22000"])
    return units


def test_a_crowd_sharing_one_line_is_ranked_by_what_sets_units_apart() -> None:
    index = build_index(_crowd(), embedder=None)
    results = rank(index, Request.from_dict({"id": "r", "text": "Packed tea", "lang": "en"}), semantic=False)
    ids = [result.profile_id for result in results]
    assert ids[0] == "tea-5"  # the one with a certification
    assert ids[-1] == "tea-3"  # the semi-active one
    assert "set apart by: operating, ISO 22000" in " ".join(results[0].reasons_en)
    assert any("واحد هم‌تراز" in reason for reason in results[1].reasons_fa)


def test_counties_take_turns_inside_a_crowd() -> None:
    index = build_index(_crowd(), embedder=None)
    results = rank(
        index, Request.from_dict({"id": "r", "text": "بسته‌بندی چای", "lang": "fa"}), semantic=False
    )
    plain = [r for r in results if r.profile_id not in {"tea-5", "tea-3"}]  # equal distinction
    counties = [index.profile(index.row(result.profile_id)).county for result in plain]
    assert len(plain) == 4
    assert set(counties[:2]) == {"رشت", "فومن"}  # not three units of Rasht first


def test_an_acronym_spelt_in_persian_after_a_noun_is_read_as_the_acronym() -> None:
    # «ام» after «تخته» was glued to it as a suffix («تخته‌ام»): the line tagged nothing and an English
    # request for MDF ranked furniture makers above the MDF maker.
    index = build_index(
        [
            _unit("mdf", "صنایع چوب البرز", "تولید تخته ام دی اف"),
            _unit("led", "روشنا", "تولید لامپ ال ای دی"),
            _unit("furniture", "مبل آرا", "تولید مبلمان اداری"),
            _unit("cabinets", "کابینت نوین", "تولید کابینت آشپزخانه"),
        ],
        embedder=None,
    )
    assert _ids(index, "MDF boards", "en")[:1] == ["mdf"]
    assert _ids(index, "LED lamps", "en")[:1] == ["led"]
    assert _ids(index, "تخته ام‌دی‌اف", "fa")[:1] == ["mdf"]


def test_a_trade_as_licences_name_it_is_reached_in_english_and_a_container_is_not_a_trade() -> None:
    index = build_index(
        [
            _unit("glass", "آذر بلور", "تولید شیشه"),
            _unit("print", "نقش گستر", "چاپ و بسته بندی"),
            _unit("oil", "روغن زیتون رودبار", "بسته‌بندی روغن زیتون در بطری پت، شیشه و حلب"),
            _unit("nets", "صیاد", "تورباف"),
        ],
        embedder=None,
    )
    assert _ids(index, "Glass jars for jams", "en")[:1] == ["glass"]
    assert _ids(index, "printing and packaging", "en")[:1] == ["print"]
    assert _ids(index, "fishing nets", "en")[:1] == ["nets"]
    # glass named as a container of olive oil does not make the packer a glass maker
    assert _ids(index, "tempered glass panels", "en")[:1] == ["glass"]
    from peyvand.matching.thesaurus import load_thesaurus

    assert not set(load_thesaurus().concept_ids("بسته‌بندی روغن زیتون در بطری پت، شیشه و حلب")) & {
        "construction.glass",
        "packaging.glass_containers",
    }


def test_the_requests_own_word_outranks_a_sibling_of_its_capability() -> None:
    # mattresses, blankets and towels are one capability (home textiles); the request names mattresses
    index = build_index(
        [
            _unit("towels", "حوله باران", "تولید حوله"),
            _unit("blankets", "پتو نرم", "تولید پتو"),
            _unit("mattresses", "خواب آرام", "تولید تشک"),
        ],
        embedder=None,
    )
    assert _ids(index, "تولید تشک", "fa")[:1] == ["mattresses"]
    assert _ids(index, "تشک طبی فنری", "fa")[:1] == ["mattresses"]
    assert set(_ids(index, "تولید تشک", "fa")) == {
        "towels",
        "blankets",
        "mattresses",
    }  # the capability still counts
