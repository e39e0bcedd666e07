"""The one adapter between the registry and the matching engine.

* ``unit_profile`` / ``request_query`` turn model rows into engine documents;
* ``rebuild_index`` builds the index of every unit under ``DATA_DIR/matching`` into a new versioned
  folder and publishes it by replacing the ``CURRENT`` file (an atomic rename) — only when no build
  that read the registry later has published already; embeddings are cached by text, so unchanged
  units are not embedded again. It runs in the job worker (``tasks.rebuild_matching_index``).
* ``current_index`` loads the published version once per process and reloads when a newer one appears.
  A web request never builds: without an index it raises ``IndexNotReady`` (and a rebuild is queued).
* A process that loads a version holds a lease on it (a small file it touches while it uses the
  version); older versions are deleted only when no live lease remains.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from peyvand.matching.documents import Profile
from peyvand.matching.documents import Request as Query
from peyvand.units.models import Product, ProductionUnit

from .choices import IndexBuildStage, Requirement
from .models import SourcingRequest

_lock = threading.Lock()
_loaded: dict[str, Any] = {"version": None, "index": None, "touched": 0.0}
LEASE_SECONDS = 15 * 60  # a lease not touched for this long belongs to a process that stopped using it
LEASE_TOUCH_SECONDS = 60
Progress = Callable[[str, int, int], None]


class IndexNotReady(Exception):
    """No matching index has been published yet; a rebuild was queued."""


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
    return _profile(
        {field: getattr(unit, field) for field in _UNIT_FIELDS[:8]}
        | {
            "estate__county__name": unit.estate.county.name,
            "estate__name": unit.estate.name,
            "isic__code": unit.isic.code if unit.isic_id else None,
        },
        [
            (product.name, product.name_en, product.hs.code if product.hs_id else None)
            for product in unit.products.all()
        ],
        [(cert.name_en, cert.name, cert.code) for cert in unit.certifications.all()],
        [capability.code for capability in unit.capabilities.all()],
    )


_UNIT_FIELDS = (
    "pk", "name", "name_en", "description", "description_en", "employees", "capacity", "status",
    "estate__county__name", "estate__name", "isic__code",
)  # fmt: skip


def _profile(
    unit: dict[str, Any],
    products: list[tuple[str, str, str | None]],
    certifications: list[tuple[str, str, str]],
    capabilities: list[str],
) -> Profile:
    description = " . ".join(part for part in (unit["description"], unit["description_en"]) if part)
    return Profile(
        id=str(unit["pk"]),
        name=" / ".join(part for part in (unit["name"], unit["name_en"]) if part),
        description=description,
        products=tuple(name for product in products for name in product[:2] if name),
        certifications=tuple(name_en or name for name_en, name, code in certifications if code != "other"),
        county=unit["estate__county__name"],
        estate=unit["estate__name"],
        employees=unit["employees"],
        capacity=unit["capacity"],
        status=unit["status"],
        lang="fa" if unit["description"] else "en" if unit["description_en"] else "",
        capabilities=tuple(capabilities),
        # A terse registry record's class and product codes imply what it makes (inferred, and said so).
        isic=unit["isic__code"] or "",
        hs=tuple(hs for _name, _name_en, hs in products if hs),
    )


def all_profiles(progress: Callable[[int], None] | None = None, chunk: int = 5000) -> Iterator[Profile]:
    """Every unit as ``unit_profile`` sees it, in id order, read as plain rows ``chunk`` units at a time
    (four queries a chunk): building 1.3 million model instances through prefetches was most of a
    100,000-unit rebuild's reading time."""
    from peyvand.units.models import UnitCertification

    ids = list(ProductionUnit.objects.order_by("pk").values_list("pk", flat=True))
    capability_links = ProductionUnit.capabilities.through.objects
    for start in range(0, len(ids), chunk):
        first, last = ids[start], ids[min(start + chunk, len(ids)) - 1]
        within = {"unit_id__gte": first, "unit_id__lte": last}
        products: dict[int, list] = {}
        for unit_id, *product in (
            Product.objects.filter(**within)
            .order_by("unit_id", "sort_name", "pk")
            .values_list("unit_id", "name", "name_en", "hs__code")
        ):
            products.setdefault(unit_id, []).append(tuple(product))
        certifications: dict[int, list] = {}
        for unit_id, *held in (
            UnitCertification.objects.filter(productionunit_id__gte=first, productionunit_id__lte=last)
            .order_by("productionunit_id", "certification__sort_name", "pk")
            .values_list(
                "productionunit_id", "certification__name_en", "certification__name", "certification__code"
            )
        ):
            certifications.setdefault(unit_id, []).append(tuple(held))
        capabilities: dict[int, list] = {}
        for unit_id, code in (
            capability_links.filter(productionunit_id__gte=first, productionunit_id__lte=last)
            .order_by("productionunit_id", "capability__family", "capability__sort_name", "pk")
            .values_list("productionunit_id", "capability__code")
        ):
            capabilities.setdefault(unit_id, []).append(code)
        units = (
            ProductionUnit.objects.filter(pk__gte=first, pk__lte=last).order_by("pk").values(*_UNIT_FIELDS)
        )
        for unit in units:
            pk = unit["pk"]
            yield _profile(unit, products.get(pk, []), certifications.get(pk, []), capabilities.get(pk, []))
        if progress:
            progress(min(start + chunk, len(ids)))


def profile_queryset() -> QuerySet[ProductionUnit]:
    """Units with what ``unit_profile`` reads (one unit's profile; ``all_profiles`` reads them all)."""
    return ProductionUnit.objects.select_related("estate", "estate__county", "isic").prefetch_related(
        Prefetch(
            "products",
            queryset=Product.objects.select_related("hs").only("unit_id", "name", "name_en", "hs__code"),
        ),
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


# --- versions -------------------------------------------------------------------------------------
def _version_file() -> Path:
    return index_root() / "CURRENT"


def current_version() -> str | None:
    with contextlib.suppress(FileNotFoundError):
        return _version_file().read_text(encoding="utf-8").strip() or None
    return None


def _version_key(version: str | None) -> int:
    """Versions are named ``v<ms>`` after the moment their build began reading the registry."""
    try:
        return int((version or "").removeprefix("v"))
    except ValueError:
        return -1


@contextlib.contextmanager
def _publishing_lock() -> Iterator[None]:
    """One process at a time switches versions or deletes old ones."""
    with open(index_root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuild_index(progress: Progress | None = None) -> dict[str, Any]:
    """Build the index of every unit and publish it, unless a build that read later published first."""
    from peyvand.matching.index import build_index

    report = progress or (lambda stage, done, total: None)
    root = index_root()
    started = time.perf_counter()
    version = f"v{int(time.time() * 1000)}"
    total = ProductionUnit.objects.count()
    report(IndexBuildStage.READING, 0, total)
    profiles = list(all_profiles(lambda done: report(IndexBuildStage.READING, done, total)))
    report(IndexBuildStage.INDEXING, 0, len(profiles))
    index = build_index(
        profiles,
        embedder=_semantic_choice(),
        embedding_cache=root / "embeddings",
        on_stage=lambda stage: report(stage, 0, len(profiles)),
    )
    report(IndexBuildStage.PUBLISHING, 0, 1)
    staging = root / f".{version}"
    index.save(staging)
    with _publishing_lock():
        published = _version_key(current_version()) < _version_key(version)
        if published:
            staging.rename(root / version)
            temporary = root / ".CURRENT"
            temporary.write_text(version, encoding="utf-8")
            temporary.replace(_version_file())
        else:  # a build that read the registry after this one already published: it is newer
            shutil.rmtree(staging, ignore_errors=True)
        removed = _remove_unused_versions()
    report(IndexBuildStage.PUBLISHING, 1, 1)
    return {
        "version": version,
        "published": published,
        "profiles": len(profiles),
        "removed": removed,
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- leases: which process uses which version -------------------------------------------------------
def _leases() -> Path:
    path = index_root() / "leases"
    path.mkdir(exist_ok=True)
    return path


def _lease_name(version: str) -> str:
    return f"{version}@{socket.gethostname()}@{os.getpid()}"


def _take_lease(version: str) -> None:
    (_leases() / _lease_name(version)).touch()


def _drop_lease(version: str | None) -> None:
    if version:
        (_leases() / _lease_name(version)).unlink(missing_ok=True)


def _lease_alive(path: Path, now: float) -> bool:
    """Touched recently, and (on this machine) its process still runs."""
    try:
        age = now - path.stat().st_mtime
    except FileNotFoundError:
        return False
    _version, host, pid = [*path.name.split("@"), "", ""][:3]
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # another user's process: it exists
    return age < LEASE_SECONDS


def _remove_unused_versions() -> list[str]:
    """Delete every version but the current one that no live process holds a lease on."""
    root, now = index_root(), time.time()
    current = current_version()
    held: set[str] = set()
    for lease in _leases().iterdir():
        if _lease_alive(lease, now):
            held.add(lease.name.split("@", 1)[0])
        else:
            lease.unlink(missing_ok=True)
    removed = []
    for folder in root.glob("v*"):
        if folder.is_dir() and folder.name != current and folder.name not in held:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    for staging in root.glob(".v*"):  # builds that died before publishing
        if staging.is_dir() and now - staging.stat().st_mtime > LEASE_SECONDS:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(removed)


def current_index(build_if_missing: bool = False) -> Any:
    """The published index, loaded once per process and reloaded when a newer one is published.

    Without a published index a web request gets ``IndexNotReady`` (a rebuild is queued); the job
    worker passes ``build_if_missing=True`` and builds it.
    """
    from peyvand.matching.index import Index

    version = current_version()
    now = time.time()
    with _lock:
        if version is not None and _loaded["version"] == version and _loaded["index"] is not None:
            if now - _loaded["touched"] > LEASE_TOUCH_SECONDS:
                _take_lease(version)
                _loaded["touched"] = now
            return _loaded["index"]
    if version is None or not (index_root() / version).is_dir():
        if not build_if_missing:
            from .tasks import schedule_rebuild

            schedule_rebuild(reason="no index yet", always=True)
            raise IndexNotReady
        rebuild_index()
        return current_index()
    _take_lease(version)  # before loading: a cleanup now keeps this version
    try:
        index = Index.load(index_root() / version)
    except FileNotFoundError:  # removed between reading CURRENT and taking the lease: read it again
        _drop_lease(version)
        return current_index(build_if_missing=build_if_missing)
    embedder = _semantic_choice()
    if embedder is not None and index.vectors is not None:
        index.set_query_embedder(embedder)
    with _lock:
        previous = _loaded["version"]
        _loaded.update(version=version, index=index, touched=now)
    if previous != version:
        _drop_lease(previous)
    return index


def forget_loaded_index() -> None:
    """Drop the in-process copy (tests, and after a data directory change)."""
    with _lock:
        _loaded.update(version=None, index=None, touched=0.0)
