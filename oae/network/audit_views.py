"""The audit trail page for coordinators and auditors: every office's events, filtered."""

from django.core.paginator import Paginator
from django.shortcuts import render

from oae.common.input import ListQueryForm, parsed
from oae.network.forms import AuditFilterForm
from oae.network.selectors import offices_for
from oae.privacy.selectors import AuditFilters, audit_action_codes, audit_events, audit_rows
from oae.scoping import Action, require, staff_required


@staff_required
def audit_trail(request):
    require(request.user, Action.VIEW_AUDIT)
    form = AuditFilterForm(
        request.GET or None,
        actions=audit_action_codes(),
        offices=offices_for(request.user, Action.VIEW_OFFICE),
    )
    filters = (
        AuditFilters(**form.cleaned_data) if form.is_bound and form.is_valid() else AuditFilters()
    )
    number = parsed(ListQueryForm, request.GET)["page"]
    page = Paginator(audit_events(filters=filters), 50).get_page(number)
    rows = audit_rows(user=request.user, events=page.object_list)
    template = "network/_audit_table.html" if request.htmx else "network/audit_trail.html"
    return render(request, template, {"form": form, "page": page, "rows": rows})
