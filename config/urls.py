"""Top-level URL map: public pages, accounts, staff screens, admin, health."""

from django.contrib import admin
from django.urls import include, path

from oae.accounts.views import switch_language
from oae.common import views as common_views
from oae.network import public_views as network_public_views
from oae.reports.urls import opendata_urlpatterns

urlpatterns = [
    path("", network_public_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("oae.accounts.urls")),
    path("staff/", include("oae.network.urls")),
    path("staff/", include("oae.catalogue.urls")),
    path("staff/", include("oae.crm.urls")),
    path("staff/reports/", include("oae.reports.urls")),
    path("staff/opening/", include("oae.opening.urls")),
    path("staff/training/", include("oae.training.urls")),
    path("dades-obertes/", include((opendata_urlpatterns, "opendata"))),
    path("", include("oae.cases.urls")),
    path("", include("oae.tools.urls")),
    path("", include("oae.catalogue.public_urls")),
    path("", include("oae.training.public_urls")),
    path("admin/", admin.site.urls),
]
