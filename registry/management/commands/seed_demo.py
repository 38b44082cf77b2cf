"""Load demo users (every role) and demo data, and print how to log in."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from registry.demo import DEMO_PASSWORD, seed_users

# Each app that has demo data exposes a `seed` function here; they run in this order.
DEMO_SEEDERS = ("households.demo.seed", "policies.support.demo.seed", "reports.demo.seed")


class Command(BaseCommand):
    help = "Create demo users for every role and demo data. Safe to run twice."

    def handle(self, *args, **options):
        users = seed_users()
        for path in DEMO_SEEDERS:
            app_label = path.split(".")[0]
            if apps.is_installed(app_label):
                self.stdout.write(import_string(path)())
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        for demo, _user in users:
            where = f"{demo.level} {demo.code} ({demo.scheme})" if demo.code else "everywhere"
            self.stdout.write(f"  {demo.username:<20} {demo.role:<16} {where}")
