"""Settings come from the environment; malformed values stop start-up; production is check --deploy clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path) -> None:
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-value-" + "x" * 20,
        ALLOWED_HOSTS="peyvand.example.ir",
        PEYVAND_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("PEYVAND_PAGE_SIZE", "ten", "PEYVAND_PAGE_SIZE must be an integer"),
        ("ALLOWED_HOSTS", "a,,b", "ALLOWED_HOSTS must be a comma-separated list"),
        ("LANGUAGE_CODE", "de", "LANGUAGE_CODE must be one of"),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE is not a known time zone"),
        ("DATABASE_URL", "mysql://x@y/z", "DATABASE_URL must point at SQLite or PostgreSQL"),
    ],
)
def test_malformed_environment_values_are_refused_by_name(tmp_path, variable, value, message) -> None:
    result = _run(["check"], PEYVAND_DATA_DIR=str(tmp_path), **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    result = _run(["check"], DEBUG="false", ALLOWED_HOSTS="x.ir", PEYVAND_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(settings) -> None:
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL pass: SQLite options do not apply")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_collectstatic_resolves_every_reference_for_the_manifest(settings, tmp_path) -> None:
    """Production's manifest storage follows every url() and source-map comment; a missing target fails
    the deploy (and then every page answers 500). Whitenoise's compression is left out here for speed:
    scripts/production_check.py (in .ci/run) collects with the real production settings and serves pages.
    """
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in manifest
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest


def test_postgresql_connections_run_without_jit(tmp_path) -> None:
    """JIT compilation cost seconds on the figures' history passes (issue 18): the application's
    PostgreSQL connections turn it off, a replica's too; options given in the URL are kept."""
    script = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options']); "
        "print(settings.DATABASES['replica1']['OPTIONS']['options'])"
    )
    result = _run(
        ["shell", "-c", script],
        PEYVAND_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/peyvand_nowhere?options=-c%20statement_timeout%3D5000",
        DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:5432/peyvand_nowhere_replica",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    primary, replica = result.stdout.strip().splitlines()[-2:]
    assert "-c jit=off" in primary
    assert "statement_timeout=5000" in primary
    assert replica == "-c jit=off"
