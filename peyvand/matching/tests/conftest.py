"""Shared, module-light fixtures: the analyser and thesaurus are built once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peyvand.matching.documents import Profile, Request
from peyvand.matching.thesaurus import Thesaurus, load_thesaurus

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_fixture(name: str) -> list[dict]:
    """Objects of a JSONL fixture."""
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def thesaurus() -> Thesaurus:
    return load_thesaurus()


@pytest.fixture(scope="session")
def fixture_profiles() -> list[Profile]:
    return [Profile.from_dict(item) for item in read_fixture("profiles.jsonl")]


@pytest.fixture(scope="session")
def fixture_requests() -> dict[str, Request]:
    return {item["id"]: Request.from_dict(item) for item in read_fixture("requests.jsonl")}
