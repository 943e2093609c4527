from django.urls import path

from oae.training import certificate_views, profile_views, staffing_views, views

app_name = "training"

urlpatterns = [
    path("", views.curriculum, name="curriculum"),
    path("mine/", views.mine, name="mine"),
    path("modules/<slug:code>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:public_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:public_id>/enrol/", views.enrol, name="enrol"),
    path("sessions/<uuid:public_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("enrolments/<uuid:public_id>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<uuid:public_id>/assessment/", views.assessment, name="assessment"),
    path(
        "certificates/<uuid:public_id>/pdf/",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certificates/<uuid:public_id>/credential/",
        certificate_views.certificate_credential,
        name="certificate_credential",
    ),
    path(
        "certificates/<uuid:public_id>/revoke/",
        certificate_views.certificate_revoke,
        name="certificate_revoke",
    ),
    # The staffing plan (staffing_views.py)
    path("staffing/", staffing_views.offices, name="staffing"),
    path("staffing/<uuid:public_id>/", staffing_views.office_plan, name="staffing_office"),
    path(
        "staffing/<uuid:public_id>/positions/",
        staffing_views.position_save,
        name="position_save",
    ),
    path(
        "staffing/<uuid:public_id>/positions/<slug:job>/remove/",
        staffing_views.position_remove,
        name="position_remove",
    ),
    path(
        "staffing/<uuid:public_id>/posts/<uuid:membership_id>/",
        staffing_views.membership_post,
        name="membership_post",
    ),
    path("needs/", staffing_views.training_needs, name="training_needs"),
    # Job profiles for recruiting (profile_views.py)
    path("profiles/", profile_views.profile_list, name="profiles"),
    path("profiles/<slug:role>/", profile_views.profile_detail, name="profile"),
    path("profiles/<slug:role>/edit/", profile_views.profile_edit, name="profile_edit"),
    path(
        "profiles/<slug:role>/offices/<uuid:public_id>/",
        profile_views.office_profile,
        name="office_profile",
    ),
    path(
        "profiles/<slug:role>/offices/<uuid:public_id>/adapt/",
        profile_views.office_profile_adapt,
        name="office_profile_adapt",
    ),
    path(
        "profiles/<slug:role>/offices/<uuid:public_id>/settle/",
        profile_views.office_profile_settle,
        name="office_profile_settle",
    ),
    path(
        "profiles/<slug:role>/offices/<uuid:public_id>/pdf/",
        profile_views.office_profile_pdf,
        name="office_profile_pdf",
    ),
]
