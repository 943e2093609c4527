"""Readable weekly opening hours: consecutive days with the same times are grouped."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Weekday(models.IntegerChoices):
    """Days of the week as opening periods and availability slots store them (Monday = 0)."""

    MONDAY = 0, gettext_lazy("Monday")
    TUESDAY = 1, gettext_lazy("Tuesday")
    WEDNESDAY = 2, gettext_lazy("Wednesday")
    THURSDAY = 3, gettext_lazy("Thursday")
    FRIDAY = 4, gettext_lazy("Friday")
    SATURDAY = 5, gettext_lazy("Saturday")
    SUNDAY = 6, gettext_lazy("Sunday")


@dataclass(frozen=True)
class HoursLine:
    days: str
    times: str


def _day_range(first: int, last: int) -> str:
    if first == last:
        return str(Weekday(first).label)
    return _("%(first)s to %(last)s") % {"first": Weekday(first).label, "last": Weekday(last).label}


def weekly_hours(periods) -> list[HoursLine]:
    """`periods` are OpeningPeriod rows (any order). Days without periods are left out."""
    by_day: dict[int, list[str]] = {}
    for period in sorted(periods, key=lambda p: (p.weekday, p.opens)):
        by_day.setdefault(period.weekday, []).append(f"{period.opens:%H:%M}–{period.closes:%H:%M}")
    lines: list[HoursLine] = []
    run_start = previous = None
    for day in sorted(by_day):
        if run_start is not None and day == previous + 1 and by_day[day] == by_day[run_start]:
            previous = day
            continue
        if run_start is not None:
            lines.append(HoursLine(_day_range(run_start, previous), ", ".join(by_day[run_start])))
        run_start = previous = day
    if run_start is not None:
        lines.append(HoursLine(_day_range(run_start, previous), ", ".join(by_day[run_start])))
    return lines
