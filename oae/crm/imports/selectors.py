"""Reads of import jobs for their pages: a job is seen only by whoever uploaded it."""

from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from oae.crm.imports.jobs import import_job_can_start, job_table
from oae.crm.imports.mapping import FIELDS
from oae.crm.imports.rejects import lines_to_fix
from oae.crm.models import ImportJob
from oae.scoping import scoped_or_404

RECENT_JOBS = 20


def get_import_job_or_404(user, public_id) -> ImportJob:
    """The import `user` uploaded, with its office; the same 404 for one that is missing and
    one uploaded by someone else (that probe audited)."""
    uploaded = ImportJob.objects.select_related("office").filter(created_by=user)
    return scoped_or_404(user, uploaded, public_id)


def recent_import_jobs(user) -> QuerySet[ImportJob]:
    """The latest imports `user` uploaded, newest first, with their offices."""
    return ImportJob.objects.filter(created_by=user).select_related("office")[:RECENT_JOBS]


OUTCOMES = {
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "unchanged": gettext_lazy("unchanged"),
    "rejected": gettext_lazy("rejected"),
}
ACTIVE = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
REPORT_SHOWN = 500  # rows of a report a page lists; the download holds them all


def import_rows_to_fix(job: ImportJob) -> list[dict]:
    """The report's rejected and warned rows that still hold their cells (for the file)."""
    return lines_to_fix(job.report)


def import_job_status(job: ImportJob) -> dict:
    """What a job's page shows of it: the job, its rows to fix (rejected, then warned) and
    the changes it makes to registered records, which runs it offers (a dry run while it
    may start, the real run once a dry run is done) and whether it can be cancelled."""
    rejected = [line for line in job.report if line["outcome"] == "rejected"]
    warned = [line for line in job.report if line["outcome"] != "rejected" and line.get("warnings")]
    changed = [line for line in job.report if line.get("changes")]
    repeated = [
        line | {"outcome": OUTCOMES[line["outcome"]]}
        for line in job.report
        if line["outcome"] != "rejected" and line.get("note")
    ]
    return {
        "job": job,
        "rejected": rejected[:REPORT_SHOWN],
        "warned": warned[:REPORT_SHOWN],
        "changed": changed[:REPORT_SHOWN],
        "noted": repeated[:REPORT_SHOWN],
        "shown_limit": REPORT_SHOWN,
        "has_rows_to_fix": bool(import_rows_to_fix(job)),
        "kept_hours": settings.IMPORT_FILE_HOURS,
        "can_start": import_job_can_start(job),
        "can_import": job.status == ImportJob.Status.CHECKED,
        "can_cancel": job.status in ACTIVE and not job.cancel_requested,
        "preview": import_preview(job) if import_job_can_start(job) else None,
        "read_as": reading_shown(job),
    }


PREVIEW_ROWS = 5


def import_preview(job: ImportJob) -> dict | None:
    """The header and the first rows below it as the run will read them, each cell under
    the field its column is mapped to; None when the file can no longer be read."""
    try:
        table = job_table(job, limit=job.header_row + 200)
    except (ValidationError, OSError):
        return None
    rows = list(islice(table.numbered(after=job.header_row), PREVIEW_ROWS))
    fields = {column: field for field, column in job.mapping.items()}
    labels = FIELDS[job.kind]
    columns = [
        {"header": header, "field": labels[fields[index]] if index in fields else ""}
        for index, header in enumerate(job.headers)
    ]
    titles = [[c for c in row if c] for row in table.rows[: job.header_row - 1][:10]]
    return {"columns": columns, "rows": rows, "titles": [row for row in titles if row]}


ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf_16": "UTF-16",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "cp850": "DOS 850",
}
DELIMITERS = {
    ";": gettext_lazy("semicolons"),
    ",": gettext_lazy("commas"),
    "\t": gettext_lazy("tabs"),
    "|": gettext_lazy("vertical bars"),
}


def reading_shown(job: ImportJob) -> dict:
    """How a CSV was read, in words: its encoding's name and what separates its columns."""
    encoding, delimiter = job.reading.get("encoding"), job.reading.get("delimiter")
    if not encoding:
        return {}
    return {"encoding": ENCODINGS.get(encoding, encoding), "delimiter": DELIMITERS[delimiter]}
