"""Queue the invitation e-mail of every active membership that has not had one (for example
after a mail outage). With --wait, block until the jobs ran and report what happened."""

from celery.exceptions import TimeoutError as CeleryTimeout
from django.core.management.base import BaseCommand, CommandError

from oae.network.selectors import memberships_awaiting_invitation
from oae.network.tasks import send_membership_invitation


class Command(BaseCommand):
    help = "Queue invitation e-mails that were never sent; idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--wait",
            type=int,
            default=0,
            metavar="SECONDS",
            help="wait this long for the jobs to finish and check the result",
        )

    def handle(self, *args, wait: int, **options) -> None:
        ids = list(memberships_awaiting_invitation().values_list("pk", flat=True))
        results = [send_membership_invitation.delay(pk) for pk in ids]
        self.stdout.write(f"Queued {len(results)} invitation job(s).")
        if not wait:
            return
        try:
            sent = sum(bool(result.get(timeout=wait)) for result in results)
        except CeleryTimeout as error:
            raise CommandError(
                f"The jobs did not finish within {wait} s: is a worker running?"
            ) from error
        left = memberships_awaiting_invitation().filter(pk__in=ids).count()
        self.stdout.write(f"Sent {sent}; still pending: {left}.")
        if left:
            raise CommandError(f"{left} invitation(s) are still pending after the jobs ran.")
