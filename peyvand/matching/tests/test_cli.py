"""The command line on a small fixture (rank, tag, build, why-not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peyvand.matching.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROFILES = str(FIXTURES / "profiles.jsonl")
REQUESTS = str(FIXTURES / "requests.jsonl")


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_rank_prints_one_json_line_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--profiles", PROFILES, "--requests", REQUESTS, "--top", "5", "--no-semantic"]) == 0
    lines = _lines(capsys.readouterr().out)
    assert [line["request_id"] for line in lines] == ["fx-r1", "fx-r2", "fx-r3"]
    for line in lines:
        assert set(line) == {"request_id", "ranked", "scores", "reasons"}
        assert len(line["ranked"]) == len(line["scores"]) == len(line["reasons"]) <= 5
        assert "fx-03" not in line["ranked"]
        assert "fx-08" not in line["ranked"]
    assert lines[0]["ranked"][0] == "fx-01"
    assert lines[0]["reasons"][0][0].startswith("منطبق با")  # Persian request, Persian reasons
    assert lines[1]["reasons"][0][0].startswith("matches")


def test_rank_uses_a_saved_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--profiles", PROFILES, "--out", str(tmp_path / "index"), "--no-semantic"]) == 0
    capsys.readouterr()
    assert main(["rank", "--index", str(tmp_path / "index"), "--requests", REQUESTS, "--no-semantic"]) == 0
    assert _lines(capsys.readouterr().out)[0]["ranked"][0] == "fx-01"


def test_tag_prints_the_concepts_it_finds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "ریخته‌گری", "تحت", "فشار", "قطعات", "آلومینیومی"]) == 0
    assert "metal.die_casting" in capsys.readouterr().out
    assert main(["tag", "--json", "aluminium die casting, ISO 9001"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["concept"] == "metal.die_casting"
    assert hits[0]["name"] == "pressure die casting"


def test_why_not_explains_a_missing_supplier(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["why-not", "--profiles", PROFILES, "--requests", REQUESTS, "--no-semantic"]
    assert main([*arguments, "--request-id", "fx-r1", "--profile-id", "fx-03"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["in_results"] is False
    assert "راکد" in answer["reasons"][0]


def test_a_broken_jsonl_line_gives_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x"\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"broken\.jsonl:1: not valid JSON"):
        main(["rank", "--profiles", str(broken), "--requests", REQUESTS, "--no-semantic"])
