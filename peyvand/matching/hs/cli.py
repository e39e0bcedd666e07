"""The ``hs`` command: HS-code suggestions for a JSONL file of products, for benchmarks and batch work.

    python -m peyvand.matching hs --items FILE.jsonl [--top 5] [--out OUT.jsonl] [--hs-file PATH] [--explain]

Each input line is ``{"id", "text", "attributes"}`` (attributes: an optional object such as
``{"Material": "Steel"}``, or a list of name/value pairs); ``title``, ``name``, ``description`` and
``category`` are read when ``text`` is missing. Each output line is ``{"id", "codes": [...]}``, best first,
in input order; ``--explain`` adds the texts and reasons. A line that is not a JSON object, or has no text,
gets an output line with no codes and an ``error`` (and a warning on stderr), so the output stays aligned
with the input and nothing is silently dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

_TEXT_FIELDS = ("text", "title", "name", "product_name", "product", "description", "desc")
_CATEGORY_FIELDS = ("category", "category_path", "categories", "category_name")


def add_hs_command(commands: Any) -> None:
    """Register the ``hs`` sub-command on the matching CLI's sub-parsers."""
    command = commands.add_parser("hs", help="suggest HS 2022 codes for products in a JSONL file")
    command.add_argument(
        "--items", required=True, help="products JSONL ({id, text, attributes}); - for stdin"
    )
    command.add_argument("--top", type=int, default=5, help="codes per product (default 5)")
    command.add_argument("--out", help="write to this file instead of stdout")
    command.add_argument(
        "--hs-file", help="the official harmonized-system.csv (default: ../shared/data/hs2022)"
    )
    command.add_argument("--explain", action="store_true", help="add texts and reasons to each line")
    command.add_argument(
        "--lang", choices=("fa", "en"), default=None, help="language of the reasons (--explain)"
    )
    command.add_argument("--no-thesaurus", action="store_true", help="leave out the capability thesaurus")
    command.set_defaults(handler=run)


def _lines(path: str) -> Iterator[tuple[int, str]]:
    handle: IO[str] = sys.stdin if path == "-" else open(path, encoding="utf-8-sig", errors="replace")  # noqa: SIM115
    try:
        yield from enumerate(handle, start=1)
    finally:
        if handle is not sys.stdin:
            handle.close()


def read_item(raw: Any) -> tuple[Any, str, Any, str | None]:
    """(id, text, attributes, problem) of one parsed JSONL value; tolerant of missing and odd fields."""
    if isinstance(raw, str):
        return None, raw, None, None if raw.strip() else "empty text"
    if not isinstance(raw, dict):
        return None, "", None, "not a JSON object"
    item_id = raw.get("id")
    text = next((raw[field] for field in _TEXT_FIELDS if isinstance(raw.get(field), str | list)), "")
    attributes = raw.get("attributes", raw.get("attrs"))
    category = next((raw[field] for field in _CATEGORY_FIELDS if raw.get(field)), None)
    if category is not None:
        if isinstance(category, list):
            category = " > ".join(str(level) for level in category)
        if isinstance(attributes, dict):
            attributes = {**attributes, "Category": category}
        elif isinstance(attributes, list):
            attributes = [*attributes, {"name": "Category", "value": category}]
        else:
            attributes = {"Category": category, **({"": attributes} if attributes else {})}
    if isinstance(text, list):
        text = " | ".join(str(part) for part in text)
    has_text = bool(str(text).strip()) or bool(attributes)
    return item_id, str(text), attributes, None if has_text else "no text"


def run(args: argparse.Namespace) -> int:
    """Suggest codes for every line of ``--items``; returns the exit status."""
    from peyvand.matching.hs.nomenclature import HSDataError
    from peyvand.matching.hs.suggester import load_suggester

    try:
        suggester = load_suggester(args.hs_file, use_thesaurus=not args.no_thesaurus)
    except HSDataError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    try:
        lines = list(_lines(args.items))
    except OSError as error:
        sys.stderr.write(f"{args.items}: {error.strerror or error}\n")
        return 2
    out: IO[str] = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    problems = 0
    try:
        for number, line in lines:
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                raw, problem = None, f"not valid JSON ({error.msg})"
                item_id, text, attributes = None, "", None
            else:
                item_id, text, attributes, problem = read_item(raw)
            record: dict[str, Any] = {"id": item_id, "codes": []}
            if problem is None:
                suggestions = suggester.suggest(text, attributes, top=max(args.top, 0))
                record["codes"] = [suggestion.code for suggestion in suggestions]
                if args.explain:
                    record["suggestions"] = [
                        _explained(suggestion, args.lang or _language(text)) for suggestion in suggestions
                    ]
            else:
                problems += 1
                record["line"] = number
                record["error"] = problem
                sys.stderr.write(f"{args.items}:{number}: {problem}\n")
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if problems:
        sys.stderr.write(f"{problems} line(s) had no usable product; they got empty code lists\n")
    return 0


def _language(text: str) -> str:
    from peyvand.matching.text import detect_language

    return detect_language(text)


def _explained(suggestion: Any, lang: str) -> dict[str, Any]:
    return {
        "code": suggestion.code,
        "score": suggestion.score,
        "text": suggestion.text(lang),
        "heading": suggestion.heading,
        "heading_text": suggestion.heading_fa if lang == "fa" else suggestion.heading_en,
        "reasons": list(suggestion.reasons(lang)),
    }
