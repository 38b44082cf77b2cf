"""Rebuild the rollups' summaries from the raw records."""

from django.core.management.base import BaseCommand

from reports.models import DeprivationSummary, StatusSummary, SupportSummary
from reports.summaries import REBUILD_BATCH, summaries_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the summaries the rollups read (status, deprivations, support per commune and "
        "year) from the households' status rows, reviews and disbursements. The services keep "
        "them current; a rebuild that changes nothing confirms it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH,
            help=f"Households read together (default {REBUILD_BATCH}).",
        )

    def handle(self, *args, batch_size, **options):
        differing = summaries_rebuild(batch_size=max(1, batch_size))
        self.stdout.write(
            f"{StatusSummary.objects.count()} status cells, "
            f"{DeprivationSummary.objects.count()} deprivation cells, "
            f"{SupportSummary.objects.count()} support cells, {differing} differed."
        )
