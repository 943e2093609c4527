"""Queue the invitation e-mail of every active membership that has not had one (for example
after a mail outage). With --wait, block until the jobs ran and report what happened."""

import time

from django.core.management.base import BaseCommand, CommandError

from oae.network.selectors import memberships_awaiting_invitation
from oae.network.tasks import send_membership_invitation

POLL_SECONDS = 0.5


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
        for pk in ids:
            send_membership_invitation.delay(pk)
        self.stdout.write(f"Queued {len(ids)} invitation job(s).")
        if not wait:
            return
        # The memberships themselves say when their invitations went out: no job result is
        # needed, so this works with any broker (the embedded one keeps no results).
        deadline = time.monotonic() + wait
        pending = memberships_awaiting_invitation().filter(pk__in=ids)
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        left = pending.count()
        self.stdout.write(f"Sent {len(ids) - left}; still pending: {left}.")
        if left:
            raise CommandError(
                f"{left} invitation(s) are still pending after {wait} s: is a worker running?"
            )
