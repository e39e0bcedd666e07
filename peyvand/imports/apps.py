from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "peyvand.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from peyvand.core import navigation, permissions
        from peyvand.core.templatetags.peyvand import register_choices

        from .choices import ImportState
        from .models import ImportBatch

        def may_see_imports(user) -> bool:
            return permissions.is_staff_member(user) and permissions.can(user, permissions.ADD, ImportBatch)

        register_choices("import_state", ImportState)
        navigation.register(
            navigation.NavItem(
                "imports:list",
                _("Imports"),
                visible=may_see_imports,
                order=85,
                match="/imports/",
                group="registry",
            )
        )
