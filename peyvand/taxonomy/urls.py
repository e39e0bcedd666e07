from django.urls import path

from . import views

app_name = "taxonomy"
urlpatterns = [
    path("capabilities/suggest/", views.capability_suggest, name="capability_suggest"),
    path("capabilities/search/", views.capability_search, name="capability_search"),
]
