from django.urls import path

from oae.catalogue import office_views, views

app_name = "catalogue"

_ITEM = "<kind:kind>/<slug:code>/"
_OFFICE = "offices/<uuid:public_id>/catalogue/"

urlpatterns = [
    # The network model (coordinators edit; auditors read).
    path("catalogue/", views.model_home, name="model_home"),
    path("catalogue/publish/", views.publish, name="publish"),
    path("catalogue/versions/", views.version_list, name="version_list"),
    path("catalogue/versions/<number:number>/", views.version_detail, name="version_detail"),
    path("catalogue/compare/", views.version_compare, name="version_compare"),
    path("catalogue/adoption/", views.adoption, name="adoption"),
    path("catalogue/categories/", views.categories, name="categories"),
    path("catalogue/categories/<slug:key>/", views.categories, name="category_edit"),
    path("catalogue/resources/", views.resources, name="resources"),
    path("catalogue/resources/new/", views.resource_form, name="resource_create"),
    path("catalogue/resources/<slug:code>/", views.resource_form, name="resource_edit"),
    path(
        "catalogue/resources/<slug:code>/files/<number:number>/",
        views.resource_download,
        name="resource_download",
    ),
    path("catalogue/<kind:kind>/new/", views.item_create, name="item_create"),
    path("catalogue/" + _ITEM, views.item_edit, name="item_edit"),
    path("catalogue/" + _ITEM + "archive/", views.item_archive, name="item_archive"),
    path("catalogue/" + _ITEM + "history/", views.item_history, name="item_history"),
    path("catalogue/" + _ITEM + "preview/", views.item_preview, name="item_preview"),
    # An office's catalogue.
    path(_OFFICE, office_views.office_catalogue, name="office_catalogue"),
    path(_OFFICE + "adopt/", office_views.office_adopt, name="office_adopt"),
    path(_OFFICE + "updates/", office_views.office_updates, name="office_updates"),
    path(
        _OFFICE + "local/<kind:kind>/new/",
        office_views.office_local_item,
        name="office_local_create",
    ),
    path(_OFFICE + "local/" + _ITEM, office_views.office_local_item, name="office_local_edit"),
    path(
        _OFFICE + "procedures/<slug:code>/variant/",
        office_views.procedure_variant,
        name="procedure_variant",
    ),
    path(_OFFICE + _ITEM, office_views.office_item, name="office_item"),
    path(_OFFICE + _ITEM + "adapt/", office_views.office_item_adapt, name="office_item_adapt"),
    path(_OFFICE + _ITEM + "toggle/", office_views.office_item_toggle, name="office_item_toggle"),
]
