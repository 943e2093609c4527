from django.urls import path

from oae.tools import admin_views, advice_views, citizen_views, views

app_name = "tools"

urlpatterns = [
    path("eines/", views.index, name="index"),
    path("eines/pla-de-viabilitat/", views.viability_edit, name="viability"),
    path("eines/pla-de-viabilitat/resultat/", views.viability_result, name="viability_result"),
    path(
        "eines/pla-de-viabilitat/resultat.<document:kind>",
        views.viability_document,
        name="viability_document",
    ),
    path("eines/financament/", views.financing, name="financing"),
    path("eines/autodiagnosi/", views.diagnosis, name="diagnosis"),
    path("eines/autodiagnosi/resultat/", views.diagnosis_result, name="diagnosis_result"),
    path("eines/forma-juridica/", advice_views.legal_form_edit, name="legal_form"),
    path(
        "eines/forma-juridica/resultat/",
        advice_views.legal_form_result,
        name="legal_form_result",
    ),
    path("eines/model-de-negoci/", advice_views.canvas_edit, name="canvas"),
    path("eines/model-de-negoci/canvas.pdf", advice_views.canvas_document, name="canvas_pdf"),
    path("eines/<slug:tool>/informe.pdf", views.session_report, name="session_report"),
    path("eines/<slug:tool>/desa/", citizen_views.keep_mine, name="keep_mine"),
    path("eines/els-meus-resultats/", citizen_views.mine, name="mine"),
    path(
        "eines/els-meus-resultats/<uuid:public_id>/",
        citizen_views.mine_detail,
        name="mine_detail",
    ),
    path(
        "eines/els-meus-resultats/<uuid:public_id>/esborra/",
        citizen_views.mine_delete,
        name="mine_delete",
    ),
    path(
        "eines/els-meus-resultats/<uuid:public_id>/document.<document:kind>",
        citizen_views.mine_document,
        name="mine_document",
    ),
    path("staff/tools/received/", citizen_views.received, name="received"),
    path("staff/tools/results/<uuid:public_id>/link/", citizen_views.link, name="link"),
    path("staff/tools/<slug:tool>/save/", views.result_keep, name="save"),
    path("staff/tools/results/<uuid:public_id>/", views.result_detail, name="result"),
    path(
        "staff/tools/results/<uuid:public_id>/document.<document:kind>",
        views.result_document,
        name="result_document",
    ),
    path("staff/tools/questionnaire/", admin_views.questionnaire, name="questionnaire"),
    path(
        "staff/tools/questionnaire/publish/",
        admin_views.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path("staff/tools/programmes/", admin_views.programmes, name="programmes"),
    path("staff/tools/programmes/new/", admin_views.programme_edit, name="programme_create"),
    path("staff/tools/programmes/<slug:code>/", admin_views.programme_edit, name="programme_edit"),
    path("staff/tools/legal-forms/", admin_views.legal_forms, name="legal_forms"),
    path("staff/tools/parameters/", views.parameters, name="parameters"),
    path("staff/tools/parameters/<year:year>/", views.parameters_edit, name="parameters_edit"),
]
