"""``/api/v1/`` (the resources of ``resources.py``), ``/api/schema/``, ``/api/docs/`` and the account page
for personal tokens."""

from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

autodiscover_modules("api")  # each app's api.py registers its resources

app_name = "api"
urlpatterns = [
    path("v1/", include("peyvand.api.v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
