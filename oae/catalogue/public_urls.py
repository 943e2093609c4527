from django.urls import path

from oae.catalogue import public_views

app_name = "public_catalogue"

urlpatterns = [
    path("oae/<uuid:public_id>/", public_views.office_services, name="office"),
    path(
        "oae/<uuid:public_id>/<kind:kind>/<slug:code>/",
        public_views.office_service,
        name="office_item",
    ),
    path("tramits/<ine:ine_code>/", public_views.municipality_procedures, name="procedures"),
    path(
        "tramits/<ine:ine_code>/<slug:code>/", public_views.municipality_procedure, name="procedure"
    ),
]
