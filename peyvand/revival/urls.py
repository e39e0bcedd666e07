from django.urls import path

from . import views

app_name = "revival"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/diagnosis/", views.case_diagnosis, name="case_diagnosis"),
    path("cases/<int:pk>/interventions/new/", views.intervention_create, name="intervention_create"),
    path("cases/<int:pk>/move/<str:stage>/", views.case_move, name="case_move"),
    path("cases/<int:pk>/return/", views.case_return, name="case_return"),
    path("cases/<int:pk>/outcome/", views.case_outcome, name="case_outcome"),
    path("interventions/<int:pk>/result/", views.intervention_result, name="intervention_result"),
    path("interventions/<int:pk>/link/", views.intervention_link, name="intervention_link"),
    path("units/<int:unit_pk>/ask/", views.case_request, name="case_request"),
    path("returns/", views.returns, name="returns"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("figures/", views.figures, name="figures"),
]
