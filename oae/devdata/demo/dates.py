"""Dates relative to the day the demo is loaded, so its day view and agenda always show
something near today (local time, like the screens)."""

import datetime

from django.utils import timezone


def local_at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """`days` from today at `hour`:`minute`, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def working_day(days: int) -> datetime.date:
    """The first Monday-to-Friday date `days` or more from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day
