"""Import an interchange file (CSV, ZIP of CSV files, or XLSX) into the registry."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from households.interchange.format import NUMBERINGS
from households.interchange.importing import import_file
from registry.models import User


class Command(BaseCommand):
    help = (
        "Check an interchange file and, when it has no error, write it into the registry in one "
        "transaction as one import batch (docs/interchange.md). A file with any error writes "
        "nothing; --report saves the list of problems as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file: <table>.csv, a ZIP of CSV files, or .xlsx.")
        parser.add_argument(
            "--numbering",
            choices=NUMBERINGS,
            default="qd121",
            help="Ethnicity numbering of the file (default qd121).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything, write nothing."
        )
        parser.add_argument(
            "--user",
            help="Who imports (their area bounds the file); default: the only superuser.",
        )
        parser.add_argument("--report", help="Write the problems found to this CSV file.")

    def _actor(self, username: str | None) -> User:
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"No active user {username!r}.") from None
        superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError("Say who imports: --user USERNAME.")
        return superusers[0]

    def handle(self, *args, path, numbering, dry_run, user, report, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file {path}.")
        actor = self._actor(user)
        verbosity = options["verbosity"]
        last = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if verbosity > 1 and done - last.get(phase, -100_000) >= 100_000:
                last[phase] = done
                self.stderr.write(f"{phase}: {done}" + (f"/{total}" if total else ""))

        result = import_file(
            actor=actor,
            path=file,
            filename=file.name,
            numbering=numbering,
            dry_run=dry_run,
            on_progress=progress,
        )
        if report:
            Path(report).write_bytes(result.report_csv())
        for problem in result.errors[:20] + result.warnings[:20]:
            where = ":".join(str(p) for p in (problem.file, problem.row, problem.column) if p)
            self.stderr.write(f"{where}: {problem.message}")
        for table, counts in result.counts.items():
            self.stdout.write(
                f"{table}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
        if not result.ok:
            raise CommandError(
                f"Refused: {result.error_count} errors, {result.warning_count} warnings; "
                "nothing was written."
            )
        outcome = "Dry run: nothing written" if dry_run else f"Import batch {result.batch.pk}"
        self.stdout.write(f"{outcome}; {result.warning_count} warnings.")
