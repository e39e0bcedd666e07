"""Classification schemes and their levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    ISIC4 = "isic4", _("ISIC Rev.4")
    HS2022 = "hs2022", _("HS 2022")


class Level(models.TextChoices):
    SECTION = "section", _("section")
    DIVISION = "division", _("division")
    GROUP = "group", _("group")
    CLASS = "class", _("class")
    CHAPTER = "chapter", _("chapter")
    HEADING = "heading", _("heading")
    SUBHEADING = "subheading", _("subheading")
