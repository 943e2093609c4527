from django.urls import path

from oae.training import certificate_views

app_name = "certificates"

urlpatterns = [
    path("certificats/emissor/", certificate_views.issuer_profile, name="issuer"),
    path("certificats/verifica/", certificate_views.credential_check, name="check"),
    path("certificats/<uuid:public_id>/", certificate_views.certificate_verify, name="verify"),
]
