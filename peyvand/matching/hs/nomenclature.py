"""The HS 2022 nomenclature as the suggester reads it: official English texts, the project's Persian names and
the ISIC–HS concordance, all read in place (never copied into the repository).

Where the files are (first found wins):

* the official table ``harmonized-system.csv``: the ``hs_file`` argument, ``$PEYVAND_HS_FILE``,
  ``$PEYVAND_SHARED_DIR/data/hs2022/``, then ``../shared/data/hs2022/`` beside the project root;
* the concordance ``hs_isic4_concordance.csv``: the ``concordance_file`` argument,
  ``$PEYVAND_HS_CONCORDANCE_FILE``, then ``isic4/`` beside the HS folder (optional: without it the
  suggester simply gives no ISIC hints);
* Persian chapter and heading names: ``peyvand/taxonomy/data/hs2022.csv`` (the project's own, read as
  data) and Persian subheading names of the province's products in ``taxonomy/data/hs2022_subheadings.csv``
  and ``hs/data/names_fa.txt``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_NAMES = PROJECT_ROOT / "peyvand" / "taxonomy" / "data" / "hs2022.csv"
SECTION_NAMES = PROJECT_ROOT / "peyvand" / "taxonomy" / "data" / "hs2022_sections.csv"
SHIPPED_SUBHEADINGS = PROJECT_ROOT / "peyvand" / "taxonomy" / "data" / "hs2022_subheadings.csv"
SUBHEADING_NAMES = DATA_DIR / "names_fa.txt"
HS_FILE_ENV = "PEYVAND_HS_FILE"
CONCORDANCE_FILE_ENV = "PEYVAND_HS_CONCORDANCE_FILE"
SHARED_DIR_ENV = "PEYVAND_SHARED_DIR"


class HSDataError(Exception):
    """The official HS file is missing or unreadable; the message says so in Persian and English."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One code of the nomenclature: a chapter (2 digits), heading (4) or subheading (6)."""

    code: str
    description_en: str
    parent: str  # "" for a chapter
    section: str  # Roman numeral
    name_fa: str = ""

    @property
    def level(self) -> int:
        return len(self.code)


@dataclass
class Nomenclature:
    """Chapters, headings and subheadings by code, with their children and the ISIC concordance."""

    entries: dict[str, Entry]
    subheadings: tuple[str, ...]
    children: dict[str, tuple[str, ...]]
    isic_by_code: dict[str, tuple[str, ...]] = field(default_factory=dict)
    codes_by_isic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    section_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # numeral → (en, fa)
    source: str = ""

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def get(self, code: str) -> Entry | None:
        """The entry for ``code`` (2, 4 or 6 digits), or None."""
        return self.entries.get(code)

    def subheadings_under(self, code: str) -> tuple[str, ...]:
        """The 6-digit codes under a chapter or heading (a subheading gives itself)."""
        if len(code) == 6:
            return (code,) if code in self.entries else ()
        if len(code) == 4:
            return self.children.get(code, ())
        return tuple(sub for heading in self.children.get(code, ()) for sub in self.children.get(heading, ()))

    def name(self, code: str, lang: str) -> str:
        """The code's name in ``lang``: Persian when written (else the heading's), English from the file."""
        entry = self.entries.get(code)
        if entry is None:
            return ""
        if lang == "fa":
            return entry.name_fa
        return entry.description_en


def resolve_hs_file(hs_file: str | Path | None = None) -> Path:
    """The official HS 2022 table to read (see the module docstring for the search order)."""
    candidates: list[Path] = []
    if hs_file:
        candidates.append(Path(hs_file))
    elif os.environ.get(HS_FILE_ENV):
        candidates.append(Path(os.environ[HS_FILE_ENV]))
    else:
        if os.environ.get(SHARED_DIR_ENV):
            candidates.append(Path(os.environ[SHARED_DIR_ENV]) / "data" / "hs2022" / "harmonized-system.csv")
        candidates.append(PROJECT_ROOT.parent / "shared" / "data" / "hs2022" / "harmonized-system.csv")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(path) for path in candidates)
    raise HSDataError(
        f"جدول رسمی HS 2022 (harmonized-system.csv) پیدا نشد؛ مسیر را با --hs-file یا {HS_FILE_ENV} بدهید. "
        f"The official HS 2022 table (harmonized-system.csv) was not found (tried: {tried}); "
        f"give its path with --hs-file or {HS_FILE_ENV}."
    )


def resolve_concordance_file(hs_file: Path, concordance_file: str | Path | None = None) -> Path | None:
    """The ISIC–HS concordance beside the HS folder, or the given/env path; None when absent."""
    if concordance_file:
        return Path(concordance_file) if Path(concordance_file).is_file() else None
    if os.environ.get(CONCORDANCE_FILE_ENV):
        path = Path(os.environ[CONCORDANCE_FILE_ENV])
        return path if path.is_file() else None
    path = hs_file.resolve().parent.parent / "isic4" / "hs_isic4_concordance.csv"
    return path if path.is_file() else None


def _read_names_fa() -> dict[str, str]:
    names: dict[str, str] = {}
    for path in (TAXONOMY_NAMES, SHIPPED_SUBHEADINGS):
        if path.is_file():
            with open(path, encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    if row.get("name_fa"):
                        names[row["code"]] = row["name_fa"].strip()
    if SUBHEADING_NAMES.is_file():
        with open(SUBHEADING_NAMES, encoding="utf-8") as handle:
            for line in handle:
                line = line.split("#", 1)[0].strip()
                if "|" in line:
                    code, name = (part.strip() for part in line.split("|", 1))
                    if code.isdigit() and name:
                        names[code] = name
    return names


def _read_sections() -> dict[str, tuple[str, str]]:
    sections: dict[str, tuple[str, str]] = {}
    if SECTION_NAMES.is_file():
        with open(SECTION_NAMES, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                sections[row["section"]] = (row.get("name_en", ""), row.get("name_fa", ""))
    return sections


def load_nomenclature(
    hs_file: str | Path | None = None, concordance_file: str | Path | None = None
) -> Nomenclature:
    """Read the official table (and the concordance and Persian names when present)."""
    path = resolve_hs_file(hs_file)
    names_fa = _read_names_fa()
    entries: dict[str, Entry] = {}
    children: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"hscode", "description", "parent", "section"} - set(reader.fieldnames or ())
            if missing:
                raise HSDataError(
                    f"ستون‌های {', '.join(sorted(missing))} در {path} نیست. "
                    f"{path} lacks the columns {', '.join(sorted(missing))}."
                )
            for row in reader:
                code = (row["hscode"] or "").strip()
                if not code.isdigit() or len(code) not in (2, 4, 6):
                    continue  # the TOTAL row and anything malformed
                parent = (row["parent"] or "").strip()
                parent = parent if parent.isdigit() else ""
                entries[code] = Entry(
                    code=code,
                    description_en=(row["description"] or "").strip(),
                    parent=parent,
                    section=(row["section"] or "").strip(),
                    name_fa=names_fa.get(code, ""),
                )
                if parent:
                    children.setdefault(parent, []).append(code)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise HSDataError(f"خواندن {path} ممکن نشد ({error}). Could not read {path} ({error}).") from error
    subheadings = tuple(sorted(code for code in entries if len(code) == 6))
    if not subheadings:
        raise HSDataError(f"در {path} هیچ زیرشماره ۶ رقمی نیست. {path} holds no 6-digit subheading.")
    nomenclature = Nomenclature(
        entries=entries,
        subheadings=subheadings,
        children={code: tuple(sorted(kids)) for code, kids in children.items()},
        section_names=_read_sections(),
        source=str(path),
    )
    concordance = resolve_concordance_file(path, concordance_file)
    if concordance is not None:
        _read_concordance(nomenclature, concordance)
    return nomenclature


def _read_concordance(nomenclature: Nomenclature, path: Path) -> None:
    isic_by_code: dict[str, list[str]] = {}
    codes_by_isic: dict[str, list[str]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, isic = (row.get("HS_6d") or "").strip(), (row.get("ISIC4_4d") or "").strip()
            if code in nomenclature.entries and isic:
                isic_by_code.setdefault(code, []).append(isic)
                codes_by_isic.setdefault(isic, []).append(code)
    nomenclature.isic_by_code = {code: tuple(dict.fromkeys(values)) for code, values in isic_by_code.items()}
    nomenclature.codes_by_isic = {
        isic: tuple(dict.fromkeys(values)) for isic, values in codes_by_isic.items()
    }
