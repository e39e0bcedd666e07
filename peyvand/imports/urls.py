"""URLs of the import pages, mounted at ``/imports/``."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.batch_new, name="new"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/sheet/", views.batch_sheet, name="sheet"),
    path("<int:pk>/columns/", views.batch_mapping, name="mapping"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/apply/", views.batch_apply, name="apply"),
    path("<int:pk>/rejected.xlsx", views.batch_rejects, name="rejects"),
]
