"""Writes handed to a second connection while the caller goes on (PostgreSQL), or done at once."""

import threading

import pytest
from django.db import connection

from oae.common.writes_behind import WRITERS, reads_ahead, writes_behind
from oae.network.models import Municipality
from oae.testing.factories import MunicipalityFactory

two_connections = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL in CI)"
)


def _add(code: str, threads: list):
    def write():
        threads.append(threading.get_ident())
        MunicipalityFactory(ine_code=code, name=f"Town {code}")

    return write


@pytest.mark.django_db
def test_inside_a_transaction_each_write_is_done_at_once_on_the_callers_connection():
    threads = []
    with writes_behind() as submit:
        submit(_add("08901", threads))
        assert Municipality.objects.filter(ine_code="08901").exists()
    assert threads == [threading.get_ident()]


@two_connections
@pytest.mark.django_db(transaction=True)
def test_writes_go_on_on_other_threads_and_follow_on_in_the_order_submitted():
    """A write's second part waits until every write before it is committed: it sees them,
    even when its first part was done before theirs."""
    threads, seen = [], []
    first_may_end = threading.Event()

    def slow_first():
        first_may_end.wait(5)
        _add("08902", threads)()

    def following(code):
        def then():
            codes = Municipality.objects.filter(ine_code__startswith="0890")
            seen.append((code, sorted(codes.values_list("ine_code", flat=True))))

        return then

    with writes_behind() as submit:
        submit(slow_first, following("08902"))
        submit(_add("08903", threads), following("08903"))
        submit(_add("08904", threads), following("08904"))
        first_may_end.set()
    assert seen == [
        ("08902", ["08902"]),
        ("08903", ["08902", "08903"]),
        ("08904", ["08902", "08903", "08904"]),
    ]
    assert len(set(threads)) == WRITERS and threading.get_ident() not in threads


@two_connections
@pytest.mark.django_db(transaction=True)
def test_a_failed_write_is_rolled_back_and_raised_in_the_caller():
    def failing():
        MunicipalityFactory(ine_code="08905", name="Half")
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"), writes_behind() as submit:
        submit(failing)
        submit(_add("08906", []))  # done, then rolled back: the one before failed
        submit(_add("08909", []))
    assert not Municipality.objects.filter(ine_code__in=["08905", "08906", "08909"]).exists()


@two_connections
@pytest.mark.django_db(transaction=True)
def test_a_write_failing_in_its_second_part_takes_those_after_it_back():
    def failing():
        raise ValueError("no more room")

    with pytest.raises(ValueError, match="no more room"), writes_behind() as submit:
        submit(_add("08910", []), failing)
        submit(_add("08911", []))
    assert not Municipality.objects.filter(ine_code__in=["08910", "08911"]).exists()


@pytest.mark.django_db
def test_inside_a_transaction_a_read_ahead_is_done_at_once_and_its_error_kept_for_later():
    MunicipalityFactory(ine_code="08907", name="Seen")
    with reads_ahead() as submit:
        found = submit(lambda: (threading.get_ident(), Municipality.objects.count()))
        failed = submit(lambda: Municipality.objects.get(ine_code="00000"))
    assert found.result() == (threading.get_ident(), 1)
    with pytest.raises(Municipality.DoesNotExist):
        failed.result()


@two_connections
@pytest.mark.django_db(transaction=True)
def test_reads_ahead_run_on_another_connection_while_the_caller_goes_on():
    MunicipalityFactory(ine_code="08908", name="Ahead")
    release = threading.Event()

    def read():
        release.wait(5)
        return threading.get_ident(), Municipality.objects.filter(ine_code="08908").count()

    with reads_ahead() as submit:
        pending = submit(read)
        assert not pending.done()  # the caller is not held up
        release.set()
        thread, count = pending.result()
    assert thread != threading.get_ident() and count == 1
