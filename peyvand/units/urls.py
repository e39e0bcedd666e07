from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/<int:pk>/", views.claim_review, name="claim_review"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/status/", views.unit_change_status, name="change_status"),
    path("<int:pk>/claim/", views.unit_claim, name="claim"),
    path("<int:pk>/history/", views.unit_history, name="history"),
    path("<int:pk>/merge/", views.unit_merge, name="merge"),
    path("<int:pk>/representatives/", views.unit_representatives, name="representatives"),
]
