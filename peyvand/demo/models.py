"""Marks a database that holds the invented demo dataset, so every page can say so."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoDataset(models.Model):
    """One row when ``seed_demo`` built the data: the UI shows a 'demo data' banner."""

    seed = models.PositiveIntegerField(_("random seed"))
    as_of = models.DateField(_("history ends on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo dataset")
        verbose_name_plural = _("demo datasets")

    def __str__(self) -> str:
        return f"demo seed {self.seed} ({self.as_of})"
