"""The one adapter between the registry and the matching engine.

* ``unit_profile`` / ``request_query`` turn model rows into engine documents;
* ``rebuild_index`` builds the index of every unit under ``DATA_DIR/matching`` (a new versioned folder,
  switched atomically; embeddings are cached by text so unchanged units are not embedded again);
* ``current_index`` loads it once per process and reloads when another process published a newer one.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from peyvand.matching.documents import Profile
from peyvand.matching.documents import Request as Query
from peyvand.units.models import Product, ProductionUnit

from .choices import Requirement
from .models import SourcingRequest

_lock = threading.Lock()
_loaded: dict[str, Any] = {"version": None, "index": None}


def index_root() -> Path:
    root = Path(settings.DATA_DIR) / "matching"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _semantic_choice() -> Any:
    """The process's one embedder (its model loads once), or None without the semantic layer."""
    if not getattr(settings, "PEYVAND_MATCHING_SEMANTIC", True):
        return None
    if "embedder" not in _loaded:
        from peyvand.matching.embeddings import default_embedder

        _loaded["embedder"] = default_embedder()
    return _loaded["embedder"]


def unit_profile(unit: ProductionUnit) -> Profile:
    """A unit as the engine sees it (expects products, certifications, capabilities prefetched)."""
    products = [name for product in unit.products.all() for name in (product.name, product.name_en) if name]
    certifications = [cert.name_en or cert.name for cert in unit.certifications.all()]
    description = " . ".join(part for part in (unit.description, unit.description_en) if part)
    return Profile(
        id=str(unit.pk),
        name=" / ".join(part for part in (unit.name, unit.name_en) if part),
        description=description,
        products=tuple(products),
        certifications=tuple(certifications),
        county=unit.estate.county.name,
        estate=unit.estate.name,
        employees=unit.employees,
        capacity=unit.capacity,
        status=unit.status,
        lang="fa" if unit.description else "en" if unit.description_en else "",
        capabilities=tuple(capability.code for capability in unit.capabilities.all()),
    )


def profile_queryset() -> QuerySet[ProductionUnit]:
    return ProductionUnit.objects.select_related("estate", "estate__county").prefetch_related(
        Prefetch("products", queryset=Product.objects.only("unit_id", "name", "name_en")),
        "certifications",
        "capabilities",
    )


def request_query(request: SourcingRequest) -> Query:
    """A sourcing request as an engine query (certifications by requirement, counties, capabilities)."""
    needs = list(request.certification_needs.select_related("certification"))
    must = tuple(need.certification.name_en for need in needs if need.requirement == Requirement.MUST_HAVE)
    preferred = tuple(
        need.certification.name_en for need in needs if need.requirement == Requirement.PREFERRED
    )
    quantity = ""
    if request.quantity:
        quantity = f"{request.quantity.normalize():f} {request.quantity_unit}".strip()
    return Query(
        id=str(request.pk),
        text=f"{request.title}. {request.text}",
        lang=request.lang,
        quantity=quantity,
        must_have_certifications=must,
        preferred_certifications=preferred,
        preferred_counties=tuple(county.name for county in request.preferred_counties.all()),
        capabilities=tuple(capability.code for capability in request.capabilities.all()),
    )


def _version_file() -> Path:
    return index_root() / "CURRENT"


def current_version() -> str | None:
    with contextlib.suppress(FileNotFoundError):
        return _version_file().read_text(encoding="utf-8").strip() or None
    return None


def rebuild_index() -> dict[str, Any]:
    """Build the index of every unit and publish it (atomically) as the current version."""
    from peyvand.matching.index import build_index

    root = index_root()
    started = time.perf_counter()
    profiles = [unit_profile(unit) for unit in profile_queryset().iterator(chunk_size=500)]
    index = build_index(profiles, embedder=_semantic_choice(), embedding_cache=root / "embeddings")
    version = f"v{int(time.time() * 1000)}"
    staging = root / f".{version}"
    index.save(staging)
    staging.rename(root / version)
    temporary = root / ".CURRENT"
    temporary.write_text(version, encoding="utf-8")
    temporary.replace(_version_file())
    for old in root.glob("v*"):
        if old.name != version and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    with _lock:
        _loaded.update(version=version, index=index)
    return {"version": version, "profiles": len(profiles), "seconds": round(time.perf_counter() - started, 2)}


def current_index() -> Any:
    """The engine index, loaded once per process; rebuilt when none exists, reloaded when outdated."""
    from peyvand.matching.index import Index

    version = current_version()
    with _lock:
        if version is not None and _loaded["version"] == version and _loaded["index"] is not None:
            return _loaded["index"]
    if version is None or not (index_root() / version).is_dir():
        rebuild_index()
        return _loaded["index"]
    index = Index.load(index_root() / version)
    embedder = _semantic_choice()
    if embedder is not None and index.vectors is not None:
        index.set_query_embedder(embedder)
    with _lock:
        _loaded.update(version=version, index=index)
    return index


def forget_loaded_index() -> None:
    """Drop the in-process copy (tests, and after a data directory change)."""
    with _lock:
        _loaded.update(version=None, index=None)
