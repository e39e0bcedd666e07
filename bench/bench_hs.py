"""HS-code suggester benchmark: accuracy beside a plain BM25 over the HS texts, in the same run, and speed.

    .venv/bin/python bench/bench_hs.py                      # all sets in bench/data/hs
    .venv/bin/python bench/bench_hs.py --sets dev,holdout   # some of them
    .venv/bin/python bench/bench_hs.py --json /tmp/hs.json  # also write the figures as JSON

Quality: for each set of bench/data/hs (see its README), top-1 and top-5 accuracy at 2, 4 and 6 digits
(a prediction counts at n digits when its first n digits equal the expert code's) for

* ``bm25``  — plain BM25 (bm25s, the project's analyser) over the 5,613 official subheading texts, the
  query being the item's text and attribute values;
* ``hs``    — the suggester (``peyvand.matching.hs``), which reads the same official file.

Speed: build time of each (after the analyser's one-off warm-up, reported apart), and milliseconds per
item (mean, median, 95th percentile) on this machine, with its load average.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "hs"
SETS = ("dev", "holdout", "fresh", "fresh2", "fa")
sys.path.insert(0, str(ROOT))


def _items(name: str) -> list[dict[str, Any]]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class PlainBM25:
    """The baseline: bm25s over the official subheading texts, nothing else."""

    def __init__(self, hs_file: Path) -> None:
        import bm25s

        from peyvand.matching.text import analyse

        with open(hs_file, encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.DictReader(handle) if len((row["hscode"] or "").strip()) == 6]
        self.codes = [row["hscode"].strip() for row in rows]
        self._analyse = analyse
        self._bm25 = bm25s.BM25()
        self._bm25.index([analyse(row["description"]) or [""] for row in rows], show_progress=False)
        self._vocabulary = self._bm25.vocab_dict

    def suggest(self, text: str, attributes: Any, top: int = 5) -> list[str]:
        import numpy as np

        values = (
            " ".join(str(value) for value in (attributes or {}).values())
            if isinstance(attributes, dict)
            else ""
        )
        query = [term for term in self._analyse(f"{text} {values}") if term in self._vocabulary]
        if not query:
            return []
        scores = np.asarray(self._bm25.get_scores(query))
        return [self.codes[row] for row in np.argsort(-scores)[:top]]


def _accuracy(predictions: list[list[str]], gold: list[str]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for digits in (2, 4, 6):
        for top in (1, 5):
            hits = sum(
                any(code[:digits] == expected[:digits] for code in codes[:top])
                for codes, expected in zip(predictions, gold, strict=True)
            )
            figures[f"top{top}@{digits}"] = round(100 * hits / len(gold), 1) if gold else 0.0
    return figures


def _timed(function: Any, items: list[dict[str, Any]]) -> tuple[list[list[str]], list[float]]:
    predictions, times = [], []
    for item in items:
        started = time.perf_counter()
        predictions.append(function(item.get("text", ""), item.get("attributes")))
        times.append(1000 * (time.perf_counter() - started))
    return predictions, times


def _speed(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "ms_mean": round(statistics.fmean(ordered), 2),
        "ms_median": round(statistics.median(ordered), 2),
        "ms_p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument(
        "--hs-file", help="the official harmonized-system.csv (default: ../shared/data/hs2022)"
    )
    parser.add_argument("--json", help="write the figures to this JSON file")
    args = parser.parse_args()

    from peyvand.matching.hs import HSSuggester
    from peyvand.matching.hs.nomenclature import HSDataError, resolve_hs_file
    from peyvand.matching.text import warm_up

    try:
        hs_file = resolve_hs_file(args.hs_file)
    except HSDataError as error:
        print(error, file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    started = time.perf_counter()
    warm_up()
    warm_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baseline = PlainBM25(hs_file)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    suggester = HSSuggester.build(hs_file)
    suggester_seconds = time.perf_counter() - started

    report: dict[str, Any] = {
        "hs_file": str(hs_file),
        "analyser_warm_up_s": round(warm_seconds, 2),
        "build_s": {"bm25": round(baseline_seconds, 2), "hs": round(suggester_seconds, 2)},
        "suggester": suggester.stats,
        "sets": {},
    }
    print(f"HS suggester benchmark — {hs_file}")
    print(
        f"build: analyser warm-up {warm_seconds:.2f} s (once per process), plain BM25 {baseline_seconds:.2f} s, "
        f"suggester {suggester_seconds:.2f} s ({suggester.stats['lexicon_names']} lexicon names, "
        f"{suggester.stats['subheadings']} subheadings)"
    )
    header = f"{'set':<9}{'n':>5}  {'system':<6}" + "".join(
        f"{name:>10}" for name in ("top1@2", "top5@2", "top1@4", "top5@4", "top1@6", "top5@6")
    )
    header += f"{'ms/item':>9}{'p95':>7}"
    print(header)
    all_english: dict[str, list[Any]] = {"bm25": [], "hs": [], "gold": []}
    for name in [part.strip() for part in args.sets.split(",") if part.strip()]:
        if not (DATA / f"{name}.jsonl").exists():
            print(f"{name}: no such set in {DATA}", file=sys.stderr)
            return 2
        items = _items(name)
        gold = [item["hs"] for item in items]
        runs = {
            "bm25": _timed(lambda text, attributes: baseline.suggest(text, attributes, 5), items),
            "hs": _timed(
                lambda text, attributes: [s.code for s in suggester.suggest(text, attributes, top=5)], items
            ),
        }
        report["sets"][name] = {}
        for system, (predictions, times) in runs.items():
            figures = {**_accuracy(predictions, gold), **_speed(times), "n": len(items)}
            report["sets"][name][system] = figures
            if name != "fa":
                all_english[system].extend(predictions)
            print(
                f"{name:<9}{len(items):>5}  {system:<6}"
                + "".join(
                    f"{figures[key]:>10.1f}"
                    for key in ("top1@2", "top5@2", "top1@4", "top5@4", "top1@6", "top5@6")
                )
                + f"{figures['ms_mean']:>9.2f}{figures['ms_p95']:>7.2f}"
            )
        if name != "fa":
            all_english["gold"].extend(gold)
    if all_english["gold"]:
        report["sets"]["english"] = {}
        for system in ("bm25", "hs"):
            figures = _accuracy(all_english[system], all_english["gold"])
            report["sets"]["english"][system] = {**figures, "n": len(all_english["gold"])}
            print(
                f"{'english':<9}{len(all_english['gold']):>5}  {system:<6}"
                + "".join(
                    f"{figures[key]:>10.1f}"
                    for key in ("top1@2", "top5@2", "top1@4", "top5@4", "top1@6", "top5@6")
                )
            )
    load_after = os.getloadavg()
    report["load_average"] = {"before": load_before, "after": load_after, "cpus": os.cpu_count()}
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
