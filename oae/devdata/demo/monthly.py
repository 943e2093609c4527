"""Last month's reports in the demo, so that the list has something to download before the
scheduler's first 1st of the month (made once; the scheduler makes the next ones)."""

from django.utils import timezone

from oae.reports import monthly
from oae.reports.models import MonthlyReport


def monthly_reports_demo_load() -> int:
    """The network's and each open office's report of last month, unless there already are;
    not e-mailed (the demo's readers open them on the list)."""
    year, month = monthly.previous_month(timezone.localdate())
    if MonthlyReport.objects.filter(year=year, month=month).exists():
        return 0
    figures = monthly.month_figures(year, month)
    monthly.monthly_report_generate(year=year, month=month, figures=figures)
    for row in figures.rows:
        monthly.monthly_report_generate(year=year, month=month, office=row.office, figures=figures)
    return 1 + len(figures.rows)
