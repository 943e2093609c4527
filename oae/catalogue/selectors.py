"""Reads of the operating model: versions, differences, each office's effective catalogue."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from oae.catalogue import content as content_lib
from oae.catalogue.models import (
    Category,
    DraftItem,
    ItemRevision,
    NetworkVersion,
    OfficeItem,
    ProcedureVariant,
    Resource,
    ResourceFile,
)
from oae.catalogue.schema import KIND_LABELS, Kind, fields_of
from oae.network.models import Office, OfficeStatus


def latest_version() -> NetworkVersion | None:
    return NetworkVersion.objects.order_by("-number").first()


def published_contents(version: NetworkVersion | None) -> dict[tuple[str, str], dict]:
    if version is None:
        return {}
    return {(p.kind, p.code): p.content for p in version.items.all()}


# Differences between versions ------------------------------------------------------------------


def _labels(kind: str, names: list[str]) -> list[str]:
    """Field names as the schema labels them, in the reader's language."""
    labels = {field.name: str(field.label) for field in fields_of(Kind(kind))}
    return [labels.get(name, name) for name in names]


class _Labelled:
    """Readable kind and field names for a difference row."""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[Kind(self.kind)])

    @property
    def field_labels(self) -> list[str]:
        return _labels(self.kind, self.fields)

    @property
    def conflict_labels(self) -> list[str]:
        return _labels(self.kind, getattr(self, "conflicts", []))


@dataclass(frozen=True)
class ItemDiff(_Labelled):
    kind: str
    code: str
    status: str  # new, changed, removed
    fields: list[str]
    title: str
    # The item before and after, to set each changed field's old and new text side by side.
    old_content: dict = field(default_factory=dict, compare=False)
    new_content: dict = field(default_factory=dict, compare=False)


def contents_diff(old: dict, new: dict) -> list[ItemDiff]:
    diffs = []
    for key in sorted(set(old) | set(new)):
        kind, code = key
        if key not in old:
            diffs.append(ItemDiff(kind, code, "new", [], content_lib.title(kind, new[key])))
        elif key not in new:
            diffs.append(ItemDiff(kind, code, "removed", [], content_lib.title(kind, old[key])))
        elif old[key] != new[key]:
            diffs.append(
                ItemDiff(
                    kind,
                    code,
                    "changed",
                    content_lib.changed_fields(old[key], new[key]),
                    content_lib.title(kind, new[key]),
                    old[key],
                    new[key],
                )
            )
    return diffs


def version_diff(old: NetworkVersion | None, new: NetworkVersion) -> list[ItemDiff]:
    return contents_diff(published_contents(old), published_contents(new))


def draft_diff() -> list[ItemDiff]:
    """What the draft changes compared with the latest published version."""
    draft = {(i.kind, i.code): i.content for i in DraftItem.objects.filter(is_archived=False)}
    return contents_diff(published_contents(latest_version()), draft)


def draft_items(*, kind: str = "", search: str = "") -> QuerySet[DraftItem]:
    items = DraftItem.objects.select_related("updated_by").order_by("kind", "code")
    if kind:
        items = items.filter(kind=kind)
    if search:
        items = items.filter(Q(code__icontains=search) | Q(content__icontains=search))
    return items


def get_draft_item_or_404(kind: str, code: str) -> DraftItem:
    return get_object_or_404(DraftItem, kind=kind, code=code)


def draft_item_revisions(item: DraftItem, *, limit: int = 50) -> list[ItemRevision]:
    """The item's latest saved states, newest first, with who saved each."""
    return list(item.revisions.select_related("saved_by")[:limit])


def get_revision_or_404(item: DraftItem, revision_id: int) -> ItemRevision:
    """One saved state of the item; 404 for another item's or a missing one."""
    return get_object_or_404(ItemRevision, item=item, pk=revision_id)


def draft_titles(language: str) -> dict[tuple[str, str], str]:
    """Every draft item's title in `language`, by (kind, code): what a preview links to."""
    return {
        (item.kind, item.code): content_lib.title(item.kind, item.content, language)
        for item in DraftItem.objects.all()
    }


def draft_reference_choices(kind: str) -> list[tuple[str, str]]:
    """Each live draft item of a kind as a choice "title (code)", by code."""
    items = DraftItem.objects.filter(kind=kind, is_archived=False).order_by("code")
    return [(i.code, f"{content_lib.title(kind, i.content) or i.code} ({i.code})") for i in items]


# Published versions ----------------------------------------------------------------------------


def network_versions() -> QuerySet[NetworkVersion]:
    """Every published version, newest first, with who published it."""
    return NetworkVersion.objects.select_related("published_by").order_by("-number")


def get_version_or_404(number: int) -> NetworkVersion:
    return get_object_or_404(NetworkVersion, number=number)


def version_before(version: NetworkVersion) -> NetworkVersion | None:
    """The version published just before `version`; None for the first."""
    return NetworkVersion.objects.filter(number__lt=version.number).order_by("-number").first()


def version_items_with_titles(version: NetworkVersion) -> list[tuple]:
    """The version's items, each with its title in the reader's language."""
    return [(item, content_lib.title(item.kind, item.content)) for item in version.items.all()]


# An office's catalogue ----------------------------------------------------------------------


@dataclass
class EffectiveItem:
    kind: str
    code: str
    content: dict
    enabled: bool
    is_local: bool
    overridden: list[str]
    adopted_version: int | None
    office_item: OfficeItem

    @property
    def title(self) -> str:
        return content_lib.title(self.kind, self.content)


def office_items(office: Office) -> list[OfficeItem]:
    return list(OfficeItem.objects.filter(office=office).select_related("adopted_version"))


def effective_items(
    office: Office, *, kind: str = "", enabled_only: bool = False
) -> list[EffectiveItem]:
    """The office's catalogue as its clients see it: adopted content + overrides + local."""
    items = office_items(office)
    contents = contents_of_versions({i.adopted_version_id for i in items if i.adopted_version_id})
    result = []
    for item in items:
        if (kind and item.kind != kind) or (enabled_only and not item.enabled):
            continue
        if item.is_local:
            content = item.local_content
        else:
            base = contents.get(item.adopted_version_id, {}).get((item.kind, item.code), {})
            content = content_lib.merge_overrides(item.kind, base, item.overrides)
        result.append(
            EffectiveItem(
                kind=item.kind,
                code=item.code,
                content=content,
                enabled=item.enabled,
                is_local=item.is_local,
                overridden=sorted(item.overrides),
                adopted_version=item.adopted_version.number if item.adopted_version else None,
                office_item=item,
            )
        )
    result.sort(key=lambda e: (e.kind, e.title.lower()))
    return result


def effective_item(office: Office, kind: str, code: str) -> EffectiveItem | None:
    return next((e for e in effective_items(office, kind=kind) if e.code == code), None)


@dataclass
class ItemChange(_Labelled):
    kind: str
    code: str
    status: str  # new, changed, removed, same (older version, identical content)
    fields: list[str]
    conflicts: list[str]  # overridden fields that the network also changed
    title: str
    office_item: OfficeItem | None
    new_content: dict = field(default_factory=dict)
    old_content: dict = field(default_factory=dict)  # the adopted version's, to compare


def contents_of_versions(version_ids) -> dict[int, dict[tuple[str, str], dict]]:
    """Published contents of several versions, loaded in two queries."""
    contents: dict[int, dict[tuple[str, str], dict]] = {}
    for version in NetworkVersion.objects.filter(pk__in=set(version_ids)).prefetch_related("items"):
        contents[version.pk] = {(p.kind, p.code): p.content for p in version.items.all()}
    return contents


def _changes(items: list[OfficeItem], latest: NetworkVersion, contents) -> list[ItemChange]:
    """What taking up `latest` would change, given the office's items and loaded contents."""
    latest_items = contents.get(latest.pk, {})
    changes, seen = [], set()
    for item in items:
        if item.is_local:
            continue
        key = (item.kind, item.code)
        seen.add(key)
        if item.adopted_version_id == latest.pk:
            continue
        old = contents.get(item.adopted_version_id, {}).get(key, {})
        if key not in latest_items:
            title = content_lib.title(item.kind, old)
            changes.append(ItemChange(item.kind, item.code, "removed", [], [], title, item))
            continue
        new = latest_items[key]
        fields = content_lib.changed_fields(old, new)
        conflicts = sorted(set(fields) & set(item.overrides))
        status = "changed" if fields else "same"
        title = content_lib.title(item.kind, new)
        changes.append(
            ItemChange(item.kind, item.code, status, fields, conflicts, title, item, new, old)
        )
    for key, new in latest_items.items():
        if key not in seen:
            title = content_lib.title(key[0], new)
            changes.append(ItemChange(key[0], key[1], "new", [], [], title, None, new))
    order = {"new": 0, "changed": 1, "removed": 2, "same": 3}
    changes.sort(key=lambda c: (order[c.status], c.kind, c.code))
    return changes


def office_update_changes(office: Office) -> list[ItemChange]:
    """What taking up the latest version would change for this office, item by item."""
    latest = latest_version()
    if latest is None:
        return []
    items = office_items(office)
    contents = contents_of_versions({i.adopted_version_id for i in items} | {latest.pk})
    return _changes(items, latest, contents)


@dataclass(frozen=True)
class CatalogueStatus:
    version: int | None  # the version every network item is at, or the oldest one
    mixed: bool  # items at different versions (an update taken up item by item)
    latest: int | None
    pending_changes: int
    overrides: int
    disabled: int
    local: int

    @property
    def behind(self) -> bool:
        return self.pending_changes > 0

    @property
    def divergence(self) -> int:
        return self.overrides + self.disabled + self.local


def _status(items: list[OfficeItem], latest: NetworkVersion | None, contents) -> CatalogueStatus:
    numbers = {i.adopted_version.number for i in items if i.adopted_version}
    pending = (
        [c for c in _changes(items, latest, contents) if c.status != "same"]
        if items and latest
        else []
    )
    return CatalogueStatus(
        version=min(numbers) if numbers else None,
        mixed=len(numbers) > 1,
        latest=latest.number if latest else None,
        pending_changes=len(pending),
        overrides=sum(len(i.overrides) for i in items if not i.is_local),
        disabled=sum(1 for i in items if not i.enabled),
        local=sum(1 for i in items if i.is_local),
    )


def office_catalogue_status(office: Office) -> CatalogueStatus:
    latest = latest_version()
    items = office_items(office)
    versions = {i.adopted_version_id for i in items} | ({latest.pk} if latest else set())
    return _status(items, latest, contents_of_versions(versions))


def adoption_overview(offices: QuerySet[Office]) -> list[tuple[Office, CatalogueStatus]]:
    """For a coordinator: which version each office runs and how far it has diverged.
    A fixed number of queries whatever the number of offices."""
    offices = list(offices.select_related("municipality").order_by("name"))
    latest = latest_version()
    by_office: dict[int, list[OfficeItem]] = {office.pk: [] for office in offices}
    items = list(OfficeItem.objects.filter(office__in=offices).select_related("adopted_version"))
    for item in items:
        by_office[item.office_id].append(item)
    versions = {i.adopted_version_id for i in items} | ({latest.pk} if latest else set())
    contents = contents_of_versions(versions)
    return [(office, _status(by_office[office.pk], latest, contents)) for office in offices]


# Procedures for a municipality ------------------------------------------------------------------


def procedure_variants(municipality) -> dict[str, ProcedureVariant]:
    return {v.procedure_code: v for v in ProcedureVariant.objects.filter(municipality=municipality)}


@dataclass
class LocalProcedure:
    code: str
    content: dict
    variant: ProcedureVariant | None

    @property
    def title(self) -> str:
        return content_lib.title(Kind.PROCEDURE, self.content)


def municipality_procedures(municipality) -> list[LocalProcedure]:
    """Procedures as a citizen of the town sees them: from the catalogue of the town's open
    office when it has one (with its wording), else the latest network version; with the
    town's variant."""
    office = (
        Office.objects.filter(
            municipality=municipality, status=OfficeStatus.OPEN, catalogue_items__isnull=False
        )
        .distinct()
        .order_by("pk")
        .first()
    )
    if office is not None:
        contents = {
            e.code: e.content
            for e in effective_items(office, kind=Kind.PROCEDURE, enabled_only=True)
        }
    else:
        contents = {
            code: c
            for (kind, code), c in published_contents(latest_version()).items()
            if kind == Kind.PROCEDURE
        }
    variants = procedure_variants(municipality)
    procedures = [LocalProcedure(code, c, variants.get(code)) for code, c in contents.items()]
    return sorted(procedures, key=lambda p: p.title.lower())


# Categories and the resource library --------------------------------------------------------


def categories() -> QuerySet[Category]:
    """The service categories, in their order."""
    return Category.objects.all()


def get_category_or_404(key: str) -> Category:
    return get_object_or_404(Category, key=key)


def resources(*, search: str = "") -> QuerySet[Resource]:
    """The library's resources by title, with their files; `search` looks in the title, the
    tags and the code."""
    items = Resource.objects.prefetch_related("files")
    if search:
        items = items.filter(
            Q(title__icontains=search) | Q(tags__icontains=search) | Q(code__icontains=search)
        )
    return items.order_by("title")


def resource_choices() -> list[tuple[str, str]]:
    """Each resource as a choice (code, title), by code."""
    return list(Resource.objects.order_by("code").values_list("code", "title"))


def get_resource_or_404(code: str) -> Resource:
    return get_object_or_404(Resource, code=code)


def resource_files(resource: Resource) -> QuerySet[ResourceFile]:
    """The resource's uploads, newest first, with who uploaded each."""
    return resource.files.select_related("uploaded_by")


def get_resource_file_or_404(code: str, number: int) -> ResourceFile:
    """One upload of a resource, by the resource's code and the upload's number."""
    return get_object_or_404(ResourceFile, resource__code=code, number=number)


# An office's own rows ------------------------------------------------------------------------


def get_office_item_or_404(office: Office, kind: str, code: str) -> OfficeItem:
    """An item of the office's catalogue (the network's or its own); 404 for another office's."""
    return get_object_or_404(OfficeItem, office=office, kind=kind, code=code)


def get_local_item_or_404(office: Office, kind: str, code: str) -> OfficeItem:
    """An item of the office's own (not from the network); 404 otherwise."""
    return get_object_or_404(
        OfficeItem, office=office, kind=kind, code=code, adopted_version__isnull=True
    )
