from django.urls import path

from oae.training import views

app_name = "training"

urlpatterns = [
    path("", views.curriculum, name="curriculum"),
    path("mine/", views.mine, name="mine"),
    path("modules/<slug:code>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:public_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:public_id>/enrol/", views.enrol, name="enrol"),
    path("enrolments/<uuid:public_id>/cancel/", views.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<uuid:public_id>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<uuid:public_id>/assessment/", views.assessment, name="assessment"),
]
