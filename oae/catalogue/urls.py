from django.urls import path

from oae.catalogue import consultation_views, office_views, proposal_views, views

app_name = "catalogue"

_ITEM = "<kind:kind>/<slug:code>/"
_OFFICE = "offices/<uuid:public_id>/catalogue/"
_PROPOSAL = "catalogue/proposals/<uuid:public_id>/"

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
    # Co-design: offices' proposals to the model (proposal_views.py).
    path("catalogue/proposals/", proposal_views.proposal_list, name="proposals"),
    path("catalogue/proposals/notices/", proposal_views.proposal_notices, name="proposal_notices"),
    path(
        "catalogue/proposals/new/<kind:kind>/",
        proposal_views.proposal_new_item,
        name="proposal_new_item",
    ),
    path("catalogue/proposals/new/" + _ITEM, proposal_views.proposal_new, name="proposal_new"),
    path(_PROPOSAL, proposal_views.proposal_detail, name="proposal"),
    path(_PROPOSAL + "revise/", proposal_views.proposal_revise, name="proposal_revise"),
    path(_PROPOSAL + "comment/", proposal_views.proposal_comment, name="proposal_comment"),
    path(_PROPOSAL + "support/", proposal_views.proposal_support, name="proposal_support"),
    path(_PROPOSAL + "unsupport/", proposal_views.proposal_unsupport, name="proposal_unsupport"),
    path(_PROPOSAL + "evidence/", proposal_views.proposal_evidence, name="proposal_evidence"),
    path(
        _PROPOSAL + "evidence/<int:evidence_id>/",
        proposal_views.proposal_evidence_file,
        name="proposal_evidence_file",
    ),
    path(_PROPOSAL + "withdraw/", proposal_views.proposal_withdraw, name="proposal_withdraw"),
    path(_PROPOSAL + "decide/", proposal_views.proposal_decide, name="proposal_decide"),
    path(_PROPOSAL + "merge/", proposal_views.proposal_merge, name="proposal_merge"),
    # Co-design: consultation rounds on items of the draft (consultation_views.py).
    path("catalogue/rounds/", consultation_views.round_list, name="rounds"),
    path("catalogue/rounds/new/", consultation_views.round_new, name="round_new"),
    path("catalogue/rounds/<uuid:public_id>/", consultation_views.round_detail, name="round"),
    path(
        "catalogue/rounds/<uuid:public_id>/answer/",
        consultation_views.round_answer,
        name="round_answer",
    ),
    path(
        "catalogue/rounds/<uuid:public_id>/export.<tableformat:file_format>",
        consultation_views.round_export,
        name="round_export",
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
    path(
        _OFFICE + _ITEM + "propose/",
        proposal_views.proposal_from_override,
        name="office_item_propose",
    ),
]
