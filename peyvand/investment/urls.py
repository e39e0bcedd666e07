from django.urls import path

from . import views

app_name = "investment"
urlpatterns = [
    path("investors/", views.investor_list, name="investor_list"),
    path("investors/new/", views.investor_create, name="investor_create"),
    path("investors/<int:pk>/", views.investor_detail, name="investor_detail"),
    path("investors/<int:pk>/edit/", views.investor_edit, name="investor_edit"),
    path("investors/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/check/", views.evidence_check, name="evidence_check"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/move/<str:state>/", views.application_move, name="application_move"),
    path("applications/<int:pk>/screen/", views.application_screen, name="application_screen"),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("applications/<int:pk>/contract/", views.contract_create, name="contract_create"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/repossess/", views.contract_repossess, name="contract_repossess"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("weights/", views.weights, name="weights"),
    path("land-use/", views.land_use_list, name="land_use"),
    path("land-use/<int:pk>/", views.land_use_edit, name="land_use_edit"),
]
