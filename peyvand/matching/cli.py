"""Command line: a thin shell over the functions the web app calls.

    python -m peyvand.matching rank --profiles P.jsonl --requests R.jsonl [--top 20] [--no-semantic]
    python -m peyvand.matching tag "ریخته‌گری تحت فشار قطعات آلومینیومی"
    python -m peyvand.matching build --profiles P.jsonl --out DIR [--no-semantic]
    python -m peyvand.matching why-not --profiles P.jsonl --requests R.jsonl --request-id ID --profile-id ID
    python -m peyvand.matching hs --items ITEMS.jsonl [--top 5] [--out OUT.jsonl]   (see peyvand.matching.hs.cli)

``rank`` prints one JSON line per request: ``{"request_id", "ranked", "scores", "reasons"}`` with reasons
in the request's language. ``--index DIR`` ranks against a saved index instead of building one;
``--cache DIR`` keeps profile vectors between runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from peyvand.matching.documents import Profile, Request


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """JSON objects of a JSONL file (blank lines skipped)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number}: not valid JSON ({error.msg})") from error


def _load_index(args: argparse.Namespace) -> Any:
    from peyvand.matching.index import Index, build_index

    if args.index:
        return Index.load(args.index)
    if not args.profiles:
        raise SystemExit("give --profiles or --index")
    profiles = [Profile.from_dict(item) for item in read_jsonl(args.profiles)]
    return build_index(profiles, embedder=None if args.no_semantic else "auto", embedding_cache=args.cache)


def _command_rank(args: argparse.Namespace) -> int:
    from peyvand.matching.ranking import rank

    index = _load_index(args)
    semantic = False if args.no_semantic else None
    out = sys.stdout
    for item in read_jsonl(args.requests):
        request = Request.from_dict(item)
        results = rank(index, request, top=args.top, semantic=semantic)
        lang = request.language
        line = {
            "request_id": request.id,
            "ranked": [result.profile_id for result in results],
            "scores": [result.score for result in results],
            "reasons": [list(result.reasons(lang)) for result in results],
        }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def _command_tag(args: argparse.Namespace) -> int:
    from peyvand.matching.text import detect_language
    from peyvand.matching.thesaurus import load_thesaurus

    thesaurus = load_thesaurus()
    text = " ".join(args.text)
    lang = detect_language(text)
    hits = thesaurus.tag(text)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "concept": hit.concept_id,
                        "name": thesaurus.get(hit.concept_id).name(lang),
                        "matched": hit.matched_text,
                        "start": hit.start,
                        "end": hit.end,
                        "weight": hit.weight,
                        "context": hit.context,
                    }
                    for hit in hits
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not hits:
        print("no capability found" if lang == "en" else "هیچ توانی یافت نشد")
    for hit in hits:
        concept = thesaurus.get(hit.concept_id)
        note = "" if hit.context == "plain" else f"  ({hit.context}, weight {hit.weight})"
        print(f"{hit.concept_id}\t{concept.name(lang)}\t«{hit.matched_text}»{note}")
    return 0


def _command_build(args: argparse.Namespace) -> int:
    index = _load_index(args)
    path = index.save(args.out)
    print(json.dumps({"index": str(path), **index.stats}, ensure_ascii=False))
    return 0


def _command_why_not(args: argparse.Namespace) -> int:
    from peyvand.matching.explain import why_not

    index = _load_index(args)
    requests = {str(item["id"]): item for item in read_jsonl(args.requests)}
    if args.request_id not in requests:
        raise SystemExit(f"no request {args.request_id} in {args.requests}")
    request = Request.from_dict(requests[args.request_id])
    answer = why_not(
        index, request, args.profile_id, top=args.top, semantic=False if args.no_semantic else None
    )
    lang = request.language
    print(
        json.dumps(
            {
                "profile_id": answer.profile_id,
                "in_results": answer.in_results,
                "rank": answer.rank,
                "reasons": list(answer.reasons(lang)),
            },
            ensure_ascii=False,
        )
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the tests)."""
    parser = argparse.ArgumentParser(prog="python -m peyvand.matching", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    def index_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--profiles", help="profiles JSONL (benchmark schema)")
        command.add_argument("--index", help="a saved index directory instead of --profiles")
        command.add_argument("--cache", help="directory keeping profile vectors between runs")
        command.add_argument("--no-semantic", action="store_true", help="rank without the e5 layer")

    rank_command = commands.add_parser("rank", help="rank profiles for each request")
    index_options(rank_command)
    rank_command.add_argument("--requests", required=True, help="requests JSONL (benchmark schema)")
    rank_command.add_argument("--top", type=int, default=20)
    rank_command.set_defaults(handler=_command_rank)

    tag_command = commands.add_parser("tag", help="print the capability concepts found in a text")
    tag_command.add_argument("text", nargs="+")
    tag_command.add_argument("--json", action="store_true", help="print JSON")
    tag_command.set_defaults(handler=_command_tag)

    build_command = commands.add_parser("build", help="build and save an index")
    index_options(build_command)
    build_command.add_argument("--out", required=True, help="directory to write the index to")
    build_command.set_defaults(handler=_command_build)

    why_command = commands.add_parser("why-not", help="explain why a profile is not suggested for a request")
    index_options(why_command)
    why_command.add_argument("--requests", required=True)
    why_command.add_argument("--request-id", required=True)
    why_command.add_argument("--profile-id", required=True)
    why_command.add_argument("--top", type=int, default=20)
    why_command.set_defaults(handler=_command_why_not)

    from peyvand.matching.hs.cli import add_hs_command

    add_hs_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.handler(args))
