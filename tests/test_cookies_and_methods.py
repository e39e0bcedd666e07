"""Production cookies are Secure, HttpOnly and SameSite — the language cookie too; TRACE is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from http.cookies import Morsel
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db

# What settings.py turns on when DEBUG is false (checked against the real module below).
PRODUCTION_COOKIES = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


def _cookies_set_while_using_the_site(manager) -> dict[str, Morsel]:
    """Every cookie the site sets on the way: the login form, logging in, the profile, the language switch."""
    client = Client(enforce_csrf_checks=False)
    seen: dict[str, Morsel] = {}

    def keep(response) -> None:
        seen.update(response.cookies)

    keep(client.get("/accounts/login/"))
    keep(client.post("/accounts/login/", {"username": manager.username, "password": "peyvand-test"}))
    keep(
        client.post(
            "/accounts/me/",
            {"first_name": "م", "last_name": "ک", "email": "m@example.ir", "preferred_language": "en"}
            | {"money_unit": manager.money_unit},
        )
    )
    keep(client.post("/i18n/setlang/", {"language": "fa", "next": "/"}))
    return seen


@override_settings(**PRODUCTION_COOKIES)
def test_every_cookie_is_secure_http_only_and_same_site_in_production(manager) -> None:
    cookies = _cookies_set_while_using_the_site(manager)
    assert {"csrftoken", "sessionid", "peyvand_language", "messages"} <= set(cookies)
    for name, morsel in cookies.items():
        assert morsel["secure"], f"{name} is not Secure"
        assert morsel["httponly"], f"{name} is not HttpOnly"
        assert morsel["samesite"] == "Lax", f"{name} has SameSite={morsel['samesite']!r}"


def test_the_language_chosen_at_login_is_remembered_in_the_cookie(client, manager) -> None:
    manager.preferred_language = "en"
    manager.save()
    response = client.post("/accounts/login/", {"username": manager.username, "password": "peyvand-test"})
    assert response.cookies["peyvand_language"].value == "en"


def test_production_settings_turn_on_the_secure_cookies(tmp_path) -> None:
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "ALLOWED_HOSTS"}}
    environment |= {
        "DEBUG": "false",
        "SECRET_KEY": "a-long-random-production-secret-value-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "peyvand.example.ir",
        "PEYVAND_DATA_DIR": str(tmp_path),
    }
    names = [
        *PRODUCTION_COOKIES,
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_HTTPONLY",
    ]
    code = "from django.conf import settings; print(" + ", ".join(f"settings.{n}" for n in names) + ")"
    result = subprocess.run(  # noqa: S603 — fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * len(names)


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/estates/", "/units/claims/"])
def test_trace_is_refused_everywhere(client, manager, method, path) -> None:
    client.force_login(manager)
    response = client.generic(method, path)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]
    assert b"sessionid" not in response.content
