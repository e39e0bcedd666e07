"""Import batches (one kept upload, its mapping and its results) and saved column mappings.

The engine that reads, checks and writes the rows is ``imports/engine/``; the steps a page, the
``import_data`` command and the background job take on a batch are in ``imports/services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peyvand.core.permissions import Gate

from .choices import ImportMode, ImportState

__all__ = ["ImportBatch", "ImportMapping", "ImportMode", "ImportState"]


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
        db_table = "core_importmapping"  # the table kept from when imports lived in core (no data moved)
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
        db_table = "core_importbatch"  # the table kept from when imports lived in core (no data moved)
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
