"""A person's own account: where to land after login, profile, language choice."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from oae.accounts.forms import LanguageForm, OfficeSwitchForm, ProfileForm
from oae.accounts.security import mfa_enrolled, mfa_required
from oae.accounts.services import user_set_language, user_update_profile
from oae.common.input import parsed
from oae.scoping import active_memberships, choose_office, follows_a_path, is_staff_member


@login_required
def after_login(request):
    if is_staff_member(request.user):
        return redirect("network:overview")
    return redirect("opening:board" if follows_a_path(request.user) else "accounts:profile")


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    context = {
        "form": form,
        "mfa_required": mfa_required(user),
        "mfa_enrolled": mfa_enrolled(user),
        "is_staff_member": is_staff_member(user),
        "memberships": active_memberships(user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def switch_language(request):
    """Django's set_language, plus remembering the choice on the signed-in user."""
    response = set_language(request)
    form = LanguageForm(request.POST)
    if request.user.is_authenticated and form.is_valid():
        user_set_language(user=request.user, language=form.cleaned_data["language"])
    return response


@require_POST
@login_required
def office_switch(request):
    """Act for another of one's own offices from now on; back to the page it was asked from."""
    posted = parsed(OfficeSwitchForm, request.POST)
    office = choose_office(request, str(posted["office"]))
    messages.success(request, _("You are now working for %(office)s.") % {"office": office.name})
    return redirect(posted["next"] or "network:overview")
