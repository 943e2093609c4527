"""What each owner has to do on the opening paths: the items of their side that are due (the
network's for coordinators, the municipality's for its contacts)
and the actions agreed in reviews; sent as a weekly digest of what is overdue and stalled, and
as an iCalendar feed of due dates."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from oae.accounts.models import NetworkRole, User
from oae.opening import selectors
from oae.opening.models import Contact, DueDateFeed, ItemState, Path, ReviewAction
from oae.privacy.services import audit_record

FEED_DAYS_BACK = 30


@dataclass(frozen=True)
class Due:
    key: str  # stable across fetches: a calendar app updates the event rather than adding one
    path: Path
    title: str
    due_on: datetime.date
    url: str


def _sides(user) -> tuple[bool, set[int]]:
    """Whether the user owns the network's items, and the paths whose municipality's items
    they own as its contact (an office's managers read their path; its council acts)."""
    network = user.network_role == NetworkRole.COORDINATOR
    paths = set(Contact.objects.filter(user=user, is_active=True).values_list("path_id", flat=True))
    return network, paths


def owed(user) -> list[Due]:
    """The user's open items of the current stages and open review actions, by due date."""
    network, own_paths = _sides(user)
    paths = Path.objects.select_related("municipality", "version", "office")
    paths = paths if network else paths.filter(pk__in=own_paths)
    states: dict[int, dict[str, ItemState]] = {}
    for state in ItemState.objects.filter(path__in=paths, review=None):
        states.setdefault(state.path_id, {})[state.item_key] = state
    found = []
    for path in paths:
        side = {"network"} if network else set()
        side |= {"municipality"} if path.pk in own_paths else set()
        url = reverse("opening:path", args=[path.public_id])
        for stage in selectors.stage_views(path, states.get(path.pk, {})):
            for view in stage.items:
                if view.due_on and not view.done and view.item.owner in side:
                    found.append(
                        Due(
                            f"{path.public_id}-{view.item.key}",
                            path,
                            view.item.label,
                            view.due_on,
                            url,
                        )
                    )
    if network:
        actions = ReviewAction.objects.filter(done_on=None).select_related(
            "review__path__municipality"
        )
        for action in actions:
            url = reverse("opening:review", args=[action.review.public_id])
            found.append(
                Due(str(action.public_id), action.review.path, action.title, action.due_on, url)
            )
    return sorted(found, key=lambda due: (due.due_on, due.path.municipality.name))


def stalled_paths() -> list[Path]:
    today = timezone.localdate()
    paths = Path.objects.select_related("municipality", "version")
    return [path for path in paths if selectors.is_stalled(path, today)]


def digest_for(user) -> dict | None:
    """What the user's weekly e-mail says, or None when there is nothing to say."""
    today = timezone.localdate()
    overdue = [due for due in owed(user) if due.due_on < today]
    stalled = stalled_paths() if user.network_role == NetworkRole.COORDINATOR else []
    if not overdue and not stalled:
        return None
    return {"user": user, "overdue": overdue, "stalled": stalled, "site_url": settings.SITE_URL}


def _owners():
    coordinators = User.objects.filter(is_active=True, network_role=NetworkRole.COORDINATOR)
    contacts = User.objects.filter(is_active=True, opening_contacts__is_active=True)
    return (coordinators | contacts).distinct().order_by("pk")


def digests_send() -> int:
    """One e-mail to each owner with something overdue or stalled; the number sent."""
    sent = 0
    for user in _owners():
        with translation.override(user.language):
            context = digest_for(user)
            if context is None:
                continue
            subject = render_to_string("opening/email/digest_subject.txt", context).strip()
            body = render_to_string("opening/email/digest_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


# The iCalendar feed -----------------------------------------------------------------------


def existing_feed_token(user) -> str:
    return DueDateFeed.objects.filter(user=user).values_list("token", flat=True).first() or ""


def feed_token(user, *, renew: bool = False) -> str:
    """The secret token of the user's due-date feed, made on first use; a new one revokes
    the old."""
    feed = DueDateFeed.objects.filter(user=user).first()
    if feed is not None and not renew:
        return feed.token
    return _feed_new_token(user, renewing=feed is not None)


@transaction.atomic
def _feed_new_token(user, *, renewing: bool) -> str:
    token = secrets.token_urlsafe(32)
    DueDateFeed.objects.update_or_create(user=user, defaults={"token": token})
    audit_record(
        action="opening.feed.renew" if renewing else "opening.feed.create", actor=user, target=user
    )
    return token


def feed_owner(token: str):
    feed = DueDateFeed.objects.filter(token=token).select_related("user").first()
    return feed.user if feed and feed.user.is_active else None


def feed_ics(user) -> bytes:
    """The user's due dates as all-day events, from a month ago on."""
    calendar = Calendar()
    calendar.add("prodid", "-//Xarxa OAE//opening//CA")
    calendar.add("version", "2.0")
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    stamp = timezone.now()
    with translation.override(user.language):
        for due in owed(user):
            if due.due_on < since:
                continue
            event = Event()
            event.add("uid", f"{due.key}@xarxa-oae")
            event.add("dtstamp", stamp)
            event.add("dtstart", due.due_on)
            event.add("summary", f"{due.path.municipality.name}: {due.title}")
            event.add("url", settings.SITE_URL.rstrip("/") + due.url)
            calendar.add_component(event)
    return calendar.to_ical()
