"""The monthly reports: the list of those the user may read, each PDF's download, and the
coordinator's button that generates last month's again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.input import PageField, QueryForm, parsed
from oae.reports import monthly
from oae.reports.forms import FIRST_YEAR, LAST_YEAR
from oae.reports.tasks import monthly_reports_regenerate
from oae.scoping import Action, require, staff_required


class MonthlyPageForm(QueryForm):
    """The list's page."""

    page = PageField()


class MonthForm(forms.Form):
    """The month the button generates again (hidden fields the list fills in)."""

    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = forms.IntegerField(min_value=1, max_value=12)


@staff_required
def monthly_list(request):
    """The monthly reports the user may read, the newest month first."""
    require(request.user, Action.VIEW_REPORTS)
    page = monthly.monthly_reports_page(request.user, parsed(MonthlyPageForm, request.GET)["page"])
    year, month = monthly.previous_month(timezone.localdate())
    context = {
        "page": page,
        "may_generate": monthly.may_generate(request.user),
        "last_year": year,
        "last_month": month,
        "last_month_name": monthly.month_name(year, month),
    }
    return render(request, "reports/monthly_list.html", context)


@staff_required
def monthly_download(request, public_id):
    """A report's PDF (404 for one the user may not read, as for one that does not exist)."""
    report = monthly.get_report_or_404(request.user, public_id)
    return FileResponse(
        monthly.report_file(report),
        as_attachment=True,
        filename=monthly.download_name(report),
        content_type="application/pdf",
    )


@require_POST
@staff_required
def monthly_generate(request):
    """Generate a month's reports again (the coordinator's): replaces them, in the background."""
    if not monthly.may_generate(request.user):
        raise PermissionDenied("only coordinators generate the monthly reports")
    asked = parsed(MonthForm, request.POST)
    try:
        monthly_reports_regenerate(actor=request.user, year=asked["year"], month=asked["month"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The reports of %(month)s are being generated again: they replace the earlier "
                "ones in a few minutes."
            )
            % {"month": monthly.month_name(asked["year"], asked["month"])},
        )
    return redirect("reports:monthly")
