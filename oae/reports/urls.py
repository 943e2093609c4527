from django.urls import path

from oae.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.network, name="network"),
    path("office/", views.office, name="office"),
    path("definitions/", views.definitions, name="definitions"),
]
