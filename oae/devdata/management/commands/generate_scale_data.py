"""Generate people, companies and consents at a given size (demo: thousands; bench: 1M)."""

from django.core.management.base import BaseCommand
from django.db.models import Max

from oae.crm.models import Person
from oae.devdata.scale.people import (
    generate_companies,
    generate_people,
    generate_sharing_consents,
    refresh_statistics,
)


class Command(BaseCommand):
    help = "Add generated people and companies (valid IDs, realistic names) to the network."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument("--companies", type=int, default=900)
        parser.add_argument(
            "--share",
            type=float,
            default=0.3,
            help="share of the new people who consent to network sharing",
        )

    def handle(self, *args, people: int, companies: int, share: float, **options) -> None:
        last_pk = Person.objects.aggregate(top=Max("pk"))["top"] or 0
        generate_people(count=people, start=Person.objects.count())
        generate_companies(count=companies)
        shared = generate_sharing_consents(after_pk=last_pk, share_ratio=share)
        refresh_statistics()
        self.stdout.write(
            f"Added {people} people, {companies} companies and {shared} network-sharing consents."
        )
