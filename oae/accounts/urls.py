from django.urls import path

from oae.accounts import views

app_name = "accounts"

urlpatterns = [
    path("after-login/", views.after_login, name="after_login"),
    path("profile/", views.profile, name="profile"),
    path("office/", views.office_switch, name="office_switch"),
]
