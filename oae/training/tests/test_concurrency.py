"""Enrolments at the same moment, on two real connections (PostgreSQL): the session's row is
locked while its places are counted, so an enrolment made meanwhile is waited for and counted.
Two people asking for the last place end with one enrolled and one waiting; one person asking
twice at once is told they are already enrolled (not a server error from the unique index)."""

import pytest
from django.core.exceptions import ValidationError

from oae.testing.concurrency import in_a_transaction_held_until_another_waits, postgresql_only
from oae.training import services
from oae.training.models import Enrolment
from oae.training.tests.conftest import schedule

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


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
    thread, waited = in_a_transaction_held_until_another_waits(
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
    thread, waited = in_a_transaction_held_until_another_waits(
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
