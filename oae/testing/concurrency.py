"""Two writes at the same moment, on two real connections (PostgreSQL): run one in another
connection's transaction, held open until this test's own connection comes to wait for its
lock, so a test shows the second write waited for the first and what it then found."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL in CI)"
)


def another_connection_waits(timeout: float = 10.0) -> bool:
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


def in_a_transaction_held_until_another_waits(write) -> tuple[threading.Thread, list[bool]]:
    """Run `write` in another connection's transaction, committed only once this test's own
    connection waits for it (or after a few seconds, when nothing makes it wait). Returns when
    `write` is done (uncommitted); `waited` then holds whether anything came to wait."""
    written, waited = threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                write()
                written.set()
                waited.append(another_connection_waits())
        finally:
            written.set()
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    if not written.wait(10):
        raise TimeoutError("the other connection's write did not finish in 10 seconds")
    return thread, waited
