"""Load the national support programmes and their dated parameters (idempotent)."""

from django.core.management.base import BaseCommand

from policies.support.catalogue import load_catalogue


class Command(BaseCommand):
    help = "Load the catalogue of national support programmes and their dated parameters."

    def handle(self, *args, **options):
        programmes, parameters = load_catalogue()
        self.stdout.write(f"Programmes created: {programmes}; parameters created: {parameters}.")
