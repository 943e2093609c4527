"""Agenda screens: the week calendar, booking, availability, and the iCalendar feed. Each works
in the acting office (`request.office`, chosen with the header's switcher)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import agenda, selectors
from oae.cases.access import (
    calendar_owner_or_404,
    case_named,
    client_named,
    get_appointment_or_404,
)
from oae.cases.forms import (
    AgendaQueryForm,
    AppointmentForm,
    AppointmentStatusForm,
    AwayForm,
    ClientQueryForm,
    SlotFormSet,
)
from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.common.input import parsed
from oae.privacy.services import list_read_logged
from oae.scoping import Action, office_to_act_for, require, staff_required

# The booking service's reasons, shown on the form's fields they are about.
BOOKING_FIELDS = {"starts_at": "starts", "ends_at": "minutes"}


def _agenda_of(appointment):
    """The agenda page showing the appointment's advisor and week."""
    week = timezone.localtime(appointment.starts_at).date().isoformat()
    return redirect(f"{reverse('cases:agenda')}?advisor={appointment.advisor_id}&week={week}")


@staff_required
def week(request):
    """One advisor's week at the acting office (the user's own unless another advisor of the
    office is chosen)."""
    require(request.user, Action.VIEW_CASES)
    office = office_to_act_for(request, Action.VIEW_CASES)
    query = parsed(AgendaQueryForm, request.GET)
    agenda_week = selectors.week_agenda(
        user=request.user, office=office, chosen_advisor=query["advisor"], day=query["week"]
    )
    own = agenda_week.advisor == request.user
    list_read_logged(actor=request.user, action="cases.agenda.week_read", office=office)
    context = {
        "week": agenda_week,
        "feed_token": agenda.calendar_feed_token(request.user) if own else "",
    }
    return render(request, "cases/agenda_week.html", context)


@staff_required
def book(request):
    """Book an appointment at the acting office, or, from a case, at the case's office."""
    require(request.user, Action.EDIT_CASES)
    client = parsed(ClientQueryForm, request.GET)
    case = case_named(request.user, client["case"], Action.EDIT_CASES)
    office = case.office if case else office_to_act_for(request, Action.EDIT_CASES)
    person, _company = client_named(request.user, person=client["person"])
    person = person or (case.person if case else None)
    form = AppointmentForm(
        request.POST or None,
        advisors=selectors.office_advisors(office),
        initial={"advisor": str((case.assigned_to if case else request.user).pk)},
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.period()
        with refusals_on_form(form, fields=BOOKING_FIELDS):
            appointment = agenda.appointment_book(
                actor=request.user,
                office=office,
                advisor=form.cleaned_data["advisor"],
                starts_at=starts_at,
                ends_at=ends_at,
                person=person,
                case=case,
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Appointment booked."))
            return _agenda_of(appointment)
    context = {"form": form, "office": office, "person": person, "case": case}
    return render(request, "cases/appointment_book.html", context)


@require_POST
@staff_required
def appointment_status(request, public_id):
    appointment = get_appointment_or_404(request.user, public_id, Action.EDIT_CASES)
    with refusals_as_messages(request):
        agenda.appointment_set_status(
            actor=request.user,
            appointment=appointment,
            status=parsed(AppointmentStatusForm, request.POST)["status"],
        )
        messages.success(request, _("Appointment updated."))
    return _agenda_of(appointment)


def _away_saved(request, away_form) -> bool:
    if not away_form.is_valid():
        return False
    with refusals_on_form(away_form):
        agenda.away_add(actor=request.user, advisor=request.user, **away_form.cleaned_data)
        messages.success(request, _("Day away saved."))
        return True
    return False


def _slots_saved(request, office, formset) -> bool:
    if not formset.is_valid():
        return False
    periods = [
        (f.cleaned_data["weekday"], f.cleaned_data["starts"], f.cleaned_data["ends"])
        for f in formset
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    with refusals_as_messages(request):
        agenda.availability_set(
            actor=request.user, advisor=request.user, office=office, slots=periods
        )
        messages.success(request, _("Opening hours for appointments saved."))
        return True
    return False


@staff_required
def availability(request):
    """The user's own weekly periods for appointments at the acting office, and days away."""
    require(request.user, Action.EDIT_CASES)
    office = office_to_act_for(request, Action.EDIT_CASES)
    posted = request.POST if request.method == "POST" else None
    away_posted = posted is not None and "away" in posted
    slots = selectors.advisor_slots(request.user, office)
    formset = SlotFormSet(
        None if away_posted else posted,
        initial=[{"weekday": s.weekday, "starts": s.starts, "ends": s.ends} for s in slots],
        prefix="slots",
    )
    away_form = AwayForm(posted if away_posted else None, prefix="away")
    if posted is not None and (
        _away_saved(request, away_form) if away_posted else _slots_saved(request, office, formset)
    ):
        return redirect("cases:availability")
    context = {
        "office": office,
        "formset": formset,
        "away_form": away_form,
        "away": selectors.days_away(request.user),
    }
    return render(request, "cases/availability.html", context)


@require_POST
@staff_required
def calendar_feed_renew(request):
    agenda.calendar_feed_token(request.user, renew=True)
    messages.success(request, _("New calendar address created; the old one no longer works."))
    return redirect("cases:agenda")


def calendar_feed(request, token: str):
    """Public (calendar apps cannot sign in): the secret token is the key."""
    owner = calendar_owner_or_404(token)
    response = HttpResponse(agenda.calendar_ics(owner), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response
