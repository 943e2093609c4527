"""Work on another connection while a long job goes on (PostgreSQL): an import hands each
batch's writes to a thread with a connection of its own (`writes_behind`), and asks another
for what the next batch's rows may match (`reads_ahead`), so that the database inserts one
batch and looks up the next while Python checks the one in between; the two cores work at
once. On SQLite, or inside a transaction (tests), the work is done at once, on the caller's
connection."""

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


def _at_once() -> bool:
    return connection.vendor != "postgresql" or connection.in_atomic_block


@contextmanager
def _another_connection(name: str) -> Iterator[Callable[[Callable], Future]]:
    """Yield `submit(work) -> Future`: each work runs, in order, on one thread with its own
    connection (closed on leaving), in the caller's language and context (the request an
    audit row names)."""
    language = translation.get_language()

    def run(work: Callable):
        with translation.override(language):
            return work()

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) as worker:
        try:
            yield lambda work: worker.submit(contextvars.copy_context().run, run, work)
        finally:
            worker.submit(_close_connection).result()


def _done_now(work: Callable) -> Future:
    done: Future = Future()
    try:
        done.set_result(work())
    except Exception as error:  # raised where the result is asked for, as from a thread
        done.set_exception(error)
    return done


@contextmanager
def reads_ahead() -> Iterator[Callable[[Callable], Future]]:
    """Yield `submit(read) -> Future`: on PostgreSQL outside a transaction, reads run on a
    second connection while the caller goes on; elsewhere each runs at once."""
    if _at_once():
        yield _done_now
        return
    with _another_connection("reads-ahead") as submit:
        yield submit


@contextmanager
def writes_behind() -> Iterator[Callable[[Callable[[], None]], None]]:
    """Yield `submit(write)`: each write runs in a transaction of its own, in the order
    submitted. On PostgreSQL outside a transaction, writes run on a second connection while
    the caller goes on; when AHEAD of them are waiting or under way, submitting another waits
    for the oldest. A write that fails stops the ones after it, and its error is raised at a
    later submit or when leaving. Elsewhere a write runs at once, on the caller's
    connection."""
    if _at_once():
        yield _in_transaction
        return
    pending: list[Future] = []
    failed = threading.Event()

    def run(write: Callable[[], None]) -> None:
        if failed.is_set():  # nothing is written after a write that failed
            return
        try:
            _in_transaction(write)
        except BaseException:
            failed.set()
            raise

    with _another_connection("writes-behind") as worker:

        def submit(write: Callable[[], None]) -> None:
            while len(pending) >= AHEAD:
                pending.pop(0).result()
            pending.append(worker(lambda: run(write)))

        yield submit
        while pending:
            pending.pop(0).result()
