"""Shared mechanisms' tables: bilingual names with a Persian sort key, and the business-event timeline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peyvand.matching.text import fold, normalize, sort_key


def count_of(rows: QuerySet, link: str) -> models.Expression:
    """How many of ``rows`` point at the outer row through their field ``link``, as an annotation: a count
    per row shown (an index probe each), not ``Count`` over a join, which multiplies every outer row by
    its related rows and groups them all before a page of 25 or 50 can be cut."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(value=Count("pk"))
        .values("value")
    )
    return Coalesce(Subquery(counted[:1]), 0)


class CreatedByMixin(models.Model):
    """Who created the row (kept when that account is deleted) and when; later changes are in the audit trail."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


class NamedModel(models.Model):
    """A record with a Persian name, an optional English name and a key that sorts Persian correctly."""

    name = models.CharField(_("name (Persian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    sort_name = models.CharField(_("sort key"), max_length=200, editable=False, db_index=True, default="")
    search_name = models.CharField(_("search key"), max_length=400, editable=False, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name", "search_name", "name_en"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        if (get_language() or "fa").startswith("en") and self.name_en:
            return self.name_en
        return self.name or self.name_en

    def refresh_keys(self) -> None:
        """Normalise the names and recompute the sort key (bulk writers call this before bulk_create)."""
        self.name = normalize(self.name)
        self.name_en = normalize(self.name_en)
        self.sort_name = sort_key(self.name or self.name_en)
        self.search_name = fold(f"{self.name} {self.name_en}")[:400]


class Event(models.Model):
    """One business event on an object's timeline (``units.status.changed``), with who caused it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("object type"))
    object_id = models.CharField(_("object id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    code = models.CharField(_("event"), max_length=80, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    via = models.CharField(_("via"), max_length=120, blank=True, help_text=_("command, job or import batch"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"], name="event_subject_idx")
        ]

    def __str__(self) -> str:
        return f"{self.code} @ {self.content_type_id}:{self.object_id}"
