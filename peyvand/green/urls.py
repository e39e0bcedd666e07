from django.urls import path

from . import views

app_name = "green"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("plants/", views.plant_list, name="plant_list"),
    path("plants/new/", views.plant_create, name="plant_create"),
    path("plants/<int:pk>/", views.plant_detail, name="plant_detail"),
    path("plants/<int:pk>/edit/", views.plant_edit, name="plant_edit"),
    path("plants/<int:pk>/progress/", views.plant_progress, name="plant_progress"),
    path("plants/<int:pk>/stage/", views.plant_stage, name="plant_stage"),
    path("limits/", views.limit_list, name="limit_list"),
    path("limits/<int:pk>/edit/", views.limit_edit, name="limit_edit"),
    path("connections/", views.connection_list, name="connection_list"),
    path("units/<int:pk>/connection/", views.connection_edit, name="connection_edit"),
    path("tests/", views.test_list, name="test_list"),
    path("tests/new/", views.test_create, name="test_create"),
    path("tests/<int:pk>/", views.test_detail, name="test_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("resources/", views.listing_list, name="listing_list"),
    path("resources/new/", views.listing_create, name="listing_create"),
    path("resources/<int:pk>/edit/", views.listing_edit, name="listing_edit"),
    path("symbiosis/proposals/", views.proposal_list, name="proposal_list"),
    path("symbiosis/start/", views.link_start, name="link_start"),
    path("symbiosis/exchanges/", views.link_list, name="link_list"),
    path("symbiosis/exchanges/<int:pk>/", views.link_detail, name="link_detail"),
]
