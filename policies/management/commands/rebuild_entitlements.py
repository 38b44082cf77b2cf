"""Rebuild every household's entitlements from the status in force, members and programmes."""

from django.core.management.base import BaseCommand

from policies.support.entitlements import REBUILD_BATCH, entitlements_rebuild
from policies.support.models import Entitlement


class Command(BaseCommand):
    help = (
        "Bring the entitlements of every household up to date with its status in force, its "
        "members and the programmes that track entitlements. The services keep them current; "
        "a rebuild that changes nothing confirms it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REBUILD_BATCH,
            help=f"Households synced together (default {REBUILD_BATCH}).",
        )

    def handle(self, *args, batch_size, **options):
        changed = entitlements_rebuild(batch_size=max(1, batch_size))
        self.stdout.write(f"{Entitlement.objects.count()} entitlements, {changed} changed.")
