"""Reads of network data for views, already scoped through oae.scoping."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from oae.network.models import Membership, Municipality, Office, OfficeStatus, OpeningPeriod
from oae.scoping import Action, require, scope_to_offices, scoped_or_404

OFFICE_SORTS = {
    "name": ["name"],
    "municipality": ["municipality__name", "name"],
    "status": ["status", "name"],
    "staff": ["staff_count", "name"],
}


def _ordering(sort: str) -> list[str]:
    descending = sort.startswith("-")
    fields = OFFICE_SORTS[sort.lstrip("-")]
    return [("-" + f if descending else f) for f in fields]


@dataclass(frozen=True)
class OfficeFilters:
    status: str = ""
    municipality: str = ""  # INE code
    search: str = ""
    sort: str = "municipality"  # a key of OFFICE_SORTS, "-" in front for descending

    @classmethod
    def from_query(cls, query) -> "OfficeFilters":
        """Read filters from a query string; unknown values are ignored, never an error."""
        status = query.get("status", "")
        return cls(
            status=status if status in OfficeStatus.values else "",
            municipality=query.get("municipality", "").strip()[:5],
            search=query.get("search", "").strip()[:100],
            sort=sort
            if (sort := query.get("sort", "")).lstrip("-") in OFFICE_SORTS
            else "municipality",
        )


@dataclass(frozen=True)
class NetworkOverview:
    offices: QuerySet[Office]
    status_counts: list[tuple[str, str, int]]  # (value, label, count)
    municipality_counts: list[tuple[Municipality, int]]
    total: int


def _filtered_offices(queryset: QuerySet[Office], filters: OfficeFilters) -> QuerySet[Office]:
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.municipality:
        queryset = queryset.filter(municipality__ine_code=filters.municipality)
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(municipality__name__icontains=term)
            | Q(address__icontains=term)
        )
    return queryset


def network_overview(*, user, filters: OfficeFilters) -> NetworkOverview:
    """Offices the user may see, filtered, with counts by status and by municipality.
    Counts describe the user's whole scope so filters can be read against them."""
    scoped = offices_for(user, Action.VIEW_OFFICE)
    by_status = dict(scoped.values_list("status").annotate(n=Count("id")).order_by())
    status_counts = [
        (value, label, by_status.get(value, 0)) for value, label in OfficeStatus.choices
    ]
    per_municipality = dict(scoped.values_list("municipality").annotate(n=Count("id")).order_by())
    municipalities = Municipality.objects.filter(pk__in=per_municipality).order_by("name")
    offices = (
        _filtered_offices(scoped, filters)
        .select_related("municipality")
        .annotate(staff_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by(*_ordering(filters.sort))
    )
    return NetworkOverview(
        offices=offices,
        status_counts=status_counts,
        municipality_counts=[(m, per_municipality[m.pk]) for m in municipalities],
        total=sum(by_status.values()),
    )


def office_with_details(office: Office) -> Office:
    """The office with its hours and its staff (active first) loaded in two queries."""
    return (
        Office.objects.filter(pk=office.pk)
        .select_related("municipality")
        .prefetch_related(
            "opening_periods",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "-is_active", "user__last_name", "user__first_name", "user__email"
                ),
            ),
        )
        .get()
    )


def membership_in_office_or_404(*, office: Office, public_id) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "office"), office=office, public_id=public_id
    )


def municipalities_with_office_counts(*, search: str = "") -> QuerySet[Municipality]:
    queryset = Municipality.objects.annotate(office_count=Count("offices")).order_by("name")
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(ine_code__startswith=search)
            | Q(comarca__icontains=search)
        )
    return queryset


def public_open_offices(*, municipality: str = "") -> QuerySet[Office]:
    """Open offices for the public home page (public data: no scoping needed)."""
    queryset = Office.objects.filter(status=OfficeStatus.OPEN).select_related("municipality")
    if municipality:
        queryset = queryset.filter(municipality__ine_code=municipality)
    return queryset.prefetch_related(
        Prefetch("opening_periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens"))
    ).order_by("municipality__name", "name")


def municipalities_with_open_offices() -> QuerySet[Municipality]:
    return (
        Municipality.objects.filter(offices__status=OfficeStatus.OPEN).distinct().order_by("name")
    )


def memberships_awaiting_invitation() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True, invitation_sent_at__isnull=True).order_by("pk")


@dataclass(frozen=True)
class SortLink:
    value: str  # what the column's link sorts by next
    aria: str  # aria-sort of the column now: ascending, descending or none


def office_sort_links(current: str) -> dict[str, SortLink]:
    """For each sortable column: the next sort on click (toggles direction) and its state."""
    links = {}
    for key in OFFICE_SORTS:
        if current == key:
            links[key] = SortLink(value="-" + key, aria="ascending")
        elif current == "-" + key:
            links[key] = SortLink(value=key, aria="descending")
        else:
            links[key] = SortLink(value=key, aria="none")
    return links


def offices_for(user, action: Action = Action.VIEW_OFFICE) -> QuerySet[Office]:
    """The offices where the user may do `action`."""
    return scope_to_offices(Office.objects.all(), user, action, office_field="pk")


def get_office_or_404(user, public_id, action: Action = Action.VIEW_OFFICE) -> Office:
    """The office if the user may see it. The same 404 for missing and not-yours offices (the
    probe audited); when the user may see it but not do `action`, PermissionDenied (403)."""
    visible = offices_for(user, Action.VIEW_OFFICE).select_related("municipality")
    office = scoped_or_404(user, visible, public_id)
    require(user, action, office)
    return office


def open_offices_by_name() -> QuerySet[Office]:
    """The open offices, by name: the offices a citizen may send a result to or ask for the
    services of (public data: no scoping needed)."""
    return Office.objects.filter(status=OfficeStatus.OPEN).order_by("name")


PUBLIC_OFFICE_STATUSES = (OfficeStatus.OPEN, OfficeStatus.OPENING)


def public_office_or_404(public_id) -> Office:
    """An office that shows its catalogue to the public (open, or about to open), with its
    municipality; 404 for any other."""
    return get_object_or_404(
        Office.objects.select_related("municipality"),
        public_id=public_id,
        status__in=PUBLIC_OFFICE_STATUSES,
    )


def municipality_or_404(ine_code: str) -> Municipality:
    """A municipality by its INE code (public data)."""
    return get_object_or_404(Municipality, ine_code=ine_code)


def municipalities_by_name() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def offices_by_name() -> QuerySet[Office]:
    """Every office, closed ones too, by name: the choices of a "registering office" filter
    (records outlive the office that registered them; office names are not confidential)."""
    return Office.objects.order_by("name")
