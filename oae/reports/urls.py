from django.urls import path

from oae.reports import goal_views, monthly_views, opendata_views, views

app_name = "reports"

urlpatterns = [
    path("", views.network, name="network"),
    path("office/", views.office, name="office"),
    path("mine/", views.mine, name="mine"),
    path("definitions/", views.definitions, name="definitions"),
    path("goals/", goal_views.goal_plan, name="goals"),
    path("monthly/", monthly_views.monthly_list, name="monthly"),
    path("monthly/generate/", monthly_views.monthly_generate, name="monthly_generate"),
    path("monthly/<uuid:public_id>/", monthly_views.monthly_download, name="monthly_download"),
]

# Open data: public, so outside /staff/: config/urls.py mounts these as the "opendata" namespace.
opendata_urlpatterns = [
    path("", opendata_views.index, name="index"),
    path("<year:year>/activitat.csv", opendata_views.csv_file, name="csv"),
    path("<year:year>/datapackage.json", opendata_views.package, name="package"),
    path("<year:year>/dcat.jsonld", opendata_views.dcat, name="dcat"),
]
