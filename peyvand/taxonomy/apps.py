from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "peyvand.taxonomy"
    label = "taxonomy"
    verbose_name = _("Classifications")
