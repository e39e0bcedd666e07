"""Uploaded files, served only through one permission-checked view — never from a public path.

Each app declares the files it keeps in its ``downloads.py`` (found with ``autodiscover_modules``, as
the admin does): which model and field, and who may download — a question to the permission gate
about the owning object. :func:`download` asks it on every request; outsiders get 404 (the file's
existence is not revealed), anonymous visitors the login page.

The web server never serves ``MEDIA_ROOT`` itself. In production the view can hand the transfer to
it after the check: ``PEYVAND_SENDFILE = "x-accel"`` (nginx: ``X-Accel-Redirect`` to the internal
location ``PEYVAND_SENDFILE_URL``) or ``"x-sendfile"`` (Apache mod_xsendfile, lighttpd); empty (the
default) streams the file from Python.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class Download:
    """One kind of uploaded file: ``model.field``, and whether ``user`` may download it from ``obj``."""

    kind: str  # also the URL name: ``files:<kind>``
    model: type[models.Model]
    field: str
    may_download: Callable[[Any, Any], bool]
    filename: Callable[[Any], str] | None = None  # the name the user sees (default: the stored name)
    related: tuple[str, ...] = ()  # select_related for the permission check


_REGISTRY: dict[str, Download] = {}


def register(download: Download) -> Download:
    if download.kind in _REGISTRY and _REGISTRY[download.kind] != download:
        raise ValueError(f"a download kind {download.kind!r} is already registered")
    _REGISTRY[download.kind] = download
    return download


def registry() -> dict[str, Download]:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("downloads")
    return dict(_REGISTRY)


# Bidirectional overrides would let "evil‮fdp.exe" show as "evilexe.pdf"; controls break headers.
_BIDI_CONTROLS = set(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]))


def safe_filename(name: str, default: str = "download") -> str:
    """The last path component, without control or bidi-override characters, at most 150 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(
        char for char in base if char not in _BIDI_CONTROLS and unicodedata.category(char) != "Cc"
    ).strip(" .")
    if not cleaned:
        return default
    if len(cleaned) > 150:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (
            (stem[: 150 - len(extension) - 1] + dot + extension)
            if dot and len(extension) < 10
            else cleaned[:150]
        )
    return cleaned


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the real name in RFC 5987 form (RFC 6266)."""
    name = safe_filename(filename)
    fallback = (
        "".join(char if char.isascii() and (char.isalnum() or char in "-_.") else "_" for char in name).strip(
            "_"
        )
        or "download"
    )
    if fallback.startswith("."):
        fallback = "download" + fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve(field_file: FieldFile, filename: str | None = None) -> HttpResponse:
    """The file as a download, streamed or handed to the web server (``PEYVAND_SENDFILE``)."""
    name = safe_filename(filename or field_file.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    mode = settings.PEYVAND_SENDFILE
    if mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        location = settings.PEYVAND_SENDFILE_URL.rstrip("/") + "/" + quote(field_file.name)
        response["X-Accel-Redirect"] = location
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = quote(field_file.path)
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway (an SVG, an HTML file renamed), nothing in it may run.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The file of row ``pk`` of ``kind``, if the permission gate lets the user see its owner."""
    entry = _REGISTRY[kind]
    rows = entry.model._default_manager.filter(pk=pk)
    obj = (rows.select_related(*entry.related) if entry.related else rows).first()
    field_file = getattr(obj, entry.field, None) if obj is not None else None
    if not field_file or not entry.may_download(request.user, obj):
        raise Http404
    if not field_file.storage.exists(field_file.name):
        raise Http404
    return serve(field_file, entry.filename(obj) if entry.filename else None)


def urlpatterns() -> list:
    """``files/<kind>/<pk>/`` for every registered kind, named ``files:<kind>``."""
    return [path(f"{kind}/<int:pk>/", download, {"kind": kind}, name=kind) for kind in sorted(registry())]
