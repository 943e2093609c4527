"""Every write to the shared operating model: the draft, publishing, office adaptation,
municipal procedure variants and the resource library."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from oae.catalogue import content as content_lib
from oae.catalogue import notices
from oae.catalogue.models import (
    Category,
    DraftItem,
    ItemRevision,
    NetworkVersion,
    OfficeItem,
    ProcedureVariant,
    Proposal,
    PublishedItem,
    Resource,
    ResourceFile,
)
from oae.catalogue.schema import Kind, Problem, overridable_fields
from oae.catalogue.search import search_index_office
from oae.catalogue.selectors import latest_version, office_update_changes
from oae.catalogue.tasks import notices_queue
from oae.common.concurrency import EditConflict, save_with_version
from oae.privacy.services import audit_record

RESOURCE_MAX_BYTES = 20 * 1024 * 1024


class PublishRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(_("The draft has problems to fix before it can be published."))
        self.problems = problems


# The draft ---------------------------------------------------------------------------------


def _revision(item: DraftItem, actor) -> None:
    ItemRevision.objects.create(
        item=item,
        content=item.content,
        is_archived=item.is_archived,
        saved_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def draft_item_create(*, actor, kind: Kind, code: str, content: dict) -> DraftItem:
    if DraftItem.objects.filter(kind=kind, code=code).exists():
        raise ValidationError(
            {
                "code": _("Another %(kind)s already has the code “%(code)s”.")
                % {"kind": kind, "code": code}
            }
        )
    local = OfficeItem.objects.filter(kind=kind, code=code, adopted_version__isnull=True).first()
    if local is not None:
        # Codes are one namespace across the network, so an update can never collide.
        raise ValidationError(
            {
                "code": _("“%(code)s” is already the code of an own item of %(office)s.")
                % {"code": code, "office": local.office}
            }
        )
    item = DraftItem.objects.create(
        kind=kind,
        code=code,
        content=content,
        updated_by=actor if getattr(actor, "pk", None) else None,
    )
    _revision(item, actor)
    audit_record(
        action="catalogue.draft.create",
        actor=actor,
        target=item,
        details={"kind": kind, "code": code},
    )
    return item


@transaction.atomic
def draft_item_update(*, actor, item: DraftItem, content: dict, expected_version: int) -> DraftItem:
    """Save new content; refused with EditConflict if someone saved the item meanwhile."""
    before = DraftItem.objects.get(pk=item.pk).content
    item.content = content
    item.updated_by = actor if getattr(actor, "pk", None) else None
    save_with_version(item, expected_version=expected_version, fields=["content", "updated_by"])
    _revision(item, actor)
    audit_record(
        action="catalogue.draft.update",
        actor=actor,
        target=item,
        details={"changed": content_lib.changed_fields(before, content)},
    )
    return item


@transaction.atomic
def draft_item_set_archived(*, actor, item: DraftItem, archived: bool) -> DraftItem:
    """Archived items are left out of the next version (and can be restored)."""
    if item.is_archived != archived:
        item.is_archived = archived
        save_with_version(item, expected_version=item.lock_version, fields=["is_archived"])
        _revision(item, actor)
        audit_record(
            action="catalogue.draft." + ("archive" if archived else "restore"),
            actor=actor,
            target=item,
        )
    return item


@transaction.atomic
def draft_item_restore_revision(*, actor, item: DraftItem, revision: ItemRevision) -> DraftItem:
    """Undo: bring back an earlier saved state of the item (as a new revision)."""
    return draft_item_update(
        actor=actor, item=item, content=revision.content, expected_version=item.lock_version
    )


@transaction.atomic
def category_save(*, actor, category: Category | None, data: dict) -> Category:
    category = category or Category()
    for name, value in data.items():
        setattr(category, name, value)
    category.full_clean()
    category.save()
    audit_record(action="catalogue.category.save", actor=actor, target=category)
    return category


# Publishing ----------------------------------------------------------------------------------


def draft_problems() -> list[Problem]:
    """Everything that stops the draft from being published, item by item."""
    live = list(DraftItem.objects.filter(is_archived=False))
    known: dict[Kind, set[str]] = {kind: set() for kind in Kind}
    for item in live:
        known[Kind(item.kind)].add(item.code)
    categories = set(Category.objects.values_list("key", flat=True))
    resources = set(Resource.objects.values_list("code", flat=True))
    problems = []
    for item in live:
        problems += content_lib.validate_item(
            item.kind,
            item.code,
            item.content,
            known=known,
            categories=categories,
            resources=resources,
        )
    if not live:
        problems.append(
            Problem(
                kind=Kind.SERVICE,
                code="",
                message=_("The draft is empty: there is nothing to publish."),
            )
        )
    return problems


@transaction.atomic
def network_publish(*, actor, changelog: str) -> NetworkVersion:
    """Publish the draft as the next numbered version; refused with every problem listed."""
    if not changelog.strip():
        raise ValidationError({"changelog": _("Say in a few words what changed.")})
    problems = draft_problems()
    if problems:
        raise PublishRefused(problems)
    # One publication at a time: the row lock serialises concurrent publishers.
    list(DraftItem.objects.select_for_update().values_list("pk", flat=True))
    number = (NetworkVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    taken = list(
        Proposal.objects.filter(merged_at__isnull=False, published_in__isnull=True)
        .select_related("office")
        .order_by("merged_at")
    )
    changelog = _changelog_with_proposals(changelog.strip(), taken)
    try:
        with transaction.atomic():
            version = NetworkVersion.objects.create(
                number=number,
                changelog=changelog,
                published_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError as error:
        raise ValidationError(_("Someone else published at the same moment; try again.")) from error
    PublishedItem.objects.bulk_create(
        PublishedItem(version=version, kind=item.kind, code=item.code, content=item.content)
        for item in DraftItem.objects.filter(is_archived=False)
    )
    audit_record(
        action="catalogue.version.publish",
        actor=actor,
        target=version,
        details={
            "number": number,
            "items": version.items.count(),
            "proposals": [str(proposal.public_id) for proposal in taken],
        },
    )
    Proposal.objects.filter(pk__in=[p.pk for p in taken]).update(published_in=version)
    for proposal in taken:
        proposal.published_in = version
        notices_queue(notices.notices_create(proposal, notices.PUBLISHED))
    return version


def _changelog_with_proposals(changelog: str, taken: list[Proposal]) -> str:
    """The coordinator's words, then a line for each office's proposal the version takes up,
    in the network's language (the changelog is one text, written in it)."""
    if not taken:
        return changelog
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("Proposals of the offices taken up:")
        lines = [
            "- "
            + _("“%(title)s”, proposed by %(office)s")
            % {
                "title": content_lib.title(p.kind, p.content, settings.LANGUAGE_CODE) or p.code,
                "office": p.office.name,
            }
            for p in taken
        ]
    return "\n\n".join([changelog, heading, "\n".join(lines)])


# Office adaptation ---------------------------------------------------------------------------


def _office_audit(action, actor, office, item=None, **details):
    audit_record(
        action=f"catalogue.office.{action}",
        actor=actor,
        target=item or office,
        office=office,
        details=details,
    )


def _reindex_on_commit(office) -> None:
    transaction.on_commit(lambda: search_index_office(office_id=office.pk))


@transaction.atomic
def office_catalogue_adopt(*, actor, office, version: NetworkVersion) -> int:
    """Start an office's catalogue from a published version: every item, switched on."""
    if OfficeItem.objects.filter(office=office, adopted_version__isnull=False).exists():
        raise ValidationError(_("This office already runs a catalogue; take up updates instead."))
    OfficeItem.objects.bulk_create(
        OfficeItem(office=office, kind=p.kind, code=p.code, adopted_version=version)
        for p in version.items.all()
    )
    _office_audit("adopt", actor, office, version=version.number)
    _reindex_on_commit(office)
    return version.items.count()


@transaction.atomic
def office_item_set_enabled(*, actor, item: OfficeItem, enabled: bool) -> OfficeItem:
    if item.enabled != enabled:
        item.enabled = enabled
        save_with_version(item, expected_version=item.lock_version, fields=["enabled"])
        _office_audit(
            "enable" if enabled else "disable",
            actor,
            item.office,
            item,
            kind=item.kind,
            code=item.code,
        )
        _reindex_on_commit(item.office)
    return item


def _clean_overrides(kind: Kind, overrides: dict) -> dict:
    allowed = {field.name for field in overridable_fields(kind)}
    unknown = set(overrides) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed locally: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    return {name: value for name, value in overrides.items() if not content_lib._is_empty(value)}


@transaction.atomic
def office_item_override(
    *, actor, item: OfficeItem, overrides: dict, expected_version: int
) -> OfficeItem:
    """Replace the office's overrides of a network item (empty values mean 'use the network's')."""
    before = OfficeItem.objects.get(pk=item.pk).overrides
    item.overrides = _clean_overrides(Kind(item.kind), overrides)
    save_with_version(item, expected_version=expected_version, fields=["overrides"])
    _office_audit(
        "override",
        actor,
        item.office,
        item,
        kind=item.kind,
        code=item.code,
        changed=content_lib.changed_fields(before, item.overrides),
    )
    _reindex_on_commit(item.office)
    return item


@transaction.atomic
def office_local_item_save(
    *,
    actor,
    office,
    kind: Kind,
    code: str,
    content: dict,
    item: OfficeItem | None = None,
    expected_version: int | None = None,
) -> OfficeItem:
    """An item of the office's own (not in the network model)."""
    problems = content_lib._check_required(kind, code, content_lib.fields_of(kind), content)
    if problems:
        raise ValidationError([p.message for p in problems])
    if item is None:
        if (
            OfficeItem.objects.filter(office=office, kind=kind, code=code).exists()
            or DraftItem.objects.filter(kind=kind, code=code).exists()
        ):
            raise ValidationError(
                {"code": _("The code “%(code)s” is already in use.") % {"code": code}}
            )
        item = OfficeItem.objects.create(office=office, kind=kind, code=code, local_content=content)
        _office_audit("local_create", actor, office, item, kind=kind, code=code)
    else:
        item.local_content = content
        save_with_version(item, expected_version=expected_version, fields=["local_content"])
        _office_audit("local_update", actor, office, item, kind=kind, code=code)
    _reindex_on_commit(office)
    return item


@dataclass(frozen=True)
class TakeUpResult:
    added: int = 0
    updated: int = 0
    removed: int = 0
    overrides_dropped: int = 0


@transaction.atomic
def office_take_up(
    *, actor, office, keys: list[tuple[str, str]] | None, use_network_wording: bool = False
) -> TakeUpResult:
    """Bring items to the latest version: `keys` (kind, code) or all when None. Overrides are
    kept unless `use_network_wording`, which drops only the overrides that conflict."""
    latest = latest_version()
    if latest is None:
        raise ValidationError(_("The network has not published any version yet."))
    changes = office_update_changes(office)
    wanted = None if keys is None else set(keys)
    counts = {"added": 0, "updated": 0, "removed": 0, "overrides_dropped": 0}
    for change in changes:
        if (
            wanted is not None
            and (change.kind, change.code) not in wanted
            and change.status != "same"
        ):
            continue
        _apply_change(office, change, latest, use_network_wording, counts)
    _office_audit("take_up", actor, office, version=latest.number, **counts)
    _reindex_on_commit(office)
    return TakeUpResult(**counts)


def _apply_change(office, change, latest, use_network_wording, counts) -> None:
    item = change.office_item
    if change.status == "new":
        OfficeItem.objects.create(
            office=office, kind=change.kind, code=change.code, adopted_version=latest
        )
        counts["added"] += 1
    elif change.status == "removed":
        item.delete()
        counts["removed"] += 1
    else:
        fields = ["adopted_version"]
        item.adopted_version = latest
        if use_network_wording and change.conflicts:
            item.overrides = {k: v for k, v in item.overrides.items() if k not in change.conflicts}
            counts["overrides_dropped"] += len(change.conflicts)
            fields.append("overrides")
        save_with_version(item, expected_version=item.lock_version, fields=fields)
        if change.status == "changed":
            counts["updated"] += 1


# Municipal variants of procedures -------------------------------------------------------------

VARIANT_FIELDS = ["where", "local_fee", "local_form_url", "local_time", "notes"]


@transaction.atomic
def procedure_variant_save(
    *, actor, municipality, procedure_code: str, data: dict, expected_version: int | None
) -> ProcedureVariant:
    variant = ProcedureVariant.objects.filter(
        municipality=municipality, procedure_code=procedure_code
    ).first()
    if variant is None:
        if expected_version not in (None, 0):
            raise EditConflict()
        variant = ProcedureVariant(
            municipality=municipality, procedure_code=procedure_code, updated_by=actor, **data
        )
        variant.full_clean()
        variant.save()
    else:
        for name, value in data.items():
            setattr(variant, name, value)
        variant.updated_by = actor
        variant.full_clean()
        save_with_version(
            variant,
            expected_version=expected_version,
            fields=[*data, "updated_by"],
        )
    audit_record(
        action="catalogue.variant.save",
        actor=actor,
        target=variant,
        details={"municipality": municipality.ine_code, "procedure": procedure_code},
    )
    return variant


# Resource library -----------------------------------------------------------------------------


@transaction.atomic
def resource_file_add(*, actor, resource: Resource, upload, note: str = "") -> ResourceFile:
    """A new revision of the file; earlier ones stay downloadable."""
    if upload.size > RESOURCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": RESOURCE_MAX_BYTES // (1024 * 1024)}
        )
    number = (resource.files.aggregate(top=Max("number"))["top"] or 0) + 1
    revision = ResourceFile.objects.create(
        resource=resource,
        number=number,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        note=note,
        uploaded_by=actor,
    )
    audit_record(
        action="catalogue.resource.upload",
        actor=actor,
        target=resource,
        details={"revision": number, "name": revision.original_name},
    )
    return revision


@transaction.atomic
def resource_save(*, actor, resource: Resource | None, data: dict) -> Resource:
    creating = resource is None
    resource = resource or Resource()
    for name, value in data.items():
        setattr(resource, name, value)
    resource.full_clean()
    resource.save()
    audit_record(
        action="catalogue.resource." + ("create" if creating else "update"),
        actor=actor,
        target=resource,
    )
    return resource
