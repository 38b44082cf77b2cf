"""Housekeeping of the import and export jobs (households.interchange.jobs.jobs_tidy)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from households.interchange.jobs import jobs_tidy


class Command(BaseCommand):
    help = (
        "Mark as failed the running jobs that lost their worker (no progress for "
        "ANSINH_JOBS_STALE_AFTER seconds) and delete the files of jobs that ended more than "
        "ANSINH_JOBS_KEEP_DAYS days ago. Run at start-up and daily."
    )

    def handle(self, *args, **options):
        result = jobs_tidy()
        self.stdout.write(
            f"{result['failed']} stalled job(s) marked failed, files of {result['pruned']} "
            f"job(s) ended over {settings.JOBS_KEEP_DAYS} days ago deleted."
        )
