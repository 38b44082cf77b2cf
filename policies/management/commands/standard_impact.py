"""Count what a new standard would do to one province's households of one list year."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from households.choices import Classification
from households.models import HouseholdYear, Review
from policies.selectors import standard_impact
from policies.standards import StandardError, standard_for_list_year
from registry.choices import Level, Scheme
from registry.models import AdminUnit


def reviews_in_force(*, province: AdminUnit, list_year: int):
    """The review behind each household's status in force for ``list_year`` in ``province`` (the
    recognised list, as amended by its monthly reviews: households.selectors.household_status)."""
    return Review.objects.filter(
        pk__in=HouseholdYear.objects.filter(
            province=province, list_year=list_year, review__isnull=False
        ).values("review_id")
    )


class Command(BaseCommand):
    help = (
        "Re-classify the reviews behind the recognised list of a year in a province (its status "
        "in force, as amended by monthly reviews) under another standard "
        "and print, per classification, the households before and after and the moves in and "
        "out. The province's local standard and the national corrections apply to both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Province code, e.g. 91.")
        parser.add_argument("--year", type=int, required=True, help="List year of the reviews.")
        parser.add_argument("--new", required=True, help="Code of the new standard.")
        parser.add_argument(
            "--old", help="Code of the old standard (default: the one of the list year)."
        )
        parser.add_argument(
            "--scheme", default=Scheme.CURRENT, choices=Scheme.values, help="Unit scheme."
        )
        parser.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            help="Date of the overrides to apply (YYYY-MM-DD, default today).",
        )

    def handle(self, *args, province, year, new, old, scheme, on, **options):
        try:
            unit = AdminUnit.objects.get(scheme=scheme, level=Level.PROVINCE, code=province)
        except AdminUnit.DoesNotExist:
            raise CommandError(f"no province {province} in the {scheme} scheme") from None
        on = on or timezone.localdate()
        try:
            old_code = old or standard_for_list_year(year).code
            comparison = standard_impact(
                households=reviews_in_force(province=unit, list_year=year),
                old_code=old_code,
                new_code=new,
                unit=unit,
                on=on,
            )
        except StandardError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{unit.name}, list of {year}: {comparison.old_code} -> {comparison.new_code}, "
            f"{comparison.total} households (overrides in force on {on.isoformat()})"
        )
        width = max(len("classification"), *(len(c.value) for c in Classification))
        self.stdout.write(
            f"{'classification':{width}}  {'old':>6}  {'new':>6}  {'in':>6}  {'out':>6}"
        )
        for flow in comparison.flows:
            self.stdout.write(
                f"{flow.classification.value:{width}}  {flow.old_count:>6}  "
                f"{flow.new_count:>6}  {flow.move_in:>6}  {flow.move_out:>6}"
            )
        for code, count in comparison.dropped.items():
            self.stdout.write(f"dropped indicator {code}: {count} households")
