"""The legal-form advisor and the business model canvas: public, no sign-in, work kept in the
browser session; an advisor opening them from a client's page saves the result there."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from oae.tools import canvas, legal_form, results
from oae.tools.forms import CanvasForm, LegalFormAnswersForm
from oae.tools.models import Tool
from oae.tools.results import SESSION, current_client, remember_client
from oae.tools.views import PUBLIC_RATE, canvas_download

SESSION_LEGAL = SESSION[Tool.LEGAL_FORM]
SESSION_CANVAS = SESSION[Tool.CANVAS]


def _limited(request) -> bool:
    if request.method == "POST" and getattr(request, "limited", False):
        messages.error(request, _("Too many answers in a minute; wait a moment."))
        return True
    return False


@ratelimit(key="ip", rate=PUBLIC_RATE, method="POST", block=False)
def legal_form_edit(request):
    remember_client(request)
    if legal_form.guide_for() is None:
        raise Http404("No legal-form guide")
    form = LegalFormAnswersForm(
        request.POST or None, initial=request.session.get(SESSION_LEGAL) or None
    )
    if not _limited(request) and request.method == "POST" and form.is_valid():
        answers = legal_form.Answers(**form.cleaned_data)
        request.session[SESSION_LEGAL] = answers.data()
        return redirect("tools:legal_form_result")
    return render(request, "tools/legal_form_form.html", {"form": form})


def legal_form_result(request):
    stored = request.session.get(SESSION_LEGAL)
    if not stored or legal_form.guide_for() is None:
        return redirect("tools:legal_form")
    person, case = current_client(request)
    shown = results.show(results.preview(Tool.LEGAL_FORM, stored))
    return render(request, "tools/legal_form_result.html", shown | {"person": person, "case": case})


@ratelimit(key="ip", rate=PUBLIC_RATE, method="POST", block=False)
def canvas_edit(request):
    """One page: the nine blocks to fill in; saving keeps them in the session and shows the
    canvas ready to print or download."""
    remember_client(request)
    stored = request.session.get(SESSION_CANVAS) or {}
    form = CanvasForm(request.POST or None, initial=stored)
    if not _limited(request) and request.method == "POST" and form.is_valid():
        request.session[SESSION_CANVAS] = form.cleaned_data
        messages.success(request, _("The canvas is kept in this browser session."))
        return redirect("tools:canvas")
    person, case = current_client(request)
    return render(
        request,
        "tools/canvas.html",
        {
            "form": form,
            "stored": stored,
            "blocks": canvas.blocks(stored),
            "person": person,
            "case": case,
        },
    )


@ratelimit(key="ip", rate="10/m", block=False)
def canvas_document(request):
    stored = request.session.get(SESSION_CANVAS)
    if not stored or getattr(request, "limited", False):
        raise Http404("No canvas in this session")
    return canvas_download(stored)
