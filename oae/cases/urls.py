from django.urls import path

from oae.cases import agenda_views, public_views, referral_views, views

app_name = "cases"

urlpatterns = [
    path("staff/cases/", views.case_list, name="list"),
    path("staff/cases/new/", views.case_open, name="open"),
    path("staff/cases/today/", views.today, name="today"),
    path("staff/cases/<uuid:public_id>/", views.case_detail, name="detail"),
    path("staff/cases/<uuid:public_id>/sessions/", views.session_add, name="session_add"),
    path(
        "staff/cases/<uuid:public_id>/steps/<slug:step_id>/tick/",
        views.step_tick,
        name="step_tick",
    ),
    path(
        "staff/cases/<uuid:public_id>/steps/<slug:step_id>/done/",
        views.step_complete,
        name="step_complete",
    ),
    path("staff/cases/<uuid:public_id>/tasks/", views.task_add, name="task_add"),
    path("staff/cases/tasks/<uuid:public_id>/done/", views.task_done, name="task_done"),
    path("staff/cases/<uuid:public_id>/documents/", views.attachment_add, name="attachment_add"),
    path(
        "staff/cases/documents/<uuid:public_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("staff/cases/<uuid:public_id>/outcomes/", views.outcome_add, name="outcome_add"),
    path(
        "staff/cases/outcomes/<uuid:public_id>/verify/",
        views.outcome_verify,
        name="outcome_verify",
    ),
    path("staff/cases/<uuid:public_id>/update/", views.case_update, name="update"),
    path("staff/cases/<uuid:public_id>/close/", views.case_close, name="close"),
    path("staff/cases/<uuid:public_id>/reopen/", views.case_reopen, name="reopen"),
    path("staff/cases/<uuid:public_id>/refer/", referral_views.refer, name="refer"),
    path("staff/referrals/", referral_views.inbox, name="referrals"),
    path("staff/referrals/<uuid:public_id>/", referral_views.referral_detail, name="referral"),
    path(
        "staff/referrals/<uuid:public_id>/answer/",
        referral_views.referral_answer,
        name="referral_answer",
    ),
    path(
        "staff/referrals/<uuid:public_id>/withdraw/",
        referral_views.referral_withdraw,
        name="referral_withdraw",
    ),
    path("staff/agenda/", agenda_views.week, name="agenda"),
    path("staff/agenda/book/", agenda_views.book, name="book"),
    path(
        "staff/agenda/appointments/<uuid:public_id>/status/",
        agenda_views.appointment_status,
        name="appointment_status",
    ),
    path("staff/agenda/availability/", agenda_views.availability, name="availability"),
    path("staff/agenda/feed/renew/", agenda_views.calendar_feed_renew, name="feed_renew"),
    path("agenda/<token:token>.ics", agenda_views.calendar_feed, name="feed"),
    path("survey/<token:token>/", public_views.survey, name="survey"),
]
