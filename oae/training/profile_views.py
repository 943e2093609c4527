"""The job profiles' pages: the network's profiles and their wording (coordinators edit it),
an office's version (its managers adapt it and settle conflicts with the network's changes) and
its PDF for a recruitment call (the office's staff; coordinators any office's)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.concurrency import EditConflict
from oae.common.feedback import refusals_on_form, report_refusal
from oae.scoping import Action, require, staff_required
from oae.training import profiles
from oae.training.profile_forms import JobProfileForm, OfficeProfileForm, SettleForm


@staff_required
def profile_list(request):
    context = {
        "profiles": profiles.network_profiles(profiles.current_language()),
        "may_edit": profiles.may_edit_network_wording(request.user),
    }
    return render(request, "training/profiles.html", context)


@staff_required
def profile_detail(request, role: str):
    profile = profiles.get_profile_or_404(role)
    language = profiles.current_language()
    context = {
        "version": profiles.network_view(profile, language),
        "competences": profiles.competences_of(profile, language),
        "offices": profiles.office_rows(request.user, profile),
        "may_edit": profiles.may_edit_network_wording(request.user),
    }
    return render(request, "training/profile.html", context)


@staff_required
def profile_edit(request, role: str):
    require(request.user, Action.MANAGE_TRAINING)
    profile = profiles.get_profile_or_404(role)
    form = JobProfileForm(request.POST or None, initial=JobProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            try:
                profiles.job_profile_update(
                    actor=request.user,
                    profile=profile,
                    data=form.profile_data(),
                    expected_version=form.cleaned_data["lock_version"],
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("The network's profile is saved."))
                return redirect("training:profile", role=profile.role)
    context = {"form": form, "title": profiles.job_title(profile.role), "role": profile.role}
    return render(request, "training/profile_form.html", context)


def _office_and_adaptation(request, role: str, public_id):
    """The office (404 when it is not the user's) and its adaptation of the job's profile."""
    office = profiles.get_office_or_404(request.user, public_id)
    return office, profiles.adaptation_of(office, profiles.get_profile_or_404(role))


@staff_required
def office_profile(request, role: str, public_id):
    office, adaptation = _office_and_adaptation(request, role, public_id)
    context = {
        "office": office,
        "version": profiles.office_view(adaptation, profiles.current_language()),
        "may_adapt": profiles.may_adapt(request.user, office),
    }
    return render(request, "training/profile_office.html", context)


@staff_required
def office_profile_adapt(request, role: str, public_id):
    office, adaptation = _office_and_adaptation(request, role, public_id)
    if not profiles.may_adapt(request.user, office):
        raise PermissionDenied("only the office's managers adapt its profiles")
    version = profiles.office_view(adaptation, profiles.current_language())
    initial = {field.name: field.text for field in version.fields}
    form = OfficeProfileForm(
        request.POST or None, initial=initial | {"lock_version": adaptation.lock_version}
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            try:
                profiles.office_profile_adapt(
                    actor=request.user,
                    office=office,
                    profile=adaptation.profile,
                    overrides=form.overrides(),
                    expected_version=form.cleaned_data["lock_version"],
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("Your office's version of the profile is saved."))
                return redirect("training:office_profile", role=role, public_id=office.public_id)
    rows = [(form[field.name], field) for field in version.fields]
    context = {"office": office, "version": version, "form": form, "rows": rows}
    return render(request, "training/profile_adapt.html", context)


@require_POST
@staff_required
def office_profile_settle(request, role: str, public_id):
    office, adaptation = _office_and_adaptation(request, role, public_id)
    if not profiles.may_adapt(request.user, office):
        raise PermissionDenied("only the office's managers adapt its profiles")
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to keep your wording or use the network's."))
    else:
        use_network = form.cleaned_data["wording"] == "network"
        try:
            profiles.office_profile_settle(
                actor=request.user,
                adaptation=adaptation,
                use_network_wording=use_network,
                fields=[form.cleaned_data["field"]],
            )
        except ValidationError as refusal:
            report_refusal(request, refusal)
        else:
            messages.success(
                request,
                _("The network's wording is used.") if use_network else _("Your wording is kept."),
            )
    return redirect("training:office_profile", role=role, public_id=office.public_id)


@staff_required
def office_profile_pdf(request, role: str, public_id):
    _office, adaptation = _office_and_adaptation(request, role, public_id)
    language = profiles.current_language()
    response = HttpResponse(
        profiles.profile_pdf(adaptation=adaptation, language=language),
        content_type="application/pdf",
    )
    name = profiles.pdf_file_name(adaptation, language)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
