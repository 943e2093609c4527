from django.urls import path

from oae.opening import playbook_views, review_views, views

app_name = "opening"

urlpatterns = [
    path("", views.board, name="board"),
    path("start/", views.path_start, name="path_start"),
    path("paths/<uuid:public_id>/", views.path_detail, name="path"),
    path("paths/<uuid:public_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("paths/<uuid:public_id>/reopen/", views.item_reopen, name="item_reopen"),
    path("paths/<uuid:public_id>/office/", views.path_office, name="path_office"),
    path("paths/<uuid:public_id>/move/", views.path_move, name="path_move"),
    path("paths/<uuid:public_id>/contacts/", views.contact_invite, name="contact_invite"),
    path("paths/<uuid:public_id>/reviews/", review_views.review_open, name="review_open"),
    path("contacts/<uuid:public_id>/toggle/", views.contact_toggle, name="contact_toggle"),
    path("evidence/<uuid:public_id>/", views.evidence_download, name="evidence_download"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<uuid:public_id>/", views.agreement_detail, name="agreement"),
    path("agreements/<uuid:public_id>/renew/", views.agreement_renew, name="agreement_renew"),
    path("agreements/<uuid:public_id>/file/", views.agreement_file, name="agreement_file"),
    path("reviews/<uuid:public_id>/", review_views.review_detail, name="review"),
    path("reviews/<uuid:public_id>/meeting/", review_views.review_meeting, name="review_meeting"),
    path(
        "reviews/<uuid:public_id>/actions/",
        review_views.review_action_add,
        name="review_action_add",
    ),
    path(
        "reviews/<uuid:public_id>/evidence/",
        review_views.review_evidence_add,
        name="review_evidence_add",
    ),
    path(
        "actions/<uuid:public_id>/done/", review_views.review_action_done, name="review_action_done"
    ),
    path("playbook/", playbook_views.playbook_page, name="playbook"),
    path("playbook/v<int:number>/", playbook_views.version, name="playbook_version"),
    path("playbook/draft/item/", playbook_views.draft_item, name="draft_item"),
    path("playbook/draft/remove/", playbook_views.draft_item_remove, name="draft_item_remove"),
    path("playbook/draft/stage/", playbook_views.draft_stage, name="draft_stage"),
    path("playbook/draft/stall/", playbook_views.draft_stall, name="draft_stall"),
    path("playbook/draft/publish/", playbook_views.publish, name="playbook_publish"),
    path("calendar/renew/", views.feed_renew, name="feed_renew"),
    path("calendar/<token:token>.ics", views.feed, name="feed"),
]
