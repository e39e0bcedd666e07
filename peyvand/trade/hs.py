"""The trade app's adapter to the HS suggester of the matching library (issue 13 item 2): suggestions
for a product description, and the texts of one code — the nomenclature is read once per process."""

from __future__ import annotations

import logging
import threading
from functools import cache
from typing import Any

from django.utils.translation import get_language

from peyvand.matching.hs import HSDataError, load_nomenclature, load_suggester
from peyvand.taxonomy.forms import code_text, known_in_list

log = logging.getLogger(__name__)
MAX_TEXT = 500
_building = threading.Lock()  # one build per process: a request arriving during it waits for it


def _suggester() -> Any:
    with _building:
        return load_suggester()


def warm_up() -> threading.Thread:
    """Build the suggester in the background (the web process calls this when it starts): the first build
    reads the nomenclature and analyses its texts — about 40 CPU-seconds — which the first user typing a
    product, or the API's first caller, would otherwise wait for (schemathesis timed out at 10 s)."""

    def build() -> None:
        try:
            _suggester()
        except HSDataError:
            log.info("HS 2022 table not found: no HS suggestions to prepare")

    thread = threading.Thread(target=build, name="hs-suggester-warm-up", daemon=True)
    thread.start()
    return thread


def _lang() -> str:
    return "en" if (get_language() or "fa").startswith("en") else "fa"


@cache
def _nomenclature() -> Any:
    try:
        return load_nomenclature()
    except HSDataError:
        log.warning("HS 2022 table not found: HS codes are checked for their form only")
        return None


def is_known(code: str) -> bool | None:
    """Whether ``code`` is a subheading of HS 2022; None when the official table is not available."""
    nomenclature = _nomenclature()
    if nomenclature is None:
        return None
    entry = nomenclature.get(code)
    return entry is not None and entry.level == 6


def is_known_code(code: str) -> bool | None:
    """Whether a typed code's subheading exists: by the official table when it is here, else by the HS
    list loaded in the database (None when neither can tell)."""
    known = is_known(code[:6])
    return known if known is not None else known_in_list(code)


def label(code: str, lang: str | None = None) -> str:
    """The code's text in the language (Persian: its own name, else its heading's, else English)."""
    nomenclature = _nomenclature()
    if not code:
        return ""
    if nomenclature is None:
        return code_text(code)  # the HS list loaded in the database (the project's own names)
    lang = lang or _lang()
    for candidate in (code, code[:4], code[:2]) if lang == "fa" else (code,):
        text = nomenclature.name(candidate, lang)
        if text:
            return text
    return nomenclature.name(code, "en")


def chapter_label(chapter: str, lang: str | None = None) -> str:
    nomenclature = _nomenclature()
    if nomenclature is None:
        return ""
    lang = lang or _lang()
    return nomenclature.name(chapter, lang) or nomenclature.name(chapter, "en")


def suggest(text: str, isic: str | None = None, top: int = 5) -> list[dict[str, Any]]:
    """The ``top`` likeliest subheadings for a product description, each with its texts and reasons."""
    text = (text or "").strip()[:MAX_TEXT]
    if len(text) < 2:
        return []
    try:
        suggester = _suggester()
    except HSDataError:
        return []
    lang = _lang()
    return [suggestion.to_dict(lang) for suggestion in suggester.suggest(text, top=top, isic=isic or None)]
