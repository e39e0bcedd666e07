from django.urls import path

from . import views

app_name = "trade"
urlpatterns = [
    path("exports/", views.export_list, name="export_list"),
    path("exports/new/", views.export_create, name="export_create"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/edit/", views.export_edit, name="export_edit"),
    path("exports/<int:pk>/delete/", views.export_delete, name="export_delete"),
    path("hs/suggest/", views.hs_suggest, name="hs_suggest"),
    path("summary/", views.summary, name="summary"),
    path("chains/", views.chain_map, name="chains"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/captured/", views.captured, name="captured"),
    path("inputs/", views.input_list, name="input_list"),
    path("inputs/new/", views.input_create, name="input_create"),
    path("inputs/<int:pk>/", views.input_detail, name="input_detail"),
    path("inputs/<int:pk>/edit/", views.input_edit, name="input_edit"),
    path("inputs/<int:pk>/request/", views.input_open_request, name="input_open_request"),
]
