from django.urls import path

from . import views

app_name = "estates"
urlpatterns = [
    path("", views.estate_list, name="list"),
    path("new/", views.estate_create, name="create"),
    path("<int:pk>/", views.estate_detail, name="detail"),
    path("<int:pk>/edit/", views.estate_edit, name="edit"),
    path("<int:pk>/plots/new/", views.plot_create, name="plot_create"),
    path("plots/<int:pk>/edit/", views.plot_edit, name="plot_edit"),
]
