from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "peyvand.core"
    label = "core"
    verbose_name = _("Core mechanisms")

    def ready(self) -> None:
        from . import navigation, permissions
        from .models import ImportBatch, ImportState
        from .templatetags.peyvand import register_choices

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
