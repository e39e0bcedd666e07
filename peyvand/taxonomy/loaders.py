"""Idempotent loaders for the classification trees.

* ``load_bundled()`` — the project's own lists (``taxonomy/data``): every ISIC Rev.4 code, the HS 2022
  chapters and headings, and the few HS subheadings the province's main exports and the demo use
  (``hs2022_subheadings.csv``), with Persian and English names written by the project. A fresh install
  validates with these alone.
* ``load_isic_file(path)`` / ``load_hs_file(path)`` — the official UN files (see ../shared/data),
  loaded over the bundled lists: codes and English names from the file, Persian names kept.

Running a loader twice changes nothing the second time.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from peyvand.matching.text import fold, normalize, sort_key

from .choices import Level, Scheme
from .models import Classification

DATA_DIR = Path(__file__).resolve().parent / "data"

# ISIC Rev.4 sections by division range.
_ISIC_SECTIONS = [
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
    ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
    ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]  # fmt: skip


def isic_section_of(division: str) -> str:
    number = int(division)
    for letter, low, high in _ISIC_SECTIONS:
        if low <= number <= high:
            return letter
    raise ValueError(f"ISIC division {division} has no section")


@dataclass
class Node:
    code: str
    level: str
    parent: str | None
    name_en: str
    name_fa: str = ""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def isic_parent(code: str) -> tuple[str, str | None]:
    """(level, parent code) of an ISIC code."""
    if code.isalpha():
        return Level.SECTION, None
    if len(code) == 2:
        return Level.DIVISION, isic_section_of(code)
    if len(code) == 3:
        return Level.GROUP, code[:2]
    if len(code) == 4:
        return Level.CLASS, code[:3]
    raise ValueError(f"not an ISIC Rev.4 code: {code!r}")


def hs_parent(code: str) -> tuple[str, str | None]:
    if len(code) == 2:
        return Level.CHAPTER, None
    if len(code) == 4:
        return Level.HEADING, code[:2]
    if len(code) == 6:
        return Level.SUBHEADING, code[:4]
    raise ValueError(f"not an HS code: {code!r}")


@transaction.atomic
def upsert(
    scheme: str,
    nodes: Iterable[Node],
    *,
    keep_persian: bool,
    progress: Callable[[int], None] | None = None,
    model: type[Classification] = Classification,
) -> LoadResult:
    """Create or update the nodes of one scheme (parents linked in a second pass).

    ``model`` lets a data migration pass its historical model.
    """
    Classification = model
    nodes = list(nodes)
    existing = {row.code: row for row in Classification.objects.filter(scheme=scheme)}
    result = LoadResult()
    to_create, to_update = [], []
    for index, node in enumerate(nodes):
        name_fa = normalize(node.name_fa)
        name_en = normalize(node.name_en)
        row = existing.get(node.code)
        if row is None:
            row = Classification(
                scheme=scheme, code=node.code, level=node.level, name=name_fa, name_en=name_en
            )
            row.sort_name = sort_key(name_fa or name_en)
            row.search_name = fold(f"{node.code} {name_fa} {name_en}")[:400]
            to_create.append(row)
            existing[node.code] = row
            result.created += 1
        else:
            # The bundled lists own the Persian names; the official files own the English ones.
            new_fa = row.name if keep_persian and row.name else (name_fa or row.name)
            new_en = row.name_en if not keep_persian and row.name_en else (name_en or row.name_en)
            if (row.level, row.name, row.name_en) != (node.level, new_fa, new_en):
                row.level, row.name, row.name_en = node.level, new_fa, new_en
                row.sort_name = sort_key(row.name or row.name_en)
                row.search_name = fold(f"{row.code} {row.name} {row.name_en}")[:400]
                to_update.append(row)
                result.updated += 1
            else:
                result.unchanged += 1
        if progress and index % 500 == 0:
            progress(index)
    Classification.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Classification.objects.bulk_update(
            to_update, ["level", "name", "name_en", "sort_name", "search_name"], batch_size=1000
        )
    ids = dict(Classification.objects.filter(scheme=scheme).values_list("code", "id"))
    parents = dict(Classification.objects.filter(scheme=scheme).values_list("code", "parent_id"))
    relink = []
    for node in nodes:
        parent_id = ids.get(node.parent) if node.parent else None
        if parents.get(node.code) != parent_id:
            relink.append(Classification(id=ids[node.code], parent_id=parent_id))
    Classification.objects.bulk_update(relink, ["parent"], batch_size=1000)
    return result


def _bundled_nodes(filename: str, parent_of: Callable[[str], tuple[str, str | None]]) -> list[Node]:
    path = DATA_DIR / filename
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        nodes = []
        for row in csv.DictReader(handle):
            level, parent = parent_of(row["code"])
            nodes.append(Node(row["code"], level, parent, row["name_en"], row["name_fa"]))
    return nodes


def load_bundled(model: type[Classification] = Classification) -> dict[str, LoadResult]:
    """Load the project's own ISIC and HS lists: Persian names are set, English only where missing."""
    isic = _bundled_nodes("isic4.csv", isic_parent)
    hs = _bundled_nodes("hs2022.csv", hs_parent) + _bundled_nodes("hs2022_subheadings.csv", hs_parent)
    return {
        Scheme.ISIC4: upsert(Scheme.ISIC4, isic, keep_persian=False, model=model),
        Scheme.HS2022: upsert(Scheme.HS2022, hs, keep_persian=False, model=model),
    }


def bundled_subheading_count() -> int:
    """How many HS subheadings the project ships: more than these in the database means the official
    table was loaded."""
    return len(_bundled_nodes("hs2022_subheadings.csv", hs_parent))


def read_isic_file(path: Path) -> list[Node]:
    """The UN ``ISIC_Rev_4_english_structure.txt`` ("Code","Description")."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header or [cell.strip().lower() for cell in header[:2]] != ["code", "description"]:
            raise ValueError(
                f"{path} is not an ISIC Rev.4 structure file (expected a Code,Description header)"
            )
        nodes = []
        for row in reader:
            if len(row) < 2 or not row[0].strip():
                continue
            code = row[0].strip()
            level, parent = isic_parent(code)
            nodes.append(Node(code, level, parent, row[1].strip()))
    return nodes


def read_hs_file(path: Path) -> list[Node]:
    """The HS 2022 ``harmonized-system.csv`` (section,hscode,description,parent,level)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"hscode", "description", "level"} <= set(reader.fieldnames):
            raise ValueError(f"{path} is not an HS file (expected hscode, description, level columns)")
        nodes = []
        for row in reader:
            code = (row.get("hscode") or "").strip()
            if not code.isdigit() or len(code) not in (2, 4, 6):
                continue  # the TOTAL row and anything that is not a chapter, heading or subheading
            level, parent = hs_parent(code)
            nodes.append(Node(code, level, parent, row["description"].strip()))
    return nodes


def load_isic_file(path: Path, progress: Callable[[int], None] | None = None) -> LoadResult:
    return upsert(Scheme.ISIC4, read_isic_file(path), keep_persian=True, progress=progress)


def load_hs_file(path: Path, progress: Callable[[int], None] | None = None) -> LoadResult:
    return upsert(Scheme.HS2022, read_hs_file(path), keep_persian=True, progress=progress)


def load_capabilities(model: Any = None) -> LoadResult:
    """Create or update capabilities from the matching engine's thesaurus (idempotent).

    Concepts that left the thesaurus are deactivated, never deleted (units may still carry them).
    """
    import json
    from types import SimpleNamespace

    from peyvand.matching.thesaurus import DATA_FILE

    Capability = model or _capability_model()
    # The concepts only (no tagger needed): read the engine's data file directly — the one source.
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    thesaurus = SimpleNamespace(
        families=raw.get("families", {}),
        concepts=[
            SimpleNamespace(
                id=item["id"],
                family=item.get("family", ""),
                name_fa=item.get("name_fa", ""),
                name_en=item.get("name_en", ""),
                synonyms_fa=item.get("synonyms_fa", []),
                synonyms_en=item.get("synonyms_en", []),
                related=item.get("related", []),
                isic=item.get("isic", []),
                hs=item.get("hs", []),
            )
            for item in raw["concepts"]
        ],
    )
    existing = {row.code: row for row in Capability.objects.all()}
    result = LoadResult()
    rows = []
    seen = set()
    for concept in thesaurus.concepts:
        family = thesaurus.families.get(concept.family, {})
        values = {
            "family": concept.family,
            "family_name": family.get("name_fa", ""),
            "family_name_en": family.get("name_en", ""),
            "name": normalize(concept.name_fa),
            "name_en": normalize(concept.name_en),
            "synonyms": [*concept.synonyms_fa, *concept.synonyms_en],
            "isic_codes": list(concept.isic),
            "hs_codes": list(concept.hs),
            "is_active": True,
        }
        seen.add(concept.id)
        row = existing.get(concept.id)
        if row is None:
            row = Capability(code=concept.id, **values)
            result.created += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        row.sort_name = sort_key(row.name or row.name_en)
        row.search_name = fold(f"{row.name} {row.name_en} {' '.join(row.synonyms)}")[:400]
        rows.append(row)
    with transaction.atomic():
        new = [row for row in rows if row.pk is None]
        Capability.objects.bulk_create(new, batch_size=500)
        changed = [row for row in rows if row.pk is not None and row not in new]
        fields = [
            "family",
            "family_name",
            "family_name_en",
            "name",
            "name_en",
            "synonyms",
            "isic_codes",
            "hs_codes",
        ]
        Capability.objects.bulk_update(
            changed, [*fields, "is_active", "sort_name", "search_name"], batch_size=500
        )
        gone = Capability.objects.exclude(code__in=seen).filter(is_active=True)
        result.updated += gone.update(is_active=False)
        ids = dict(Capability.objects.values_list("code", "id"))
        through = Capability.related.through
        wanted = {
            (ids[concept.id], ids[other])
            for concept in thesaurus.concepts
            for other in concept.related
            if other in ids and concept.id in ids
        }
        have = set(through.objects.values_list("from_capability_id", "to_capability_id"))
        through.objects.bulk_create(
            [through(from_capability_id=a, to_capability_id=b) for a, b in wanted - have], batch_size=1000
        )
        stale = have - wanted
        for a, b in stale:
            through.objects.filter(from_capability_id=a, to_capability_id=b).delete()
    return result


def _capability_model() -> Any:
    from .models import Capability

    return Capability
