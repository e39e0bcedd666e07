"""It works on an intranet: no page and no served asset refers to another server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from .test_pages import world  # noqa: F401 — the objects every matrix URL needs
from .test_permission_matrix import MATRIX

STATIC = Path(__file__).resolve().parent.parent / "peyvand" / "static"
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "buyer", "anonymous"])
def test_no_page_loads_anything_from_another_server(client, request, persona) -> None:
    objects = request.getfixturevalue("world")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    opened = 0
    for name, (kwargs, answers) in MATRIX.items():
        if answers[persona] != 200:
            continue
        response = client.get(reverse(name, kwargs=kwargs(objects)))
        if "text/html" in response.get("Content-Type", ""):
            assert not EXTERNAL.search(response.text), f"{name} refers to another server"
            opened += 1
    assert opened >= 3


def test_served_stylesheets_and_scripts_fetch_nothing_from_outside() -> None:
    for path in STATIC.rglob("*.css"):
        assert not CSS_EXTERNAL.search(path.read_text(encoding="utf-8", errors="ignore")), path
    for path in STATIC.rglob("*.js"):
        text = path.read_text(encoding="utf-8", errors="ignore")
        for host in ("fonts.googleapis", "cdn.jsdelivr", "unpkg.com"):
            assert host not in text, path
