"""Plumbing only: a unit's profile changed → re-check gaps and refresh the matching index (in a job)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from peyvand.units.models import Product, ProductionUnit
from peyvand.units.signals import profiles_changed


def _enqueue(unit_ids: list[int]) -> None:
    from .tasks import profile_changed

    ids = [unit_id for unit_id in unit_ids if unit_id]
    if ids:
        transaction.on_commit(lambda: profile_changed.enqueue(ids))


@receiver(post_save, sender=ProductionUnit)
def unit_saved(sender, instance: ProductionUnit, raw: bool = False, **kwargs) -> None:
    if not raw:
        _enqueue([instance.pk])


@receiver([post_save, post_delete], sender=Product)
def product_changed(sender, instance: Product, raw: bool = False, **kwargs) -> None:
    if not raw:
        _enqueue([instance.unit_id])


@receiver(m2m_changed, sender=ProductionUnit.capabilities.through)
@receiver(m2m_changed, sender=ProductionUnit.certifications.through)
def tags_changed(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, ProductionUnit):
        _enqueue([instance.pk])


@receiver(profiles_changed)
def bulk_changed(sender, unit_ids: list[int], **kwargs) -> None:
    _enqueue(list(unit_ids))
