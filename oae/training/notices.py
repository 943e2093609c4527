"""E-mails to the people of a session, each sent once: a place freed for someone on the
waiting list, a session cancelled, a certificate issued. A write marks the enrolment with the
notice it owes and queues the job; the job claims the row inside the transaction that sends,
so a retry after a failed send tries again and a duplicate finds nothing to do."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from oae.training.models import Enrolment

PROMOTED, SESSION_CANCELLED, CERTIFIED = "promoted", "session_cancelled", "certified"
KINDS = (PROMOTED, SESSION_CANCELLED, CERTIFIED)


def notice_send(*, enrolment_id: int) -> bool:
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("user", "session__module")
            .filter(pk=enrolment_id, notice__in=KINDS)
            .first()
        )
        if enrolment is None:
            return False
        _mail(enrolment)
        enrolment.notice, enrolment.notice_sent_at = "", timezone.now()
        enrolment.save(update_fields=["notice", "notice_sent_at"])
    return True


def _mail(enrolment: Enrolment) -> None:
    user = enrolment.user
    site = settings.SITE_URL.rstrip("/")
    with translation.override(user.language):
        context = {
            "enrolment": enrolment,
            "session": enrolment.session,
            "user": user,
            "session_url": site + reverse("training:session", args=[enrolment.session.public_id]),
            "mine_url": site + reverse("training:mine"),
            "curriculum_url": site + reverse("training:curriculum"),
        }
        templates = f"training/email/{enrolment.notice}"
        subject = render_to_string(f"{templates}_subject.txt", context).strip()
        body = render_to_string(f"{templates}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
