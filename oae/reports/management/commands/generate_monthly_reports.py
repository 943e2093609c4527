"""Generate a month's reports (the network's and each open office's) and announce them, at once
in this process: the month before today's unless --year and --month say which. The scheduler
does it on the 1st of each month (`make run` starts it; production runs Celery beat). A month
generated again replaces its reports; each is announced once."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from oae.reports.forms import FIRST_YEAR, LAST_YEAR
from oae.reports.monthly import check_month_ended, monthly_reports_generate_all, previous_month


class Command(BaseCommand):
    help = "Generate the monthly reports of a month (the last one by default); idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, help=f"{FIRST_YEAR} to {LAST_YEAR}")
        parser.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12")

    def handle(self, *args, year: int | None, month: int | None, **options) -> None:
        if (year is None) != (month is None):
            raise CommandError("Give both --year and --month, or neither (the last month).")
        if year is None:
            year, month = previous_month(timezone.localdate())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"The year must be from {FIRST_YEAR} to {LAST_YEAR}.")
        try:
            check_month_ended(year, month)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        started = time.monotonic()
        reports = monthly_reports_generate_all(year=year, month=month)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Generated {len(reports)} report(s) of {year}-{month:02d} in {seconds:.1f} s."
        )
