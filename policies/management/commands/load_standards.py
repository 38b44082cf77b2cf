"""Mirror the national standards' parameters and indicators into the database."""

from django.core.management.base import BaseCommand

from policies.services import standards_load


class Command(BaseCommand):
    help = (
        "Copy every standard's parameters and indicators from policies/standards into the "
        "database, so the catalogue shows in the admin. Safe to run twice; overrides are "
        "never touched."
    )

    def handle(self, *args, **options):
        report = standards_load()
        for line in report.lines():
            self.stdout.write(line)
