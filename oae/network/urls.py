from django.urls import path

from oae.network import audit_views, views

app_name = "network"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("offices/new/", views.office_create, name="office_create"),
    path("offices/<uuid:public_id>/", views.office_detail, name="office_detail"),
    path("offices/<uuid:public_id>/edit/", views.office_edit, name="office_edit"),
    path("offices/<uuid:public_id>/staff/", views.office_staff, name="office_staff"),
    path(
        "offices/<uuid:public_id>/staff/<uuid:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "offices/<uuid:public_id>/staff/<uuid:membership_id>/deactivate/",
        views.membership_access,
        {"active": False},
        name="membership_deactivate",
    ),
    path(
        "offices/<uuid:public_id>/staff/<uuid:membership_id>/reactivate/",
        views.membership_access,
        {"active": True},
        name="membership_reactivate",
    ),
    path("audit/", audit_views.audit_trail, name="audit_trail"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/new/", views.municipality_form, name="municipality_create"),
    path("municipalities/<ine:ine_code>/edit/", views.municipality_form, name="municipality_edit"),
]
