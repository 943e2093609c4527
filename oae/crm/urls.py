from django.urls import path

from oae.crm import import_views, views

app_name = "crm"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/export/", views.people_export, name="people_export"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/consent/", views.person_consent, name="person_consent"),
    path("people/<uuid:public_id>/link/", views.person_link, name="person_link"),
    path("people/<uuid:public_id>/data/", views.person_subject_export, name="person_data"),
    path("people/<uuid:public_id>/erase/", views.person_erase, name="person_erase"),
    path("people/<uuid:public_id>/merge/<uuid:other_id>/", views.person_merge, name="person_merge"),
    path("people/merges/<uuid:merge_id>/undo/", views.person_merge_undo, name="person_merge_undo"),
    path("people/import/", import_views.import_upload, name="import_upload"),
    path("people/import/<uuid:public_id>/", import_views.import_detail, name="import_detail"),
    path(
        "people/import/<uuid:public_id>/to-fix/",
        import_views.import_rejects,
        name="import_rejects",
    ),
    path("companies/", views.companies, name="companies"),
    path("companies/new/", views.company_form, name="company_create"),
    path("companies/export/", views.companies_export, name="companies_export"),
    path("companies/<uuid:public_id>/", views.company_detail, name="company_detail"),
    path("companies/<uuid:public_id>/edit/", views.company_form, name="company_edit"),
]
