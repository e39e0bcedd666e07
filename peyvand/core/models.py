"""Shared mechanisms' tables: bilingual names with a Persian sort key, and the business-event timeline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peyvand.matching.text import fold, normalize, sort_key

from .choices import BadgeColour, badge_colours
from .permissions import Gate


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


# --- Imports: kept batches and saved column mappings (the engine is ``core/imports``) -------------
@badge_colours(
    {
        "uploaded": "secondary",
        "checking": "info",
        "checked": "primary",
        "applying": "info",
        "applied": "success",
        "failed": "danger",
    }
)
class ImportState(BadgeColour, models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    CHECKING = "checking", _("dry run in progress")
    CHECKED = "checked", _("dry run done")
    APPLYING = "applying", _("being applied")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("failed")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("all or nothing")
    VALID_ROWS = "valid", _("the valid rows only")


class ImportMapping(models.Model):
    """A saved column mapping (sheet header → field) for one kind of import, reused by a company's staff."""

    gate = Gate(kind="import_batch", company=("company",))

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of data"), max_length=40)
    company = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_mappings",
        verbose_name=_("estate company"),
    )
    columns = models.JSONField(_("columns"), default=dict, help_text=_("folded header text → field"))
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "name"], name="import_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One import of one file: the file, its mapping, the dry-run and apply results, who and when.

    Every change an applied batch made carries ``via = "import batch <pk>"`` in the audit trail.
    """

    gate = Gate(kind="import_batch", company=("company",))

    kind = models.CharField(_("kind of data"), max_length=40, db_index=True)
    company = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("estate company"),
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    mapping_template = models.ForeignKey(
        ImportMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("saved mapping"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.UPLOADED, db_index=True
    )
    mode = models.CharField(_("apply mode"), max_length=8, choices=ImportMode.choices, blank=True)
    language = models.CharField(_("language of messages"), max_length=5, default="fa")
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(_("background job"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    checked_at = models.DateTimeField(_("dry run at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="importbatch_company_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def via(self) -> str:
        return f"import batch {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.APPLYING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
