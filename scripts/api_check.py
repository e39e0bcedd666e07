"""Run schemathesis against the API as CI would: a fresh SQLite database with the demo data, served by
gunicorn under production settings, tested once with a staff persona's token (manager) and once with a
supplier's (unit1). Prints schemathesis's report; exits non-zero on any server error or schema violation.

Checks: every response check (no 5xx, documented status codes, content types, headers, bodies valid against
the schema, use-after-free, ignored auth). Not run: ``negative_data_rejection`` and
``positive_data_acceptance``, which judge how strict the input parsing is (e.g. a filter naming an estate
that does not exist answers 400), not whether the answers keep the published contract.

Run: .venv/bin/python scripts/api_check.py   [--max-examples N]   (used by .ci/run)
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from production_check import manage, production_environment  # noqa: E402

PERSONAS = ("manager", "unit1")
SKIPPED_CHECKS = "negative_data_rejection,positive_data_acceptance"
BIN = Path(sys.executable).parent

MAKE_TOKENS = """
from peyvand.accounts.models import User
from peyvand.api import services
for name in {personas!r}:
    _token, raw = services.create_token(User.objects.get(username=name), name="schemathesis", days=1)
    print(name, raw)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def wait_for_hs_suggester(base: str, token: str, seconds: int = 300) -> None:
    """The workers build the HS suggester in the background when they start (peyvand/wsgi.py, about 40
    CPU-seconds each): wait until several answers in a row are quick, so no test waits for a build."""
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        f"{base}/api/v1/exports/hs-suggestions/?product=tea", headers={"Authorization": f"Bearer {token}"}
    )
    deadline = time.monotonic() + seconds
    quick = 0
    while quick < 4 and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=seconds) as response:  # noqa: S310
            response.read()
        quick = quick + 1 if time.monotonic() - started < 2 else 0
    print(f"HS suggester ready in the workers ({quick} quick answers in a row)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=30, help="test cases per operation and phase")
    parser.add_argument(
        "--seed", type=int, default=1405, help="schemathesis's random seed (reproducible runs)"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peyvand-api-") as data_dir:
        environment = (
            production_environment(data_dir)
            | {
                "ALLOWED_HOSTS": "127.0.0.1",
                "SECURE_SSL_REDIRECT": "false",  # loopback, no TLS proxy in front
                "PEYVAND_API_RATE": "100000/min",  # the run is one client sending thousands of requests
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # the demo's notices: no SMTP here
            }
        )
        manage(environment, "migrate", "--noinput", "-v0")
        shared = ROOT.parent / "shared" / "data"
        if shared.is_dir():
            manage(environment, "load_official_taxonomy", str(shared), "--if-needed")
        manage(environment, "sync_capabilities")
        manage(environment, "seed_demo", "--if-empty")
        manage(environment, "collectstatic", "--noinput", "-v0")
        made = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", MAKE_TOKENS.format(personas=PERSONAS)],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        tokens = dict(line.split()[:2] for line in made if line.split()[:1] and line.split()[0] in PERSONAS)
        if set(tokens) != set(PERSONAS):
            raise SystemExit(f"could not make the tokens: {made}")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "peyvand.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=environment,
        )
        failed = []
        try:
            schema = f"http://127.0.0.1:{port}/api/schema/"
            wait_until_up(schema)
            wait_for_hs_suggester(f"http://127.0.0.1:{port}", tokens["manager"])
            for persona in PERSONAS:
                print(f"\n== schemathesis as {persona}", flush=True)
                run = subprocess.run(  # noqa: S603
                    [
                        str(BIN / "schemathesis"),
                        "run",
                        schema,
                        "--header",
                        f"Authorization: Bearer {tokens[persona]}",
                        "--exclude-checks",
                        SKIPPED_CHECKS,
                        "--max-examples",
                        str(options.max_examples),
                        "--seed",
                        str(options.seed),
                        "--workers",
                        "2",
                        "--no-color",
                    ],
                    cwd=ROOT,
                    env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
                )
                if run.returncode != 0:
                    failed.append(persona)
        finally:
            server.terminate()
            server.wait(timeout=30)
    if failed:
        print(f"\nschemathesis found failures as: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("\nschemathesis: 0 failures as " + " and ".join(PERSONAS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
