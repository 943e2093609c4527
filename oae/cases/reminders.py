"""Reminders by e-mail, sent by the scheduled jobs: each client's appointment of the next 24
hours, and each advisor's tasks due. Each is claimed under a row lock and marked sent in the
same transaction as its e-mail, so a job run twice sends nothing twice."""

import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.cases.models import Appointment, AppointmentStatus, Task


def appointment_reminders_send(*, now=None) -> int:
    """E-mail each client whose appointment starts in the next 24 hours, once. Each reminder
    is claimed with SKIP LOCKED and marked in the same transaction: safe to run twice."""
    now = now or timezone.now()
    sent = 0
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=24),
        person__isnull=False,
    ).exclude(person__email="")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("person", "office")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if appointment is None:
                continue
            send_mail(
                _("Reminder: your appointment at %(office)s") % {"office": appointment.office},
                _("You have an appointment on %(when)s at %(office)s, %(address)s.")
                % {
                    "when": timezone.localtime(appointment.starts_at).strftime("%d/%m/%Y %H:%M"),
                    "office": appointment.office,
                    "address": appointment.office.address,
                },
                None,
                [appointment.person.email],
            )
            appointment.reminder_sent_at = timezone.now()
            appointment.save(update_fields=["reminder_sent_at"])
            sent += 1
    return sent


def task_reminders_send(*, today=None) -> int:
    """Once a day at most, e-mail each advisor the list of their tasks due today or overdue
    (a task is marked reminded for the day in the same transaction as the e-mail)."""
    today = today or timezone.localdate()
    due = Task.objects.filter(done_at__isnull=True, due_on__lte=today).exclude(reminded_on=today)
    sent = 0
    for assignee_id in set(due.values_list("assignee_id", flat=True)):
        with transaction.atomic():
            tasks = list(
                due.filter(assignee_id=assignee_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "assignee")
            )
            if not tasks:
                continue
            lines = "\n".join(
                f"- {t.due_on:%d/%m/%Y} · {t.case.reference} · {t.title}" for t in tasks
            )
            send_mail(
                _("Tasks due: %(count)s") % {"count": len(tasks)},
                _("These tasks are due today or overdue:\n\n%(lines)s") % {"lines": lines},
                None,
                [tasks[0].assignee.email],
            )
            Task.objects.filter(pk__in=[t.pk for t in tasks]).update(reminded_on=today)
            sent += 1
    return sent
