"""The opening pages: the network board, a municipality's path with its evidence, the
agreements, the municipal contacts and the due-date feed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.common.input import parsed
from oae.opening import access, contacts, reminders, selectors, services
from oae.opening.forms import (
    AgreementForm,
    BoardQueryForm,
    ContactInviteForm,
    EvidenceForm,
    NewAgreementForm,
    PathOfficeForm,
    PathStartForm,
    ReopenForm,
    ReviewOpenForm,
)
from oae.scoping import Action, require


@access.opening_access_required
def board(request):
    """Every path the user may see, what needs attention first; a municipal contact or an
    office's manager with one path goes straight to it."""
    paths = access.paths_for(request.user)
    if not access.may_edit(request.user) and not access.can_see_all(request.user):
        own = list(paths[:2])
        if len(own) == 1:
            return redirect("opening:path", public_id=own[0].public_id)
    query = parsed(BoardQueryForm, request.GET)
    rows = selectors.board_rows(paths)
    latest = services.latest_version()
    counts = selectors.stage_counts(rows, latest.content) if latest else []
    shown = selectors.filtered(
        rows, stage=query["stage"], attention=query["attention"], q=query["q"]
    )
    context = {
        "rows": shown,
        "all_rows": rows,
        "counts": counts,
        "query": query,
        "can_edit": access.may_edit(request.user),
        "feed_url": _feed_url(request),
        "today": timezone.localdate(),
    }
    return render(request, "opening/board.html", context)


def _feed_url(request) -> str | None:
    """The private address of the user's due-date calendar; "" until they ask for one, None
    for those who own no item (auditors, managers)."""
    if not access.owns_items(request.user):
        return None
    token = reminders.existing_feed_token(request.user)
    return request.build_absolute_uri(reverse("opening:feed", args=[token])) if token else ""


@access.opening_access_required
def path_start(request):
    require(request.user, Action.EDIT_OPENING)
    form = PathStartForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            path = services.path_start(actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("%(town)s's opening path has started.") % {"town": path.municipality.name},
            )
            return redirect("opening:path", public_id=path.public_id)
    return render(request, "opening/path_start.html", {"form": form})


@access.opening_access_required
def path_detail(request, public_id):
    path = access.get_path_or_404(request.user, public_id)
    services.path_refresh(path)
    path.refresh_from_db()
    context = {
        "page": selectors.path_page(path),
        "today": timezone.localdate(),
        "can_edit": access.may_edit(request.user),
        "can_add_evidence": access.may_add_evidence(request.user, path),
        "can_read_reviews": access.may_read_reviews(request.user, path),
        "office_form": PathOfficeForm(
            initial={"office": path.office}, municipality=path.municipality
        ),
        "contact_form": ContactInviteForm(),
        "review_form": ReviewOpenForm(initial={"year": timezone.localdate().year - 1}),
        "feed_url": _feed_url(request),
    }
    return render(request, "opening/path.html", context)


def _back(path):
    return redirect("opening:path", public_id=path.public_id)


@require_POST
@access.opening_access_required
def evidence_add(request, public_id):
    path = access.get_path_or_404(request.user, public_id)
    access.require_evidence_right(request.user, path)
    add_evidence_from(request, path)
    return _back(path)


def add_evidence_from(request, path, review=None) -> None:
    """The evidence the form sent for an item of the path (or of one of its reviews); what
    is wrong with it becomes a message."""
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    with refusals_as_messages(request):
        services.evidence_add(
            actor=request.user,
            path=path,
            review=review,
            item_key=form.cleaned_data["item"],
            upload=form.cleaned_data["file"],
            url=form.cleaned_data["url"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Evidence added: the item is done."))


@access.opening_access_required
def evidence_download(request, public_id):
    evidence = access.get_evidence_or_404(request.user, public_id)
    if not evidence.file:  # a link or a note: nothing to download
        raise Http404("No file")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
@access.opening_access_required
def item_reopen(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    path = access.get_path_or_404(request.user, public_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the item is open again: its owner reads it."))
        return _back(path)
    with refusals_as_messages(request):
        services.item_reopen(
            actor=request.user,
            path=path,
            item_key=form.cleaned_data["item"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The item is open again."))
    return _back(path)


@require_POST
@access.opening_access_required
def path_office(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    path = access.get_path_or_404(request.user, public_id)
    form = PathOfficeForm(request.POST, municipality=path.municipality)
    if not form.is_valid():
        messages.error(request, _("Choose one of the municipality's offices."))
        return _back(path)
    with refusals_as_messages(request):
        services.path_set_office(actor=request.user, path=path, office=form.cleaned_data["office"])
        messages.success(request, _("The path's office has been saved."))
    return _back(path)


@require_POST
@access.opening_access_required
def path_move(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    path = access.get_path_or_404(request.user, public_id)
    with refusals_as_messages(request):
        latest = services.latest_version()
        services.path_move_version(actor=request.user, path=path, version=latest)
        messages.success(
            request, _("The path follows version %(number)s now.") % {"number": latest.number}
        )
    return _back(path)


@require_POST
@access.opening_access_required
def contact_invite(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    path = access.get_path_or_404(request.user, public_id)
    form = ContactInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the contact's e-mail address."))
        return _back(path)
    with refusals_as_messages(request):
        contacts.contact_invite(actor=request.user, path=path, **form.cleaned_data)
        messages.success(
            request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
        )
    return _back(path)


@require_POST
@access.opening_access_required
def contact_toggle(request, public_id):
    contact = access.get_contact_or_404(request.user, public_id)
    contacts.contact_set_active(actor=request.user, contact=contact, active=not contact.is_active)
    messages.success(request, _("The contact's access has been changed."))
    return _back(contact.path)


# Agreements -------------------------------------------------------------------------------


@access.opening_access_required
def agreement_list(request):
    agreements = list(access.agreements_for(request.user))
    rows = selectors.agreement_rows(agreements)
    return render(
        request,
        "opening/agreements.html",
        {"rows": rows, "can_edit": access.may_edit(request.user)},
    )


@access.opening_access_required
def agreement_new(request):
    require(request.user, Action.EDIT_OPENING)
    form = NewAgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            agreement = services.agreement_record(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                data=form.agreement_data(),
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("The agreement has been recorded."))
            return redirect("opening:agreement", public_id=agreement.public_id)
    return render(request, "opening/agreement_form.html", {"form": form, "renews": None})


@access.opening_access_required
def agreement_detail(request, public_id):
    agreement = access.get_agreement_or_404(request.user, public_id)
    context = {
        "agreement": agreement,
        "history": selectors.agreement_history(agreement),
        "expiring": selectors.expiring(agreement, timezone.localdate()),
        "can_edit": access.may_edit(request.user),
    }
    return render(request, "opening/agreement.html", context)


@access.opening_access_required
def agreement_renew(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    renews = access.get_agreement_or_404(request.user, public_id)
    form = AgreementForm(
        request.POST or None, request.FILES or None, initial=selectors.renewal_initial(renews)
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            agreement = services.agreement_record(
                actor=request.user,
                municipality=renews.municipality,
                data=form.agreement_data(),
                upload=form.cleaned_data["file"],
                renews=renews,
            )
            messages.success(request, _("The renewal has been recorded."))
            return redirect("opening:agreement", public_id=agreement.public_id)
    return render(request, "opening/agreement_form.html", {"form": form, "renews": renews})


@access.opening_access_required
def agreement_file(request, public_id):
    agreement = access.get_agreement_or_404(request.user, public_id)
    return FileResponse(
        agreement.file.open("rb"),
        as_attachment=True,
        filename=agreement.original_name,
        content_type="application/pdf",
    )


# The due-date feed ------------------------------------------------------------------------


@require_POST
@access.opening_access_required
def feed_renew(request):
    """Make the user's calendar address, or a new one that revokes the old."""
    if not access.owns_items(request.user):
        raise PermissionDenied("a calendar of due dates is for those who own items")
    renewing = bool(reminders.existing_feed_token(request.user))
    reminders.feed_token(request.user, renew=renewing)
    if renewing:
        messages.success(request, _("New calendar address created; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
    return redirect("opening:board")


def feed(request, token: str):
    """Public (calendar apps cannot sign in): the secret token is the key."""
    owner = reminders.feed_owner(token)
    if owner is None:
        raise Http404("No such calendar")
    response = HttpResponse(reminders.feed_ics(owner), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="opening.ics"'
    return response
