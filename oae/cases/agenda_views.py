"""Agenda screens: the week calendar, booking, availability, and the iCalendar feed."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import agenda, selectors
from oae.cases.forms import AppointmentForm, AwayForm, SlotFormSet
from oae.cases.models import Appointment, AvailabilityException, AvailabilitySlot, CalendarFeed
from oae.cases.views import _client_from, office_advisors, week_start
from oae.network.selectors import offices_for
from oae.scoping import Action, get_case_or_404, require, staff_required


def _my_office(request):
    office = offices_for(request.user, Action.EDIT_CASES).order_by("name").first()
    if office is None:
        office = offices_for(request.user, Action.VIEW_CASES).order_by("name").first()
    if office is None:
        raise Http404("No office with an agenda")
    return office


@staff_required
def week(request):
    """One advisor's week (the user's own unless another advisor of the office is chosen)."""
    require(request.user, Action.VIEW_CASES)
    office = _my_office(request)
    advisors = list(office_advisors(office))
    chosen = request.GET.get("advisor", "")
    advisor = next((a for a in advisors if str(a.pk) == chosen), None) or (
        request.user if request.user in advisors else (advisors[0] if advisors else request.user)
    )
    monday = week_start(request.GET.get("week"))
    context = {
        "office": office,
        "advisor": advisor,
        "advisors": advisors,
        "monday": monday,
        "today": timezone.localdate(),
        "days": selectors.week_appointments(advisor=advisor, monday=monday),
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "slots": AvailabilitySlot.objects.filter(advisor=advisor, office=office),
        "feed_token": agenda.calendar_feed_token(request.user) if advisor == request.user else "",
    }
    return render(request, "cases/agenda_week.html", context)


@staff_required
def book(request):
    require(request.user, Action.EDIT_CASES)
    office = offices_for(request.user, Action.EDIT_CASES).order_by("name").first()
    person, _company = _client_from(request)
    case = get_case_or_404(request.user, request.GET["case"]) if request.GET.get("case") else None
    person = person or (case.person if case else None)
    advisors = office_advisors(office)
    form = AppointmentForm(
        request.POST or None,
        advisors=advisors,
        initial={"advisor": str((case.assigned_to if case else request.user).pk)},
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.period()
        try:
            appointment = agenda.appointment_book(
                actor=request.user,
                office=office,
                advisor=advisors.get(pk=form.cleaned_data["advisor"]),
                starts_at=starts_at,
                ends_at=ends_at,
                person=person,
                case=case,
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Appointment booked."))
            return redirect(
                f"{redirect('cases:agenda').url}?advisor={appointment.advisor_id}"
                f"&week={starts_at.date().isoformat()}"
            )
        except ValidationError as error:
            form.add_error(None, error)
    context = {"form": form, "office": office, "person": person, "case": case}
    return render(request, "cases/appointment_book.html", context)


@require_POST
@staff_required
def appointment_status(request, public_id):
    office_ids = offices_for(request.user, Action.EDIT_CASES).values_list("pk", flat=True)
    appointment = Appointment.objects.filter(public_id=public_id, office_id__in=office_ids).first()
    if appointment is None:
        raise Http404("No such appointment")
    try:
        agenda.appointment_set_status(
            actor=request.user, appointment=appointment, status=request.POST.get("status", "")
        )
        messages.success(request, _("Appointment updated."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(
        f"{redirect('cases:agenda').url}?advisor={appointment.advisor_id}"
        f"&week={appointment.starts_at.date().isoformat()}"
    )


@staff_required
def availability(request):
    """The user's own weekly periods for appointments and days away."""
    require(request.user, Action.EDIT_CASES)
    office = offices_for(request.user, Action.EDIT_CASES).order_by("name").first()
    slots = AvailabilitySlot.objects.filter(advisor=request.user, office=office)
    initial = [{"weekday": s.weekday, "starts": s.starts, "ends": s.ends} for s in slots]
    formset = SlotFormSet(request.POST or None, initial=initial, prefix="slots")
    away_form = AwayForm(request.POST or None if "away" in request.POST else None, prefix="away")
    if request.method == "POST" and "away" in request.POST and away_form.is_valid():
        try:
            agenda.away_add(actor=request.user, advisor=request.user, **away_form.cleaned_data)
            messages.success(request, _("Day away saved."))
            return redirect("cases:availability")
        except ValidationError as error:
            away_form.add_error(None, error)
    elif request.method == "POST" and "away" not in request.POST and formset.is_valid():
        periods = [
            (f.cleaned_data["weekday"], f.cleaned_data["starts"], f.cleaned_data["ends"])
            for f in formset
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            agenda.availability_set(
                actor=request.user, advisor=request.user, office=office, slots=periods
            )
            messages.success(request, _("Opening hours for appointments saved."))
            return redirect("cases:availability")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {
        "office": office,
        "formset": formset,
        "away_form": away_form if "away" in request.POST else AwayForm(prefix="away"),
        "away": AvailabilityException.objects.filter(advisor=request.user).order_by("-date")[:20],
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
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar")
    response = HttpResponse(agenda.calendar_ics(feed.user), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response
