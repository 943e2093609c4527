"""Print a new private key for CREDENTIAL_SIGNING_KEY (the key that signs training
credentials). Keep it secret; changing it makes the credentials issued before fail to verify."""

from django.core.management.base import BaseCommand

from oae.training.credentials import new_key_json


class Command(BaseCommand):
    help = "Print a new private key (a JWK) for CREDENTIAL_SIGNING_KEY."

    def handle(self, *args, **options):
        self.stdout.write(new_key_json())
