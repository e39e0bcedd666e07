"""Synthetic supplier profiles for the matching speed benchmark, derived from the DEV profile texts.

Profile i copies DEV profile ``i % len(dev)`` with the noise real registries carry (Arabic ي/ك, Persian or
Latin digits, missing or spaced half-spaces, shuffled product lists), a county and, now and then, another
status. Every name carries its copy's number, so no two texts are equal and the speed run embeds each
profile for real (no vector is reused).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "matching" / "dev"
_STATUSES = ("active", "semi_active", "idle", "closed")
_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def read_jsonl(path: Path) -> list[dict]:
    """Objects of a JSONL file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _noisy(text: str, rnd: random.Random) -> str:
    if rnd.random() < 0.3:
        text = text.translate(_ARABIC)
    roll = rnd.random()
    if roll < 0.2:
        text = text.replace("\u200c", " ")
    elif roll < 0.35:
        text = text.replace("\u200c", "")
    if rnd.random() < 0.3:
        text = text.translate(_PERSIAN_DIGITS if rnd.random() < 0.5 else _LATIN_DIGITS)
    return text


def synthetic_profiles(count: int, seed: int = 7, dev: Path = DEV) -> Iterator[tuple[dict, int]]:
    """(profile dict, index of its DEV source) for ``count`` synthetic profiles."""
    sources = read_jsonl(dev / "profiles.jsonl")
    counties = sorted({item["county"] for item in sources})
    rnd = random.Random(seed)
    for number in range(count):
        source_index = number % len(sources)
        source = sources[source_index]
        products = list(source.get("products") or [])
        rnd.shuffle(products)
        status = source["status"] if rnd.random() < 0.9 else rnd.choice(_STATUSES)
        profile = {
            **source,
            "id": f"syn-{number:06d}",
            "name": _noisy(f"{source['name']} {number // len(sources) + 1}", rnd),
            "description": _noisy(source["description"], rnd),
            "products": [_noisy(product, rnd) for product in products],
            "county": rnd.choice(counties),
            "status": status,
        }
        yield profile, source_index
