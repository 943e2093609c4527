"""Results a citizen keeps in their account and, if they ask, sends to an office; the offices'
list of results received, which staff file with the client's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.input import parsed
from oae.crm.access import get_person_or_404
from oae.privacy.services import list_read_logged
from oae.scoping import Action, require, staff_required
from oae.tools import results, selectors
from oae.tools.forms import LinkPersonForm, SendForm
from oae.tools.views import DOCUMENTS, result_download


@require_POST
@login_required
def keep_mine(request, tool: str):
    if tool not in results.SESSION:
        raise Http404("No such tool")
    data = request.session.get(results.SESSION[tool])
    if not data:
        messages.error(request, _("There is nothing to keep: use the tool first."))
        return redirect("tools:index")
    result = results.keep_mine(user=request.user, tool=tool, data=data)
    messages.success(request, _("The result is kept in your account."))
    return redirect("tools:mine_detail", public_id=result.public_id)


@login_required
def mine(request):
    kept = selectors.citizen_results_for(request.user)
    return render(request, "tools/mine.html", {"kept": kept})


@login_required
def mine_detail(request, public_id):
    saved = selectors.get_citizen_result_or_404(request.user, public_id)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            results.send_to_office(
                user=request.user,
                result=saved,
                office=form.cleaned_data["office"],
                message=form.cleaned_data["message"],
            )
            messages.success(
                request,
                _("Sent to %(office)s. The office will contact you by e-mail.")
                % {"office": saved.office.name},
            )
            return redirect("tools:mine_detail", public_id=saved.public_id)
        except ValidationError as error:
            form.add_error(None, error)
    context = results.show(saved) | {
        "saved": saved,
        "form": form,
        "documents": DOCUMENTS.get(saved.tool, ()),
        "can_send": selectors.still_private(saved),
        "can_delete": selectors.still_private(saved),
    }
    return render(request, "tools/mine_detail.html", context)


@require_POST
@login_required
def mine_delete(request, public_id):
    saved = selectors.get_citizen_result_or_404(request.user, public_id)
    try:
        results.delete_mine(user=request.user, result=saved)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tools:mine_detail", public_id=saved.public_id)
    messages.success(request, _("The result is deleted."))
    return redirect("tools:mine")


@login_required
def mine_document(request, public_id, kind: str):
    return result_download(selectors.get_citizen_result_or_404(request.user, public_id), kind)


@staff_required
def received(request):
    require(request.user, Action.VIEW_PEOPLE)
    list_read_logged(actor=request.user, action="tools.result.received_read", office=request.office)
    received_results = selectors.results_received_for(request.user)
    return render(request, "tools/received.html", {"received": received_results})


@require_POST
@staff_required
def link(request, public_id):
    saved = selectors.get_tool_result_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE, saved.office)
    person = get_person_or_404(request.user, parsed(LinkPersonForm, request.POST)["person"])
    try:
        results.link_to_person(actor=request.user, result=saved, person=person)
        messages.success(request, _("The result is filed with %(name)s.") % {"name": person})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tools:result", public_id=saved.public_id)
