"""Load official administrative units (both schemes, one scheme, or one province)."""

from django.core.management.base import BaseCommand, CommandError

from registry.loading import load_units


class Command(BaseCommand):
    help = "Load administrative units from the vietnam-provinces package. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scheme",
            default="all",
            choices=["all", "2004", "2025"],
            help="2004: the 63-province three-level scheme (until 30/6/2025); "
            "2025: the 34-province two-level scheme; all: both, with their succession table.",
        )
        parser.add_argument("--province", type=int, help="Load only the province with this code.")

    def handle(self, *args, scheme: str, province: int | None, **options):
        try:
            report = load_units(scheme=scheme, province=province)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
