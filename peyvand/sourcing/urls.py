from django.urls import path

from . import views

app_name = "sourcing"
urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/move/<str:state>/", views.request_move, name="request_move"),
    path("requests/<int:pk>/suggest/", views.request_suggest, name="request_suggest"),
    path(
        "requests/<int:pk>/suggestions/progress/",
        views.suggestions_progress,
        name="suggestions_progress",
    ),
    path("requests/<int:pk>/invite/", views.request_invite, name="request_invite"),
    path("requests/<int:pk>/consent/", views.request_consent, name="request_consent"),
    path("requests/<int:pk>/link/", views.linkage_start, name="linkage_start"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/", views.invitation_detail, name="invitation_detail"),
    path("linkages/", views.linkage_list, name="linkage_list"),
    path("linkages/<int:pk>/", views.linkage_detail, name="linkage_detail"),
    path("gaps/", views.gap_list, name="gap_list"),
    path("suppliers/", views.directory, name="directory"),
]
