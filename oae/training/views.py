"""The training pages: the curriculum and its sessions, a session with its enrolments (and,
for coordinators, attendance and assessment), and each person's own record and gap."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.network.models import JobRole
from oae.scoping import Action, active_memberships, require, staff_required
from oae.training import access, selectors, services
from oae.training.forms import AssessmentForm, AttendanceForm, EnrolForm, SessionForm


@staff_required
def curriculum(request):
    context = {
        "modules": selectors.curriculum(),
        "can_manage": access.may_manage(request.user),
        "now": timezone.now(),
    }
    return render(request, "training/curriculum.html", context)


@staff_required
def session_new(request, code: str):
    require(request.user, Action.MANAGE_TRAINING)
    module = selectors.get_module_or_404(code)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            session = services.session_schedule(
                actor=request.user, module=module, data=form.cleaned_data
            )
            messages.success(request, _("The session is scheduled."))
            return redirect("training:session", public_id=session.public_id)
    return render(request, "training/session_form.html", {"form": form, "module": module})


@staff_required
def session_cancel(request, public_id):
    """Cancel a session not yet started, after a confirmation; its people are told by e-mail."""
    require(request.user, Action.MANAGE_TRAINING)
    session = access.get_session_or_404(request.user, public_id)
    if request.method == "POST":
        with refusals_as_messages(request):
            told = services.session_cancel(actor=request.user, session=session)
            messages.success(
                request,
                ngettext(
                    "The session is cancelled; %(count)s person is told by e-mail.",
                    "The session is cancelled; %(count)s people are told by e-mail.",
                    told,
                )
                % {"count": told},
            )
        return redirect("training:session", public_id=session.public_id)
    context = {"session": session, "people": selectors.people_to_tell(session)}
    return render(request, "training/session_cancel.html", context)


@staff_required
def session_detail(request, public_id):
    session = access.get_session_or_404(request.user, public_id)
    people = access.staff_to_enrol(request.user)
    context = {
        "session": session,
        "places_left": selectors.places_left(session),
        "enrolments": access.enrolments_for(request.user).filter(session=session),
        "enrol_form": EnrolForm(people=people, initial={"person": request.user.pk})
        if people
        else None,
        "can_manage": access.may_manage(request.user),
        "started": session.starts_at <= timezone.now(),
    }
    return render(request, "training/session.html", context)


@require_POST
@staff_required
def enrol(request, public_id):
    session = access.get_session_or_404(request.user, public_id)
    form = EnrolForm(request.POST, people=access.staff_to_enrol(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose yourself or one of your office's staff."))
        return redirect("training:session", public_id=session.public_id)
    with refusals_as_messages(request):
        enrolment = services.enrol(actor=request.user, session=session, user=form.chosen())
        if enrolment.status == "waiting":
            messages.success(request, _("The session is full: on the waiting list."))
        else:
            messages.success(request, _("Enrolled."))
    return redirect("training:session", public_id=session.public_id)


@require_POST
@staff_required
def enrolment_cancel(request, public_id):
    enrolment = access.get_enrolment_or_404(request.user, public_id)
    with refusals_as_messages(request):
        services.enrolment_cancel(actor=request.user, enrolment=enrolment)
        messages.success(request, _("The enrolment is cancelled."))
    return redirect("training:session", public_id=enrolment.session.public_id)


@require_POST
@staff_required
def attendance(request, public_id):
    require(request.user, Action.MANAGE_TRAINING)
    enrolment = access.get_enrolment_or_404(request.user, public_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        with refusals_as_messages(request):
            services.attendance_record(
                actor=request.user, enrolment=enrolment, attended=form.cleaned_data["attended"]
            )
            messages.success(request, _("Attendance recorded."))
    else:
        messages.error(request, _("Say whether they attended."))
    return redirect("training:session", public_id=enrolment.session.public_id)


@require_POST
@staff_required
def assessment(request, public_id):
    require(request.user, Action.MANAGE_TRAINING)
    enrolment = access.get_enrolment_or_404(request.user, public_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        with refusals_as_messages(request):
            services.assessment_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
            messages.success(request, _("Assessment recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("training:session", public_id=enrolment.session.public_id)


@staff_required
def mine(request):
    """The user's training record and, for each job they hold, their gap."""
    jobs = sorted({membership.job for membership in active_memberships(request.user)})
    context = {
        "completions": selectors.completions(request.user),
        "certificates": selectors.certificates_of(request.user),
        "enrolments": selectors.upcoming_enrolments(request.user),
        "gaps": [(JobRole(job).label, selectors.gaps(request.user, job)) for job in jobs],
    }
    return render(request, "training/mine.html", context)
