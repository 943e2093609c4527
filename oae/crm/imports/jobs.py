"""An import's life as a job: the upload read and kept, which column is which, the run (or
dry run) in the background in batches, its progress and its result."""

from datetime import timedelta
from functools import partial
from itertools import islice

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.common.bulk import commit_without_flush
from oae.common.collector import fewer_collections
from oae.common.writes_behind import reads_ahead, writes_behind
from oae.crm.imports import companies, files, people
from oae.crm.imports.files import read_table
from oae.crm.imports.mapping import has_required, header_key, propose
from oae.crm.imports.mapping import header_row as find_header_row
from oae.crm.imports.mapping import saved_columns as saved_columns_of
from oae.crm.imports.rows import (
    Places,
    cnae_classes,
    import_batch_read,
    row_to_company,
    row_to_person,
)
from oae.crm.models import ImportJob, ImportMapping
from oae.privacy.services import audit_record

IMPORT_BATCH = 2000
IMPORT_FOLDER = "imports"  # where ImportJob.file keeps uploads (its `upload_to`)
# A job takes a mapping and a run until it runs for real, while it keeps its file: the sheet
# (personal data) is removed once the import ends, fails or is left (`import_files_remove`);
# after a failure the file is uploaded again (rows already imported come out as unchanged).
STARTABLE = (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED, ImportJob.Status.CANCELLED)
SAMPLE_ROWS = 50  # rows below the header whose values help tell which column is which


@transaction.atomic
def import_job_create(*, actor, office, upload, kind: str = "people") -> ImportJob:
    """Store the file for `office`, find its header row and propose which column is which
    (the office's saved mapping first); a bad file is refused (ValidationError) with a clear
    reason."""
    table = read_table(upload.name, upload.read())
    upload.seek(0)
    job = ImportJob(
        office=office,
        created_by=actor,
        kind=kind,
        original_name=upload.name[:255],
        file=upload,
        sheet=table.sheet,
        reading=table.reading | {"sheets": table.sheets},
    )
    _frame(job, table, header_row=None)
    job.save()
    audit_record(
        action="crm.import.upload",
        actor=actor,
        target=job,
        office=office,
        details={"rows": job.total_rows, "file": job.original_name, "kind": kind},
    )
    return job


def _frame(job: ImportJob, table, *, header_row: int | None) -> None:
    """Set the job's header row (the one given, or the one that maps best), its headers, the
    proposed mapping and the number of data rows below."""
    index = header_row - 1 if header_row else find_header_row(table.rows, job.kind)
    index = min(max(index, 0), len(table.rows) - 1)
    job.header_row = index + 1
    # Kept as text: a damaged file's null characters are not (PostgreSQL refuses them).
    job.headers = [header.replace("\x00", "") for header in table.rows[index][: files.MAX_COLUMNS]]
    sample = [cells for _number, cells in islice(table.numbered(after=index + 1), SAMPLE_ROWS)]
    saved = saved_columns(job.office, job.kind)
    # Said on the page: the columns come from the office's last import where headers match.
    job.reading["from_saved"] = any(header_key(header) in saved for header in job.headers)
    job.mapping = propose(
        job.headers,
        sample,
        job.kind,
        saved=saved,
        cnae_codes=set(cnae_classes()) if job.kind == ImportJob.Kind.COMPANIES else None,
    )
    job.total_rows = sum(1 for _row in table.numbered(after=index + 1))


def saved_columns(office, kind: str) -> dict[str, str]:
    """The office's last mapping of this kind of file: folded header -> field."""
    saved = ImportMapping.objects.filter(office=office, kind=kind).first()
    return saved.columns if saved else {}


def job_table(job: ImportJob, limit: int | None = None):
    """The job's sheet as the run reads it (`limit` rows at most, for a preview)."""
    with job.file.open("rb") as handle:
        return read_table(job.original_name, handle.read(), job.sheet, limit=limit)


@transaction.atomic
def import_job_reframe(*, actor, job: ImportJob, sheet: str, header_row: int) -> None:
    """Read the job's file from another sheet or header row (the user's choice), and propose
    the mapping again. Refused (ValidationError) once the job cannot start."""
    _refuse_unless_startable(job)
    if sheet not in job.reading.get("sheets", [job.sheet]):
        raise ValidationError(_("The file has no sheet called “%(sheet)s”.") % {"sheet": sheet})
    with job.file.open("rb") as handle:
        table = read_table(job.original_name, handle.read(), sheet)
    if header_row > len(table.rows):
        raise ValidationError(
            _("The sheet has %(count)s rows: choose one of them as the header.")
            % {"count": len(table.rows)}
        )
    job.sheet = sheet
    _frame(job, table, header_row=header_row)
    job.save(update_fields=["sheet", "reading", "header_row", "headers", "mapping", "total_rows"])
    audit_record(
        action="crm.import.mapping",
        actor=actor,
        target=job,
        office=job.office,
        details={"sheet": sheet, "header_row": job.header_row},
    )


def _refuse_unless_startable(job: ImportJob) -> None:
    if not import_job_can_start(job):
        raise ValidationError(
            _("This import is running or done: it cannot be run again.")
            if job.file
            else _(
                "The uploaded file has been removed, as it holds personal data. To import it, "
                "upload it again."
            )
        )


def import_job_can_start(job: ImportJob) -> bool:
    """Whether the job still takes a mapping and a run: not while it runs, once it is done or
    failed, nor once its file was removed."""
    return job.status in STARTABLE and bool(job.file)


@transaction.atomic
def import_job_set_mapping(
    *, actor, job: ImportJob, mapping: dict[str, int], overwrite: bool = False
) -> None:
    """Say which column holds each field, and whether the file's values replace registered
    ones (audited); refused (ValidationError) without the column of the name (people) or of
    the legal name (companies)."""
    if not has_required(mapping, job.kind):
        raise ValidationError(
            _("Choose at least the column with the legal name.")
            if job.kind == ImportJob.Kind.COMPANIES
            else _("Choose at least the column with the name (or the full name).")
        )
    job.mapping, job.overwrite = mapping, overwrite
    job.save(update_fields=["mapping", "overwrite"])
    # Field names and column numbers only: no cell of the file.
    audit_record(
        action="crm.import.mapping",
        actor=actor,
        target=job,
        office=job.office,
        details=mapping | {"overwrite": overwrite},
    )


@transaction.atomic
def import_job_start(
    *, actor, job: ImportJob, mapping: dict[str, int], dry_run: bool, overwrite: bool = False
) -> None:
    """Set the mapping (`import_job_set_mapping`) and queue the run, or the dry run, once
    this is committed. Refused (ValidationError) while the job runs or once it is done."""
    _refuse_unless_startable(job)
    import_job_set_mapping(actor=actor, job=job, mapping=mapping, overwrite=overwrite)
    job.cancel_requested, job.status = False, ImportJob.Status.QUEUED
    job.save(update_fields=["cancel_requested", "status"])
    # After the commit: a worker must find the mapping saved.
    transaction.on_commit(partial(run_import.delay, job.pk, dry_run=dry_run))


def import_job_cancel(*, actor, job: ImportJob) -> None:
    """Ask a running import to stop after the batch it is writing (what earlier batches
    wrote stays, and is listed); refused (ValidationError) when it is not running."""
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        raise ValidationError(_("This import is not running: there is nothing to cancel."))
    ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    audit_record(action="crm.import.cancel", actor=actor, target=job, office=job.office)


@shared_task(name="oae.crm.tasks.run_import", acks_late=True)
def run_import(job_id: int, dry_run: bool) -> None:
    """The background job (named as when it lived in crm/tasks.py, for jobs queued then).
    Re-runnable: rows already imported come out as unchanged the second time."""
    try:
        import_job_run(job_id=job_id, dry_run=dry_run)
    except Exception as error:
        # The job row records the failure; the person who started it sees it on its page.
        import_job_fail(job_id=job_id, error=error)


def import_job_run(*, job_id: int, dry_run: bool) -> None:
    """Run (or rehearse) the import. Each batch is one transaction; its rows are all checked
    before anything is written, so a bad row never takes good ones with it. A dry run writes
    nothing (a batch is decided in a transaction rolled back). While a batch is decided, the
    records the next one may match are looked up and the batches before are written, on
    connections of their own (common/writes_behind.py)."""
    with fewer_collections():  # an import makes millions of objects, and keeps many
        _import_job_run(job_id=job_id, dry_run=dry_run)


def _import_job_run(*, job_id: int, dry_run: bool) -> None:
    job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
    table = job_table(job)
    rows = list(table.numbered(after=job.header_row))
    report = []
    job.status, job.processed_rows, job.total_rows = ImportJob.Status.RUNNING, 0, len(rows)
    job.save(update_fields=["status", "processed_rows", "total_rows"])
    clean, look_up, apply = _batch_runner(job, Places())
    decided = partial(_import_decided, job=job, apply=apply, dry_run=dry_run)
    cancelled = False
    with writes_behind() as submit, reads_ahead() as read_ahead:
        waiting = None  # a batch read, whose registered records are being looked up
        for start in range(0, len(rows), IMPORT_BATCH):
            if _cancel_requested(job):
                cancelled, waiting = True, None
                break
            batch = import_batch_read(rows[start : start + IMPORT_BATCH], clean)
            looked_up = read_ahead(partial(look_up, batch))
            if waiting:  # decided while the next one is looked up
                report += decided(*waiting, submit=submit)
            waiting = (start, batch, looked_up)
        if waiting:
            report += decided(*waiting, submit=submit)
    _import_finish(job=job, dry_run=dry_run, report=report, cancelled=cancelled)


def _cancel_requested(job: ImportJob) -> bool:
    return ImportJob.objects.filter(pk=job.pk, cancel_requested=True).exists()


def report_counts(report: list[dict]) -> dict[str, int]:
    """How many rows ended each way, and how many of them carry warnings."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "warned": 0}
    for line in report:  # once written: a write may turn an update down
        counts[line["outcome"]] += 1
        counts["warned"] += bool(line.get("warnings"))
    return counts


def _import_decided(start, batch, looked_up, *, job, apply, dry_run, submit) -> list[dict]:
    """A batch's outcomes, once decided; its writes are handed to `submit`."""
    with transaction.atomic():
        lines, writes = apply(batch, looked_up.result())
        if dry_run:
            transaction.set_rollback(True)
    progress = partial(_import_progress, job, start + batch.size)
    if writes and not dry_run:
        submit(partial(_import_insert, writes), partial(_import_follow, writes, lines, progress))
    else:
        progress()
    return lines


def _import_insert(writes: people.Writes) -> None:
    # The job's end is committed as usual (`_import_finish`): it waits for every batch.
    commit_without_flush()
    writes.insert()


def _import_follow(writes: people.Writes, lines: list[dict], progress) -> None:
    writes.follow(lines)
    progress()


def _import_progress(job: ImportJob, processed: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)


def _batch_runner(job: ImportJob, places: Places):
    """How rows of the job's kind are read (`clean(cells)`: its data and warnings, no
    database), what the database holds that a batch may match is looked up
    (`look_up(batch)`, possibly on another connection) and a batch is applied
    (`apply(batch, looked_up)`: its outcomes, and what it writes)."""
    if job.kind == ImportJob.Kind.COMPANIES:
        clean = partial(
            row_to_company, mapping=job.mapping, places=places, activities=cnae_classes()
        )
        return clean, _nothing, partial(companies.import_company_batch, job=job)
    clean = partial(row_to_person, mapping=job.mapping, places=places)
    return (
        clean,
        partial(people.registered_for, job=job, names_read={}),
        partial(people.import_batch, job=job, known=people.known_people()),
    )


def _nothing(_batch) -> None:
    """Companies are looked up as their batch is decided (imports/companies.py)."""
    return None


def _import_finish(*, job: ImportJob, dry_run: bool, report: list, cancelled: bool) -> None:
    job.refresh_from_db(fields=["processed_rows"])
    job.counts, job.report = report_counts(report), report
    job.finished_at = timezone.now()
    if cancelled and dry_run:
        # A dry run stopped half-way tells nothing: the job is as it was before.
        job.status, job.counts, job.report = ImportJob.Status.UPLOADED, {}, []
    elif cancelled:
        # What earlier batches wrote stays; the file too, for a run to finish the rest.
        job.status = ImportJob.Status.CANCELLED
    else:
        job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    job.save(update_fields=["counts", "report", "status", "finished_at"])
    if dry_run:
        return
    if not cancelled:
        # The uploaded sheet holds personal data: once imported, it is not kept.
        import_job_file_delete(job)
        mapping_save(job)
    audit_record(
        action="crm.import.cancelled" if cancelled else "crm.import.run",
        actor=job.created_by,
        target=job,
        office=job.office,
        details=job.counts,
    )


def mapping_save(job: ImportJob) -> None:
    """Keep the columns of an import run for real as the office's mapping of that kind of
    file (headers and fields only), so that its next file is mapped the same way."""
    ImportMapping.objects.update_or_create(
        office=job.office,
        kind=job.kind,
        defaults={"columns": saved_columns_of(job.headers, job.mapping)},
    )


def import_job_fail(*, job_id: int, error: Exception) -> None:
    """Mark the job failed, with the error for whoever started it, and remove its file."""
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED,
        error=f"{type(error).__name__}: {error}"[:1000],
        finished_at=timezone.now(),
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        import_job_file_delete(job)


def import_job_file_delete(job: ImportJob) -> None:
    """Remove the job's uploaded sheet from storage and forget its name (only that field is
    written: a running job's progress is left alone)."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _stored_import_files(storage, folder: str = IMPORT_FOLDER):
    """The names of every file under the imports folder of `storage`."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_import_files(storage, f"{folder}/{sub}")


def import_files_remove() -> dict[str, int]:
    """Remove the cells reports keep of old imports' rows (`_report_cells_remove`), and the
    sheets nobody will import: those of jobs left untouched (not run, or not
    run for real after their dry run) for `IMPORT_FILE_HOURS`, and files in the imports folder
    that no job names (a job deleted with its office, a crash between the file and its row)
    once they are as old. A running job keeps its file: its end removes it (a run a dead
    worker left is delivered again). Safe to run at any time; returns the counts."""
    cutoff = timezone.now() - timedelta(hours=settings.IMPORT_FILE_HOURS)
    left = (
        ImportJob.objects.exclude(file="")
        .exclude(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING])
        .annotate(touched=Coalesce("finished_at", "created_at"))
        .filter(touched__lt=cutoff)
    )
    abandoned = 0
    for job in left.iterator():
        import_job_file_delete(job)
        abandoned += 1
    cells = _report_cells_remove(cutoff)
    storage = ImportJob._meta.get_field("file").storage
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    orphans = 0
    for name in list(_stored_import_files(storage)):
        if name not in named and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            orphans += 1
    return {"abandoned": abandoned, "orphans": orphans, "reports": cells}


def _report_cells_remove(cutoff) -> int:
    """The cells a report keeps of its rows to fix (personal data, for the download) go
    once the import ended `IMPORT_FILE_HOURS` ago, as its file did; the reasons stay."""
    count = 0
    for job in ImportJob.objects.filter(finished_at__lt=cutoff, report__icontains='"cells"'):
        job.report = [{k: v for k, v in line.items() if k != "cells"} for line in job.report]
        job.save(update_fields=["report"])
        count += 1
    return count
