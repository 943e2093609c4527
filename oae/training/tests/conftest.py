"""Training fixtures: the framework and starter curriculum loaded from data (the induction,
passed on the trainer's word; viability, with a pass mark of 70), sessions scheduled from
tomorrow, and sessions that have already started (moved back in time once scheduled: the
service schedules only from now on)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from oae.training import services
from oae.training.models import Module, TrainingSession

PLACE = "Seu de la xarxa, Barcelona"


def hours_from_now(hours: float) -> datetime.datetime:
    return timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)


def session_data(**changes) -> dict:
    """What the form sends for a session tomorrow from ten to two, at the network's seat."""
    starts = hours_from_now(24)
    return {
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=4),
        "place": PLACE,
        "online_url": "",
        "trainer": "Montserrat Puig",
        "capacity": 2,
    } | changes


def schedule(actor, module, **changes) -> TrainingSession:
    return services.session_schedule(actor=actor, module=module, data=session_data(**changes))


def started(session: TrainingSession, hours_ago: float = 1) -> TrainingSession:
    """The session as if it had started `hours_ago` (and ends four hours after its start)."""
    starts = hours_from_now(-hours_ago)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=4)
    )
    session.refresh_from_db()
    return session


def signed_in(user, language="en") -> Client:
    client = Client()
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def coordinator(people):
    return people["coordinator"]


@pytest.fixture
def framework(db):
    services.framework_load()


@pytest.fixture
def induction(framework) -> Module:
    """Passed on attendance and the trainer's word (no pass mark)."""
    return Module.objects.get(code="induction")


@pytest.fixture
def viability(framework) -> Module:
    """Passed with a score of at least 70."""
    return Module.objects.get(code="viability")


@pytest.fixture
def session(coordinator, induction) -> TrainingSession:
    """Tomorrow's induction, with two places."""
    return schedule(coordinator, induction)
