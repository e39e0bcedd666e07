"""Column mapping: the header row, and which column of the sheet holds which field of the import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.functional import Promise

from peyvand.matching.text import fold

from .. import parsing

if TYPE_CHECKING:
    from ..models import ImportMapping
    from .reading import Sheet
    from .registry import Importer

HEADER_SCAN_ROWS = 15


@dataclass(frozen=True)
class Field:
    """An importable field: its label and the header titles people use for it (fa and en)."""

    name: str
    label: str | Promise
    synonyms: tuple[str | Promise, ...] = ()
    help: str | Promise = ""

    def keys(self) -> set[str]:
        keys = {fold(self.name), fold(self.name.replace("_", " "))}
        for word in (self.label, *self.synonyms):
            if isinstance(word, Promise):
                for language in ("fa", "en"):
                    with translation.override(language):
                        keys.add(fold(str(word)))
            else:
                keys.add(fold(word))
        keys.discard("")
        return keys


def _match_score(header: str, key: str) -> tuple[int, int]:
    if header == key:
        return 3, len(key)
    if len(key) >= 3 and (header.startswith(key) or header.endswith(key)):
        return 2, len(key)
    if len(key) >= 4 and key in header:
        return 1, len(key)
    return 0, 0


def header_text(value: Any) -> str:
    return parsing.text(value) if value is not None else ""


def guess_mapping(importer_class: type[Importer], headers: list[Any]) -> dict[int, str]:
    """Column index → field, each field and column used once, best (exact, longest) titles first."""
    keys = {item.name: item.keys() for item in importer_class.fields}
    candidates: list[tuple[tuple[int, int], int, str]] = []
    for index, title in enumerate(headers):
        folded = fold(header_text(title))
        if not folded:
            continue
        for name, field_keys in keys.items():
            score = max((_match_score(folded, key) for key in field_keys), default=(0, 0))
            if score[0]:
                candidates.append((score, -index, name))
    candidates.sort(reverse=True)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for _score, negative_index, name in candidates:
        index = -negative_index
        if index in mapping or name in used:
            continue
        mapping[index] = name
        used.add(name)
    return dict(sorted(mapping.items()))


def find_header_row(importer_class: type[Importer], sheet: Sheet) -> int | None:
    """0-based index of the row that looks most like the header among the first rows, or None."""
    best, best_score = None, (0, 0)
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        # A title merged across the columns repeats in every cell: count each text once.
        seen: set[str] = set()
        distinct = []
        for value in row:
            key = fold(header_text(value)) if isinstance(value, str) else ""
            distinct.append(value if key and key not in seen else None)
            seen.add(key)
        texts = [value for value in distinct if value is not None]
        if len(texts) < 2:
            continue
        mapped = guess_mapping(importer_class, distinct)
        score = (len(mapped), len(texts))
        if len(mapped) >= 2 and score[0] > best_score[0]:
            best, best_score = index, score
    return best


def mapping_from_template(template: ImportMapping, headers: list[Any]) -> dict[int, str]:
    by_header = dict(template.columns)
    mapping: dict[int, str] = {}
    for index, title in enumerate(headers):
        name = by_header.get(fold(header_text(title)))
        if name and name not in mapping.values():
            mapping[index] = name
    return mapping


def template_columns(headers: list[Any], mapping: dict[int, str]) -> dict[str, str]:
    return {
        fold(header_text(headers[index])): name
        for index, name in mapping.items()
        if index < len(headers) and fold(header_text(headers[index]))
    }


def column_label(headers: list[Any], index: int) -> str:
    from openpyxl.utils import get_column_letter

    title = header_text(headers[index]) if index < len(headers) else ""
    letter = get_column_letter(index + 1)
    return f"{title} ({letter})" if title else letter
