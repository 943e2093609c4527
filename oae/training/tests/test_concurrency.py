"""Enrolments at the same moment, on two real connections (PostgreSQL): the session's row is
locked while its places are counted, so an enrolment made meanwhile is waited for and counted.
Two people asking for the last place end with one enrolled and one waiting; one person asking
twice at once is told they are already enrolled (not a server error from the unique index)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from oae.training import services
from oae.training.models import Enrolment
from oae.training.tests.conftest import schedule

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL in CI)"
)
pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def _another_connection_waits(timeout: float = 5.0) -> bool:
    """Whether another connection to this database comes to wait for a lock within `timeout`
    (this connection's snapshot of the server's activity is cleared at every look)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _in_a_transaction_held_until_another_waits(write) -> tuple[threading.Thread, list[bool]]:
    """Run `write` in another connection's transaction, committed only once this test's own
    connection waits for it (or after a few seconds, when nothing makes it wait). Returns when
    `write` is done (uncommitted)."""
    written, waited = threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                write()
                written.set()
                waited.append(_another_connection_waits())
        finally:
            written.set()
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert written.wait(10)
    return thread, waited


@pytest.fixture
def last_place(coordinator, induction, people, office_a):
    """Tomorrow's induction with one place left of two (office A's manager took the other)."""
    session = schedule(coordinator, induction, capacity=2)
    services.enrol(actor=coordinator, session=session, user=people["manager_a"])
    return session


def test_two_enrolments_for_the_last_place_end_with_one_enrolled_and_one_waiting(
    last_place, people
):
    advisor, readonly = people["advisor_a"], people["readonly_a"]
    thread, waited = _in_a_transaction_held_until_another_waits(
        lambda: services.enrol(actor=advisor, session=last_place, user=advisor)
    )
    second = services.enrol(actor=readonly, session=last_place, user=readonly)
    thread.join(10)
    assert second.status == "waiting"
    statuses = dict(Enrolment.objects.filter(session=last_place).values_list("user", "status"))
    assert statuses == {
        people["manager_a"].pk: "enrolled",
        advisor.pk: "enrolled",
        readonly.pk: "waiting",
    }
    assert waited == [True]  # the second enrolment waited for the first to commit


def test_one_person_enrolled_twice_at_once_is_told_they_already_are(last_place, people):
    advisor, manager = people["advisor_a"], people["manager_a"]
    thread, waited = _in_a_transaction_held_until_another_waits(
        lambda: services.enrol(actor=advisor, session=last_place, user=advisor)
    )
    with pytest.raises(ValidationError) as refused:
        services.enrol(actor=manager, session=last_place, user=advisor)
    thread.join(10)
    assert waited == [True]
    assert refused.value.messages == [
        f"{advisor.display_name} is already enrolled or on the waiting list."
    ]
    assert Enrolment.objects.filter(session=last_place, user=advisor).count() == 1
