"""An open office's yearly review: opened with its scorecard, its checklist, the meeting and
the actions agreed, tracked to done."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.opening import access, selectors, services
from oae.opening.forms import (
    ActionDoneForm,
    ReviewActionForm,
    ReviewMeetingForm,
    ReviewOpenForm,
)
from oae.opening.views import add_evidence_from
from oae.scoping import Action, require


@require_POST
@access.opening_access_required
def review_open(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    path = access.get_path_or_404(request.user, public_id)
    form = ReviewOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("year", [_("Give the year to review.")])))
        return redirect("opening:path", public_id=path.public_id)
    year = form.cleaned_data["year"]
    with refusals_as_messages(request):
        review = services.review_open(actor=request.user, path=path, year=year)
        messages.success(request, _("The review of %(year)s is open.") % {"year": year})
        return redirect("opening:review", public_id=review.public_id)
    return redirect("opening:path", public_id=path.public_id)


def _page(request, review, meeting_form=None, action_form=None):
    context = {
        "page": selectors.review_page(review),
        "can_edit": access.may_edit(request.user),
        "can_add_evidence": access.may_edit(request.user),
        "meeting_form": meeting_form or ReviewMeetingForm(instance=review),
        "action_form": action_form or ReviewActionForm(),
        "scorecard_rows": selectors.scorecard_rows(review.scorecard),
        "today": timezone.localdate(),
    }
    return render(request, "opening/review.html", context)


@access.opening_access_required
def review_detail(request, public_id):
    return _page(request, access.get_review_or_404(request.user, public_id))


@require_POST
@access.opening_access_required
def review_meeting(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    review = access.get_review_or_404(request.user, public_id)
    form = ReviewMeetingForm(request.POST, instance=review)
    if form.is_valid():
        with refusals_on_form(form):
            services.review_meeting_record(
                actor=request.user, review=review, data=form.cleaned_data
            )
            messages.success(request, _("The meeting has been recorded."))
            return redirect("opening:review", public_id=review.public_id)
    review.refresh_from_db()
    return _page(request, review, meeting_form=form)


@require_POST
@access.opening_access_required
def review_action_add(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    review = access.get_review_or_404(request.user, public_id)
    form = ReviewActionForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            services.review_action_add(actor=request.user, review=review, data=form.cleaned_data)
            messages.success(request, _("The action has been agreed."))
            return redirect("opening:review", public_id=review.public_id)
    return _page(request, review, action_form=form)


@require_POST
@access.opening_access_required
def review_action_done(request, public_id):
    action = access.get_review_action_or_404(request.user, public_id)
    form = ActionDoneForm(request.POST)
    form.is_valid()
    services.review_action_done(
        actor=request.user, action=action, done=form.cleaned_data.get("done", False)
    )
    messages.success(request, _("The action has been updated."))
    return redirect("opening:review", public_id=action.review.public_id)


@require_POST
@access.opening_access_required
def review_evidence_add(request, public_id):
    require(request.user, Action.EDIT_OPENING)
    review = access.get_review_or_404(request.user, public_id)
    add_evidence_from(request, review.path, review)
    return redirect("opening:review", public_id=review.public_id)
