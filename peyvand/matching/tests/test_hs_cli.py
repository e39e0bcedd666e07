"""``python -m peyvand.matching hs``: codes for a JSONL file of products, line for line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peyvand.matching.cli import main

SHARED_HS = Path(__file__).resolve().parents[4] / "shared" / "data" / "hs2022" / "harmonized-system.csv"
pytestmark = pytest.mark.skipif(not SHARED_HS.exists(), reason="../shared/data/hs2022 not available")


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_hs_writes_one_line_per_product_with_codes_best_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _write(
        tmp_path / "items.jsonl",
        [
            json.dumps(
                {"id": "pan", "text": "Stainless Steel Frying Pan 28cm", "attributes": {"Material": "Steel"}}
            ),
            json.dumps({"id": "tea", "text": "چای سیاه لاهیجان ۴۵۰ گرمی", "attributes": None}),
            json.dumps(
                {"id": 7, "text": "TWS Bluetooth Earbuds | Category: Consumer Electronics > Earphones"}
            ),
        ],
    )
    assert main(["hs", "--items", str(items), "--top", "3"]) == 0
    lines = _read(capsys.readouterr().out)
    assert [line["id"] for line in lines] == ["pan", "tea", 7]
    assert all(set(line) == {"id", "codes"} and len(line["codes"]) == 3 for line in lines)
    assert [line["codes"][0] for line in lines] == ["732393", "090230", "851830"]


def test_hs_keeps_odd_lines_in_place_with_an_error_and_no_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _write(
        tmp_path / "odd.jsonl",
        [
            '{"id": "a", "text": "Cotton crew socks 10 pairs"}',
            "",
            "this is not JSON",
            '{"id": "no-text"}',
            "[1, 2, 3]",
            '"Men\'s leather belt automatic buckle"',
            '{"id": "b", "title": "Yoga mat 6mm", "category": ["Sports", "Fitness", "Yoga Mats"]}',
            '{"id": "c", "text": "Wireless mouse", "attributes": [{"name": "Type", "value": "Optical"}]}',
        ],
    )
    assert main(["hs", "--items", str(items)]) == 0
    captured = capsys.readouterr()
    lines = _read(captured.out)
    assert [line["id"] for line in lines] == ["a", None, "no-text", None, None, "b", "c"]
    assert lines[1] == {"id": None, "codes": [], "line": 3, "error": "not valid JSON (Expecting value)"}
    assert lines[2]["codes"] == []
    assert lines[2]["error"] == "no text"
    assert lines[3]["error"] == "not a JSON object"
    assert lines[0]["codes"][0] == "611595"
    assert lines[4]["codes"][0] == "420330"
    assert lines[5]["codes"][0] == "950691"
    assert lines[6]["codes"][0] == "847160"
    assert "odd.jsonl:3: not valid JSON" in captured.err
    assert "3 line(s) had no usable product" in captured.err


def test_hs_writes_to_a_file_and_explains_in_persian(tmp_path: Path) -> None:
    items = _write(tmp_path / "items.jsonl", ['{"id": "rice", "text": "برنج هاشمی گیلان کیسه ۱۰ کیلویی"}'])
    out = tmp_path / "out.jsonl"
    assert (
        main(["hs", "--items", str(items), "--out", str(out), "--top", "2", "--explain", "--lang", "fa"]) == 0
    )
    [line] = _read(out.read_text(encoding="utf-8"))
    assert line["codes"][0] == "100630"
    first = line["suggestions"][0]
    assert first["code"] == "100630"
    assert first["text"] == "برنج سفید (نیمه‌سفید یا کاملاً سفیدشده)"
    assert first["heading"] == "1006"
    assert first["heading_text"] == "برنج"
    assert first["reasons"]
    assert "برنج" in first["reasons"][0]


def test_hs_says_clearly_when_the_hs_file_or_the_items_are_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _write(tmp_path / "items.jsonl", ['{"id": "x", "text": "socks"}'])
    assert main(["hs", "--items", str(items), "--hs-file", str(tmp_path / "nowhere.csv")]) == 2
    error = capsys.readouterr().err
    assert "harmonized-system.csv" in error
    assert "was not found" in error
    assert "پیدا نشد" in error
    assert main(["hs", "--items", str(tmp_path / "absent.jsonl")]) == 2
    assert "absent.jsonl" in capsys.readouterr().err
