"""Writing a batch while the next one is prepared: on PostgreSQL, a long job (an import) hands
each batch's writes to a thread with a connection of its own, so that the database inserts
one batch while Python reads and checks the next; the two cores work at once."""

import contextvars
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import translation

AHEAD = 2  # writes waiting or under way, at most: the caller runs that far ahead


def _in_transaction(write: Callable[[], None]) -> None:
    with transaction.atomic():
        write()


def _close_connection() -> None:
    connection.close()  # looked up in the thread that calls it: that thread's own


@contextmanager
def writes_behind() -> Iterator[Callable[[Callable[[], None]], None]]:
    """Yield `submit(write)`: each write runs in a transaction of its own, in the order
    submitted. On PostgreSQL outside a transaction, writes run on a second connection while
    the caller goes on; when AHEAD of them are waiting or under way, submitting another waits
    for the oldest. A write that fails stops the ones after it, and its error is raised at a
    later submit or when leaving. Elsewhere
    (SQLite, or inside a transaction, as in tests) a write runs at once, on the caller's
    connection."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield _in_transaction
        return
    language = translation.get_language()
    pending: list[Future] = []
    failed = threading.Event()

    def run(write: Callable[[], None]) -> None:
        if failed.is_set():  # nothing is written after a write that failed
            return
        try:
            with translation.override(language):
                _in_transaction(write)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="writes-behind") as writer:

        def submit(write: Callable[[], None]) -> None:
            while len(pending) >= AHEAD:
                pending.pop(0).result()
            # The caller's context (the request an audit row names) goes with the write.
            pending.append(writer.submit(contextvars.copy_context().run, run, write))

        try:
            yield submit
            while pending:
                pending.pop(0).result()
        finally:
            writer.submit(_close_connection).result()
