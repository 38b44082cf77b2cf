"""Rebuild every household's status per list year (HouseholdYear) and its periods
(StatusPeriod) from the raw records."""

from django.core.management.base import BaseCommand

from households.household_year import REBUILD_BATCH, household_years_rebuild
from households.models import HouseholdYear, StatusPeriod


class Command(BaseCommand):
    help = (
        "Rebuild the status in force of every household and list year, and its periods within "
        "the year, from the reviews, "
        "decisions, members and moves. The services keep these rows current; a rebuild that "
        "changes nothing confirms it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH,
            help=f"Households derived together (default {REBUILD_BATCH}).",
        )

    def handle(self, *args, batch_size, **options):
        changed = household_years_rebuild(batch_size=max(1, batch_size))
        self.stdout.write(
            f"{HouseholdYear.objects.count()} household-year statuses, "
            f"{StatusPeriod.objects.count()} status periods, {changed} changed."
        )
