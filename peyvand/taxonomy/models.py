"""Classification trees with Persian and English names: ISIC Rev.4 activities and HS 2022 goods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.models import NamedModel

from .choices import Level, Scheme


class ClassificationQuerySet(models.QuerySet):
    def isic_classes(self) -> ClassificationQuerySet:
        return self.filter(scheme=Scheme.ISIC4, level=Level.CLASS)

    def isic_divisions(self) -> ClassificationQuerySet:
        return self.filter(scheme=Scheme.ISIC4, level=Level.DIVISION)

    def hs_codes(self) -> ClassificationQuerySet:
        return self.filter(scheme=Scheme.HS2022, level__in=[Level.HEADING, Level.SUBHEADING])


class Classification(NamedModel):
    """One node of a classification tree (an ISIC section…class or an HS chapter…subheading)."""

    scheme = models.CharField(_("scheme"), max_length=8, choices=Scheme.choices)
    code = models.CharField(_("code"), max_length=12)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="classification_unique_code")]
        indexes = [models.Index(fields=["scheme", "level", "code"], name="classification_level_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.display_name}"

    @property
    def division_code(self) -> str:
        """ISIC division (two digits) of a group or class."""
        return self.code[:2] if self.scheme == Scheme.ISIC4 and self.code[:1].isdigit() else ""


class Capability(NamedModel):
    """A capability a unit can sell (process, product family or service), loaded from the matching
    engine's thesaurus — the one source of truth (``peyvand/matching/data/capabilities.json``)."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    family = models.CharField(_("family"), max_length=40, db_index=True)
    family_name = models.CharField(_("family (Persian)"), max_length=120, blank=True)
    family_name_en = models.CharField(_("family (English)"), max_length=120, blank=True)
    synonyms = models.JSONField(_("synonyms"), default=list, blank=True)
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("related capabilities")
    )
    isic_codes = models.JSONField(_("typical ISIC classes"), default=list, blank=True)
    hs_codes = models.JSONField(_("typical HS headings"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["family", "sort_name"]

    @property
    def display_family(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "fa").startswith("en") and self.family_name_en:
            return self.family_name_en
        return self.family_name or self.family
