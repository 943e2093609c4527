from django.urls import path

from oae.reports import goal_views, views

app_name = "reports"

urlpatterns = [
    path("", views.network, name="network"),
    path("office/", views.office, name="office"),
    path("definitions/", views.definitions, name="definitions"),
    path("goals/", goal_views.goal_plan, name="goals"),
]
