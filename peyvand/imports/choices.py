"""The states of an import batch and the two ways of applying one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from peyvand.core.choices import BadgeColour, badge_colours


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
