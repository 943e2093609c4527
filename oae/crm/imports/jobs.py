"""An import's life as a job: the upload read and kept, which column is which, the run (or
dry run) in the background in batches, its progress and its result."""

from datetime import timedelta
from functools import partial

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
from oae.crm.imports import companies, people
from oae.crm.imports.files import guess_mapping, read_rows
from oae.crm.imports.rows import (
    cnae_classes,
    import_batch_read,
    municipality_lookup,
    row_to_company,
    row_to_person,
)
from oae.crm.models import ImportJob
from oae.privacy.services import audit_record

IMPORT_BATCH = 2000
IMPORT_FOLDER = "imports"  # where ImportJob.file keeps uploads (its `upload_to`)
# A job takes a mapping and a run until it runs for real, while it keeps its file: the sheet
# (personal data) is removed once the import ends, fails or is left (`import_files_remove`);
# after a failure the file is uploaded again (rows already imported come out as unchanged).
STARTABLE = (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED)


@transaction.atomic
def import_job_create(*, actor, office, upload, kind: str = "people") -> ImportJob:
    """Store the file for `office` and read its header, guessing which column is which; a bad
    file is refused (ValidationError) with a clear reason."""
    rows = read_rows(upload.name, upload.read())
    upload.seek(0)
    job = ImportJob.objects.create(
        office=office,
        created_by=actor,
        kind=kind,
        original_name=upload.name[:255],
        file=upload,
        headers=rows[0][:60],
        mapping=guess_mapping(rows[0], kind),
        total_rows=len(rows) - 1,
    )
    audit_record(
        action="crm.import.upload",
        actor=actor,
        target=job,
        office=office,
        details={"rows": job.total_rows, "file": job.original_name, "kind": kind},
    )
    return job


def import_job_can_start(job: ImportJob) -> bool:
    """Whether the job still takes a mapping and a run: not while it runs, once it is done or
    failed, nor once its file was removed."""
    return job.status in STARTABLE and bool(job.file)


@transaction.atomic
def import_job_set_mapping(*, actor, job: ImportJob, mapping: dict[str, int]) -> None:
    """Say which column holds each field (audited); refused (ValidationError) without the
    column of the name (people) or of the legal name (companies)."""
    required = "legal_name" if job.kind == ImportJob.Kind.COMPANIES else "first_name"
    if required not in mapping:
        raise ValidationError(
            _("Choose at least the column with the legal name.")
            if job.kind == ImportJob.Kind.COMPANIES
            else _("Choose at least the column with the name.")
        )
    job.mapping = mapping
    job.save(update_fields=["mapping"])
    # Field names and column numbers only: no cell of the file.
    audit_record(
        action="crm.import.mapping", actor=actor, target=job, office=job.office, details=mapping
    )


@transaction.atomic
def import_job_start(*, actor, job: ImportJob, mapping: dict[str, int], dry_run: bool) -> None:
    """Set the mapping (`import_job_set_mapping`) and queue the run, or the dry run, once
    this is committed. Refused (ValidationError) while the job runs or once it is done."""
    if not import_job_can_start(job):
        raise ValidationError(
            _("This import is running or done: it cannot be run again.")
            if job.file
            else _(
                "The uploaded file has been removed, as it holds personal data. To import it, "
                "upload it again."
            )
        )
    import_job_set_mapping(actor=actor, job=job, mapping=mapping)
    # After the commit: a worker must find the mapping saved.
    transaction.on_commit(partial(run_import.delay, job.pk, dry_run=dry_run))


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
    with job.file.open("rb") as handle:
        rows = read_rows(job.original_name, handle.read())[1:]
    report = []
    job.status, job.processed_rows = ImportJob.Status.RUNNING, 0
    job.save(update_fields=["status", "processed_rows"])
    clean, look_up, apply = _batch_runner(job, municipality_lookup())
    decided = partial(_import_decided, job=job, apply=apply, dry_run=dry_run)
    with writes_behind() as submit, reads_ahead() as read_ahead:
        waiting = None  # a batch read, whose registered records are being looked up
        for start in range(0, len(rows), IMPORT_BATCH):
            batch = import_batch_read(rows[start : start + IMPORT_BATCH], clean)
            looked_up = read_ahead(partial(look_up, batch))
            if waiting:  # decided while the next one is looked up
                report += decided(*waiting, submit=submit)
            waiting = (start, batch, looked_up)
        if waiting:
            report += decided(*waiting, submit=submit)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    for line in report:  # once written: a write may turn an update down
        counts[line["outcome"]] += 1
    _import_finish(job=job, dry_run=dry_run, counts=counts, report=report)


def _import_decided(start, batch, looked_up, *, job, apply, dry_run, submit) -> list[dict]:
    """A batch's outcomes, once decided; its writes are handed to `submit`."""
    with transaction.atomic():
        lines, writes = apply(batch, looked_up.result(), first_line=start + 2)
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


def _batch_runner(job: ImportJob, towns: dict):
    """How rows of the job's kind are read (`clean(row)`: its data, no database), what the
    database holds that a batch may match is looked up (`look_up(batch)`, possibly on another
    connection) and a batch is applied (`apply(batch, looked_up, first_line)`: its
    outcomes, and what it writes)."""
    if job.kind == ImportJob.Kind.COMPANIES:
        clean = partial(row_to_company, mapping=job.mapping, towns=towns, activities=cnae_classes())
        return clean, _nothing, partial(companies.import_company_batch, job=job)
    clean = partial(row_to_person, mapping=job.mapping, towns=towns)
    return (
        clean,
        partial(people.registered_for, job=job, names_read={}),
        partial(people.import_batch, job=job, known=people.known_people()),
    )


def _nothing(_batch) -> None:
    """Companies are looked up as their batch is decided (imports/companies.py)."""
    return None


def _import_finish(*, job: ImportJob, dry_run: bool, counts: dict, report: list) -> None:
    job.refresh_from_db(fields=["processed_rows"])
    job.counts, job.report = counts, report
    job.status = ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["counts", "report", "status", "finished_at"])
    if not dry_run:
        # The uploaded sheet holds personal data: once imported, it is not kept.
        import_job_file_delete(job)
        audit_record(
            action="crm.import.run",
            actor=job.created_by,
            target=job,
            office=job.office,
            details=counts,
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
    """Remove the sheets nobody will import: those of jobs left untouched (not run, or not
    run for real after their dry run) for `IMPORT_FILE_HOURS`, and files in the imports folder
    that no job names (a job deleted with its office, a crash between the file and its row)
    once they are as old. A running job keeps its file: its end removes it (a run a dead
    worker left is delivered again). Safe to run at any time; returns the counts."""
    cutoff = timezone.now() - timedelta(hours=settings.IMPORT_FILE_HOURS)
    left = (
        ImportJob.objects.exclude(file="")
        .exclude(status=ImportJob.Status.RUNNING)
        .annotate(touched=Coalesce("finished_at", "created_at"))
        .filter(touched__lt=cutoff)
    )
    abandoned = 0
    for job in left.iterator():
        import_job_file_delete(job)
        abandoned += 1
    storage = ImportJob._meta.get_field("file").storage
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    orphans = 0
    for name in list(_stored_import_files(storage)):
        if name not in named and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            orphans += 1
    return {"abandoned": abandoned, "orphans": orphans}
