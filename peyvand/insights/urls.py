from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="insights_dashboard"),
    path("dashboard/export/<str:chart>/", views.chart_export, name="insights_chart_export"),
    path("dashboard/press-report/", views.press_report, name="insights_press_report"),
    path("statistics/", views.statistics, name="insights_statistics"),
    path("statistics/data/<str:dataset>.<str:file_format>", views.open_data, name="insights_open_data"),
    path("statistics/counties.geojson", views.county_map, name="insights_county_map"),
]
