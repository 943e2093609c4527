"""Work on another connection while a long job goes on (PostgreSQL): an import hands each
batch's writes to a thread with a connection of its own (`writes_behind`), and asks another
for what the next batch's rows may match (`reads_ahead`), so that the database inserts one
batch and looks up the next while Python checks the one in between; the two cores work at
once. On SQLite, or inside a transaction (tests), the work is done at once, on the caller's
connection."""

import contextvars
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from itertools import cycle

from django.db import connection, transaction
from django.utils import translation

WRITERS = 2  # connections writing at once
AHEAD = 3  # writes waiting or under way, at most: the caller runs that far ahead
LOCK_TIMEOUT = "60s"  # a write waiting longer for a row fails (and the job with it)


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


class EarlierWriteFailed(Exception):
    """A write is not committed when one submitted before it failed."""


def _nothing() -> None:
    return None


def _in_order(first: Callable[[], None], then: Callable[[], None]) -> None:
    with transaction.atomic():
        first()
        then()


@contextmanager
def writes_behind() -> Iterator[Callable[..., None]]:
    """Yield `submit(first, then=…)`: each write is one transaction, `first` then `then`,
    and writes are committed in the order submitted. On PostgreSQL outside a transaction,
    WRITERS connections write while the caller goes on: `first` (rows no earlier write can
    touch: new ones) starts at once; `then` (what may follow from earlier writes: changes,
    counts) waits until every earlier write is committed, and runs before the commit. When
    AHEAD writes are waiting or under way, submitting another waits for the oldest. A write
    that fails is rolled back and so is every write after it; its error is raised at a later
    submit or when leaving. Elsewhere each write runs at once, on the caller's
    connection."""
    if _at_once():
        yield lambda first, then=_nothing: _in_order(first, then)
        return
    pending: list[Future] = []

    def run(first: Callable[[], None], then: Callable[[], None], before: Future | None) -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:  # not forever, should the order be crossed
                cursor.execute("SET LOCAL lock_timeout = %s", [LOCK_TIMEOUT])
            first()
            if before is not None and before.exception() is not None:
                raise EarlierWriteFailed  # rolled back: nothing after a failed write
            then()

    with ExitStack() as stack:
        writers = cycle(
            [stack.enter_context(_another_connection("writes-behind")) for _ in range(WRITERS)]
        )

        def submit(first: Callable[[], None], then: Callable[[], None] = _nothing) -> None:
            while len(pending) >= AHEAD:
                pending.pop(0).result()
            before = pending[-1] if pending else None
            pending.append(next(writers)(lambda: run(first, then, before)))

        yield submit
        while pending:
            pending.pop(0).result()
