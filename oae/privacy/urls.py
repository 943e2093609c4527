from django.urls import path

from oae.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.audit_trail, name="audit_trail"),
]
