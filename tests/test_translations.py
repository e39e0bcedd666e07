"""Persian first: every interface string has a Persian translation, and the compiled catalog is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "peyvand" / "locale" / "fa" / "LC_MESSAGES"


def _entries() -> list[tuple[str, str, list[str]]]:
    """(context, msgid, [msgstr…]) of every entry of the .po file, read line by line (no obsolete ones)."""
    entries: list[tuple[str, str, list[str]]] = []
    context: list[str] = []
    msgid: list[str] = []
    strings: list[list[str]] = []
    current: list[str] | None = None

    def flush() -> None:
        if msgid or strings:
            entries.append(("".join(context), "".join(msgid), ["".join(parts) for parts in strings]))

    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (keyword == "msgctxt" or current is not context):
            flush()
            context, msgid, strings = [], [], []
        if keyword == "msgctxt":
            current = context
        elif keyword == "msgid":
            current = msgid
        elif keyword == "msgid_plural":
            current = []
        elif keyword.startswith("msgstr"):
            strings.append([])
            current = strings[-1]
        else:
            rest = line
        if current is not None:
            current.append(re.sub(r'^"(.*)"$', r"\1", rest.strip()))
    flush()
    return [entry for entry in entries if entry[1]]


def test_every_interface_string_has_a_persian_translation() -> None:
    entries = _entries()
    assert len(entries) > 300
    missing = [msgid for _context, msgid, strings in entries if not all(strings)]
    assert not missing, f"untranslated: {missing[:10]}"
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_translations_use_persian_letters_not_arabic_ones() -> None:
    arabic = [
        msgid for _context, msgid, strings in _entries() if any(re.search("[يك]", text) for text in strings)
    ]
    assert not arabic


def test_the_compiled_catalog_matches_the_translations() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for context, msgid, strings in _entries()
        if len(strings) == 1
        and "\\" not in msgid + strings[0]
        and (catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)) != strings[0]
    ]
    assert not stale, f"run make messages: the compiled catalog is out of date for {stale[:5]}"
    assert catalog.gettext("Production units") == "واحدهای تولیدی"


_GETTEXT = {
    "_": 1,
    "gettext": 1,
    "gettext_lazy": 1,
    "gettext_noop": 1,
    "ngettext": 2,
    "ngettext_lazy": 2,
    "pgettext": 2,
    "pgettext_lazy": 2,
}


def test_every_translated_message_is_a_literal_so_it_reaches_the_catalogue() -> None:
    """``_(message)`` with a variable cannot be extracted: the message never gets a translation."""
    import ast

    package = LOCALE.parent.parent.parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            literal_args = _GETTEXT.get(name or "")
            if literal_args is None:
                continue
            args = node.args[:literal_args]
            if len(args) < literal_args or not all(
                isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in args
            ):
                offenders.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    assert not offenders, offenders
