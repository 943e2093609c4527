"""What people are told about proposals to the model: a proposal's new state (its author
and the staff who supported it), and the published version that took it up (its author and
every office that supported it). Each notice shows in the person's list until read and goes
by e-mail once, sent by a job that claims the row."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from oae.catalogue import content as content_lib
from oae.catalogue.models import Proposal, ProposalNotice

PUBLISHED = "published"


def recipients(proposal: Proposal) -> list:
    """The proposal's author and everyone who gave an office's support, once each."""
    people = {proposal.author_id: proposal.author}
    for support in proposal.supports.select_related("given_by"):
        if support.given_by is not None:
            people.setdefault(support.given_by_id, support.given_by)
    return [user for user in people.values() if user.is_active]


def notices_create(proposal: Proposal, event: str, *, skip=None) -> list[int]:
    """A notice of `event` for each recipient (not the person who caused it); their ids, for
    the job to send once the write commits."""
    users = [user for user in recipients(proposal) if skip is None or user.pk != skip.pk]
    created = ProposalNotice.objects.bulk_create(
        ProposalNotice(user=user, proposal=proposal, event=event) for user in users
    )
    return [notice.pk for notice in created]


def notice_send(*, notice_id: int) -> bool:
    with transaction.atomic():
        notice = (
            ProposalNotice.objects.select_for_update(of=("self",))
            .select_related("user", "proposal__office", "proposal__published_in")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        _mail(notice)
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


def _mail(notice: ProposalNotice) -> None:
    user, proposal = notice.user, notice.proposal
    with translation.override(user.language):
        context = {
            "notice": notice,
            "proposal": proposal,
            "title": content_lib.title(proposal.kind, proposal.content),
            "state": proposal.get_state_display(),
            "url": settings.SITE_URL.rstrip("/")
            + reverse("catalogue:proposal", args=[proposal.public_id]),
        }
        event = "published" if notice.event == PUBLISHED else "state"
        subject = render_to_string(f"catalogue/email/proposal_{event}_subject.txt", context)
        body = render_to_string(f"catalogue/email/proposal_{event}_body.txt", context)
    send_mail(subject.strip(), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def notices_for(user) -> QuerySet[ProposalNotice]:
    return ProposalNotice.objects.filter(user=user).select_related(
        "proposal__office", "proposal__published_in"
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return ProposalNotice.objects.filter(user=user, read_at__isnull=True).count()


def notices_mark_read(user) -> int:
    return ProposalNotice.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
