"""The embedded default runs jobs on a real worker: its settings queue them in an SQLite broker
in var/, `serve` starts the worker that takes them, and stops it with the server. Each check
runs real processes in a temporary var/ (about 30 s in all: a migrate, two worker starts)."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
WAIT_SECONDS = 60
# Variables of the test process that would change what a child computes.
INHERITED_OUT = ("DJANGO_", "CELERY_", "REDIS_URL", "DATABASE_URL", "VAR_DIR")


def _environment(var_dir: Path, **changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_OUT)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'oae.sqlite3'}",
    }
    return env | changes


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


SHOW_SETTINGS = """
import json
from django.conf import settings
from django.db import connection
options = settings.DATABASES["default"]["OPTIONS"]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "schedule": settings.CELERY_BEAT_SCHEDULE_FILENAME,
    "transaction_mode": options["transaction_mode"],
    "timeout": options["timeout"],
    "journal": journal,
}))
"""


def _settings(env: dict[str, str]) -> dict:
    return json.loads(_run(["-c", SHOW_SETTINGS], env))


def test_without_redis_jobs_go_to_an_sqlite_broker_in_var_and_never_run_in_the_request(
    tmp_path,
):
    shown = _settings(_environment(tmp_path))

    assert shown["broker"] == f"sqla+sqlite:///{tmp_path / 'jobs.sqlite3'}"
    assert shown["eager"] is False
    assert shown["schedule"] == str(tmp_path / "celerybeat-schedule")
    # The app's SQLite file is shared by the server and the worker.
    assert shown["journal"] == "wal"
    assert shown["transaction_mode"] == "IMMEDIATE" and shown["timeout"] >= 5


def test_with_redis_jobs_go_to_redis(tmp_path):
    shown = _settings(_environment(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15"))

    assert shown["broker"] == "redis://127.0.0.1:6379/15"
    assert shown["eager"] is False


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A var/ with a migrated SQLite database (about 8 s), shared by the checks that run jobs."""
    var_dir = tmp_path_factory.mktemp("var")
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], _environment(var_dir))
    return var_dir


def _serve(var_dir: Path, server: str) -> tuple[subprocess.Popen, Path]:
    """`manage.py serve` with a stand-in server; its output (and its children's) in a file."""
    log = var_dir / f"serve-{time.monotonic_ns()}.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [PYTHON, "manage.py", "serve", "--server", server],
            cwd=ROOT,
            env=_environment(var_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return process, log


def _started_pids(log: Path) -> dict[str, int]:
    """The pids `serve` reports for its worker and its server, once it has started both."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text()
        worker = re.search(r"scheduler started \(pid (\d+)\)", text)
        server = re.search(r"Server started \(pid (\d+)\)", text)
        if worker and server:
            return {"worker": int(worker[1]), "server": int(server[1])}
        time.sleep(0.2)
    raise AssertionError(log.read_text())


def _running(group: int) -> list[int]:
    """Processes of `group` still running (a zombie has ended; only its parent's wait is due)."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            running.append(int(stat.parent.name))
    return running


def _clean_up(process: subprocess.Popen, pids: dict[str, int]) -> None:
    """Never leave a test's process behind, whatever the test found."""
    for pid in pids.values():
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if process.poll() is None:
        process.kill()
    process.wait()


def _old_orphan_file(var_dir: Path) -> Path:
    """An uploaded sheet that no import names, older than IMPORT_FILE_HOURS: a job removes it."""
    orphan = var_dir / "media" / "imports" / "left-behind.csv"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_text("nom\nMarta\n")
    three_days_ago = time.time() - 3 * 24 * 60 * 60
    os.utime(orphan, (three_days_ago, three_days_ago))
    return orphan


QUEUE_JOB = """
import django
django.setup()
from oae.crm.tasks import remove_import_files
remove_import_files.delay()
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_serve_runs_a_queued_job_on_its_worker_and_stops_everything_on_sigterm(migrated):
    orphan = _old_orphan_file(migrated)
    process, log = _serve(migrated, "shell -c 'import time; time.sleep(120)'")
    pids = {}
    try:
        pids = _started_pids(log)
        # Queued by another process, as the server queues an import: only the worker runs it.
        _run(["-c", QUEUE_JOB], _environment(migrated))
        deadline = time.monotonic() + WAIT_SECONDS
        while orphan.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not orphan.exists(), log.read_text()

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=WAIT_SECONDS)
        left = _running(pids["worker"]) + _running(pids["server"])
    finally:
        _clean_up(process, pids)

    assert process.returncode == 0, log.read_text()
    assert left == [], log.read_text()
    # The worker's log says it ran the job: the queueing process did not run it itself.
    assert re.search(r"Task oae\.crm\.tasks\.remove_import_files\[.+\] succeeded", log.read_text())
    assert "Server and job worker stopped." in log.read_text()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_serve_stops_its_worker_when_the_server_ends(tmp_path):
    process, log = _serve(tmp_path, "shell -c 'import time; time.sleep(3)'")
    pids = {}
    try:
        pids = _started_pids(log)
        started = _running(pids["worker"])
        process.wait(timeout=WAIT_SECONDS)
        left = _running(pids["worker"])
    finally:
        _clean_up(process, pids)

    assert started, log.read_text()
    assert process.returncode == 0, log.read_text()
    assert left == [], log.read_text()
