"""Top-level URL map: each app mounts its own ``urls.py`` under a namespace."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from peyvand.core.views import set_language

urlpatterns = [
    path("", include("peyvand.insights.urls")),
    path("accounts/", include("peyvand.accounts.urls")),
    path("estates/", include("peyvand.estates.urls")),
    path("units/", include("peyvand.units.urls")),
    path("taxonomy/", include("peyvand.taxonomy.urls")),
    path("sourcing/", include("peyvand.sourcing.urls")),
    path("revival/", include("peyvand.revival.urls")),
    path("investment/", include("peyvand.investment.urls")),
    path("green/", include("peyvand.green.urls")),
    path("trade/", include("peyvand.trade.urls")),
    path("notifications/", include("peyvand.notifications.urls")),
    path("imports/", include("peyvand.imports.urls")),
    path("files/", include("peyvand.core.file_urls")),
    path("api/", include("peyvand.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "peyvand/img/favicon.svg", permanent=True),
        name="favicon",
    ),
]

admin.site.site_header = _("Peyvand administration")
admin.site.site_title = _("Peyvand")
admin.site.index_title = _("Site administration")

handler404 = "peyvand.api.views.page_not_found"  # a problem document under /api/, the usual page elsewhere
