"""Serve the embedded default: a Celery worker with the beat scheduler in it, then Django's
development server; both stop together when the server ends, on Ctrl-C or on SIGTERM."""

import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# One process runs the jobs and the schedule: imports run one at a time, and production's beat
# jobs (reminders, retention, import files) run without cron. The SQLite broker has no fan-out,
# so the worker's chatter with other workers (gossip, mingle, heartbeat) is left off.
WORKER = [
    *("-m", "celery", "-A", "config", "worker", "--beat", "--concurrency=1"),
    *("--loglevel=info", "--without-gossip", "--without-mingle", "--without-heartbeat"),
]
SERVER = "runserver 127.0.0.1:8000"
# Each stop sends these signals in turn, waiting the seconds given for the process to exit, then
# kills what is left of its process group. A worker's warm shutdown lets the job it runs finish;
# its cold shutdown cuts the job off and puts it back in the queue for the next start (every job
# is idempotent).
SERVER_STOP = [(signal.SIGTERM, 10)]
WORKER_STOP = [(signal.SIGTERM, 20), (signal.SIGQUIT, 10)]
POLL_SECONDS = 0.5
SQLITE_BROKER = "sqla+sqlite:///"


class Stop(Exception):
    """Ctrl-C or SIGTERM reached this command: stop the server, then the worker."""


def _raise_stop(signum, frame) -> None:
    raise Stop


def start(command: list[str]) -> subprocess.Popen:
    """Start a child in a process group of its own: Ctrl-C reaches this command alone, which
    stops the children in order, and a group can be killed whole (the worker's pool and beat
    processes, the server's reloader) so that none is left behind."""
    return subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603


def stop(process: subprocess.Popen, steps: list[tuple[int, float]]) -> None:
    """Signal the process step by step until it exits, then SIGKILL what is left of its group."""
    for signum, seconds in steps:
        if process.poll() is not None:
            break
        process.send_signal(signum)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the whole group is gone already: the usual case
    process.wait()


def forget_delivered_jobs() -> None:
    """kombu's SQLite transport keeps each message it delivered as a hidden row, never read
    again (a job put back is queued anew): drop them, or the file grows with every job."""
    url = settings.CELERY_BROKER_URL
    broker = Path(url.removeprefix(SQLITE_BROKER))
    if not url.startswith(SQLITE_BROKER) or not broker.exists():
        return
    with closing(sqlite3.connect(broker, timeout=20)) as database, database:
        try:
            database.execute("DELETE FROM kombu_message WHERE visible = 0")
        except sqlite3.OperationalError:
            pass  # no table yet: nothing was ever queued


class Command(BaseCommand):
    help = (
        "Run a job worker with the scheduler and the development server on 127.0.0.1:8000; "
        "stop both together."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--server",
            default=SERVER,
            help=f"the server's manage.py command line (default: {SERVER!r})",
        )

    def handle(self, *args, server: str, **options) -> None:
        signal.signal(signal.SIGINT, _raise_stop)
        signal.signal(signal.SIGTERM, _raise_stop)
        worker, web, failed = None, None, None
        try:
            forget_delivered_jobs()
            worker = start([sys.executable, *WORKER])
            self.say(f"Job worker and scheduler started (pid {worker.pid}).")
            web = start([sys.executable, "manage.py", *shlex.split(server)])
            self.say(f"Server started (pid {web.pid}).")
            self.watch(worker, web)
            failed = web.returncode or None
        except Stop:
            self.say("Stopping.")
        finally:
            # A second Ctrl-C must not cut the stopping short and leave a child behind.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if web is not None:
                stop(web, SERVER_STOP)
            if worker is not None:
                self.say(
                    f"Stopping the job worker: a job it runs gets {WORKER_STOP[0][1]} s to "
                    "finish, else it is put back in the queue for the next start."
                )
                stop(worker, WORKER_STOP)
            self.say("Server and job worker stopped.")
        if failed:
            raise CommandError(f"The server stopped with exit code {failed}.")

    def watch(self, worker: subprocess.Popen, web: subprocess.Popen) -> None:
        """Wait for the server to end; say so once, loudly, if the worker dies first."""
        told = False
        while web.poll() is None:
            if worker.poll() is not None and not told:
                # Its scheduler process would go on queueing jobs for nobody.
                stop(worker, WORKER_STOP)
                self.stderr.write(
                    f"The job worker stopped (exit code {worker.returncode}): imports and "
                    "scheduled jobs wait in their queue until `make run` starts again."
                )
                told = True
            time.sleep(POLL_SECONDS)

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()  # in order with the children's own output
