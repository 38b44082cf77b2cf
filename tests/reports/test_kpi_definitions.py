"""KPI definitions on small registries whose expected figures are worked out here: the rural and
urban lines at their boundaries, ethnic minority by the head, distinct borrowers against loans,
cards per member, an empty or entered denominator, moves between two lists, either scheme, and
the status as of a day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from policies.support.models import Disbursement
from registry.choices import Level, Scheme
from registry.models import AdminUnit, UnitSuccession
from reports import kpis
from reports.selectors import children_kpis, kpi_series, unit_kpis
from reports.services import resident_count_set
from reports.summaries import summaries_rebuild

from ..households.factories import make_household, member, recognise, review
from ..households.test_household_year import monthly, periodic
from ..support.disbursement_rows import listed_households
from ..support.factories import facts, recognised_household

pytestmark = pytest.mark.django_db

THREE = ["D22_WATER_SOURCE", "D22_NUTRITION", "D22_HOUSING_AREA"]


def test_rates_round_half_up_and_are_empty_without_a_denominator():
    assert kpis.rate(1, 8) == Decimal("12.50")
    assert kpis.rate(1, 6) == Decimal("16.67")
    assert kpis.rate(1, 200) == Decimal("0.50")
    assert kpis.rate(1, 400) == Decimal("0.25")
    assert kpis.rate(1, 800) == Decimal("0.13")  # 0.125 half up, not to even
    assert kpis.rate(0, 5) == Decimal("0.00")
    assert kpis.rate(3, 0) is None
    assert kpis.rate(3, None) is None


def _classified(officer, chair, commune, rows):
    """Households classified by the standard itself (no override), recognised together."""
    households = [
        make_household(
            officer,
            commune,
            members=[member(f"Chủ Hộ {n}")],
            review_data=review(income_per_capita=income, deprivations=deprived),
        )
        for n, (income, deprived) in enumerate(rows)
    ]
    recognise(officer, chair, [h.reviews.get() for h in households])
    return households


def test_the_rural_and_urban_lines_at_their_boundaries(
    officer, chair, other_officer, make_user, my_hoa_hung, long_xuyen, province_staff, an_giang
):
    # Decree 07/2021 (the 2022-2025 standard, which sets the 2026 list surveyed in 2025): rural
    # line 1,500,000 VND a month and middle-income up to 2,250,000; urban 2,000,000 and 3,000,000.
    _classified(officer, chair, my_hoa_hung, [(1_500_000, THREE), (1_500_001, THREE)])
    other_chair = make_user("commune_chair", long_xuyen, username="other-chair")
    _classified(
        other_officer,
        other_chair,
        long_xuyen,
        [(2_000_000, THREE), (2_000_000, THREE[:2]), (1_800_000, THREE), (2_000_001, THREE)],
    )
    rural = unit_kpis(user=officer, unit=my_hoa_hung, year=2026)
    assert (rural.counts["poor_households"], rural.counts["households"]) == (1, 2)
    assert rural.counts["middle_households"] == 1
    assert rural.rates["poor_rate"] == Decimal("50.00")
    urban = unit_kpis(user=other_officer, unit=long_xuyen, year=2026)
    assert (urban.counts["poor_households"], urban.counts["near_poor_households"]) == (2, 1)
    assert urban.rates["near_poor_rate"] == Decimal("25.00")
    assert urban.rates["multidimensional_rate"] == Decimal("75.00")
    assert urban.rates["middle_rate"] == Decimal("25.00")
    assert urban.deprivations == {"D22_HOUSING_AREA": 2, "D22_NUTRITION": 2, "D22_WATER_SOURCE": 2}
    province = unit_kpis(user=province_staff, unit=an_giang, year=2026)
    assert province.rates["poor_rate"] == Decimal("50.00")  # 3 of 6
    assert province.deprivations["D22_WATER_SOURCE"] == 3


def test_an_ethnic_minority_household_is_one_whose_head_is(officer, chair, my_hoa_hung):
    kinh_head = [
        member("Nguyễn Văn Sáu"),
        member("Néang Sa Ly", relationship="spouse", ethnicity="05"),
    ]
    khmer_head = [
        member("Thạch Sô Phol", ethnicity="05"),
        member("Lê Thị Mai", relationship="spouse"),
    ]
    recognised_household(officer, chair, my_hoa_hung, "poor", members=kinh_head)
    recognised_household(officer, chair, my_hoa_hung, "poor", members=khmer_head)
    recognised_household(
        officer, chair, my_hoa_hung, "near_poor", members=[member("Chau Sóc", ethnicity="05")]
    )
    found = unit_kpis(user=officer, unit=my_hoa_hung, year=2026)
    counts = found.counts
    assert (counts["minority_households"], counts["minority_persons"]) == (2, 3)
    assert (counts["minority_poor_households"], counts["minority_poor_persons"]) == (1, 2)
    assert counts["minority_near_poor_households"] == 1
    assert found.rates["minority_poor_rate"] == Decimal("50.00")  # among minority households
    assert found.rates["minority_multidimensional_rate"] == Decimal("100.00")


def _paid(household, programme, *, member=None, period, amount=0, quantity=1, officer):
    return Disbursement.objects.create(
        programme=programme, household=household, member=member, commune=household.commune,
        unit_path=household.unit_path, year=2026, kind="payment", paid_on=dt.date(2026, 3, 1),
        period=period, quantity=quantity, amount=amount, funding_source="vbsp",
        classification="poor", recorded_by=officer,
    )  # fmt: skip


def test_borrowers_are_counted_once_and_cards_per_member(officer, my_hoa_hung, programmes):
    one, two = listed_households(officer, my_hoa_hung, 2, members=3)
    loans, cards = programmes["vbsp_poor"], programmes["bhyt"]
    _paid(one, loans, period="HĐ-001", amount=50_000_000, officer=officer)
    _paid(one, loans, period="HĐ-002", amount=30_000_000, officer=officer)
    _paid(two, loans, period="HĐ-003", amount=40_000_000, officer=officer)
    for person in one.members.all():
        _paid(one, cards, member=person, period="2026", officer=officer)
    reversed_card = _paid(two, cards, member=two.members.first(), period="2026", officer=officer)
    reversed_card.is_reversed = True
    reversed_card.save()
    Disbursement.objects.create(
        **{f.attname: getattr(reversed_card, f.attname) for f in Disbursement._meta.concrete_fields
           if f.attname not in ("id", "kind", "quantity", "reverses_id", "is_reversed")},
        kind="reversal", quantity=-1, reverses=reversed_card,
    )  # fmt: skip
    summaries_rebuild()
    support = {
        (s.programme.code, s.variant): s
        for s in unit_kpis(user=officer, unit=my_hoa_hung, year=2026).support
    }
    loan = support[("vbsp_poor", "")]
    assert (loan.households, loan.payments, loan.quantity, loan.amount) == (2, 3, 3, 120_000_000)
    card = support[("bhyt", "")]
    assert (card.households, card.persons, card.payments, card.quantity) == (1, 3, 3, 3)
    assert card.beneficiaries == 3


def test_an_entered_resident_total_is_the_denominator_and_says_so(officer, my_hoa_hung):
    listed_households(officer, my_hoa_hung, 3)
    summaries_rebuild()
    assert unit_kpis(user=officer, unit=my_hoa_hung, year=2026).rates["poor_rate"] == Decimal(
        "100.00"
    )
    resident_count_set(
        actor=officer, unit=my_hoa_hung, year=2026, households=8, source="Công an xã"
    )
    found = unit_kpis(user=officer, unit=my_hoa_hung, year=2026)
    assert (found.denominator, found.denominator_source) == (8, "entered")
    assert found.rates["poor_rate"] == Decimal("37.50")
    empty = unit_kpis(user=officer, unit=my_hoa_hung, year=2024)
    assert (empty.denominator, empty.rates["poor_rate"], empty.rates["minority_poor_rate"]) == (
        0,
        None,
        None,
    )


def test_moves_between_two_lists(officer, chair, my_hoa_hung):
    def through(*classes):
        household = make_household(
            officer, my_hoa_hung, members=[member("Hộ")], review_data=facts(2024, classes[0])
        )
        recognise(
            officer, chair, [household.reviews.get()], on=dt.date(2023, 12, 1), number=f"{classes}"
        )
        for year, classification in zip((2025, 2026), classes[1:], strict=True):
            household.refresh_from_db()
            periodic(officer, chair, household, year, classification)

    through("poor", "poor", "not_poor")  # escaped
    through("poor", "poor", "near_poor")  # poor to near-poor: also escaped poverty
    through("near_poor", "near_poor", "poor")  # near-poor to poor
    through("poor", "not_poor", "poor")  # relapsed
    through("not_poor", "not_poor", "poor")  # newly poor
    found = unit_kpis(user=officer, unit=my_hoa_hung, year=2026)
    moves = {
        k: found.counts[k]
        for k in (
            "escaped_poverty",
            "poor_to_near_poor",
            "near_poor_to_poor",
            "relapsed",
            "newly_poor",
        )
    }
    assert moves == {
        "escaped_poverty": 1,
        "poor_to_near_poor": 1,
        "near_poor_to_poor": 1,
        "relapsed": 1,
        "newly_poor": 1,
    }
    assert found.escaped == 2
    assert found.change("poor_households") == 3 - 2
    series = kpi_series(user=officer, unit=my_hoa_hung)
    assert [(k.year, k.counts["poor_households"]) for k in series] == [
        (2024, 3),
        (2025, 2),
        (2026, 3),
    ]
    assert series[0].escaped is None  # no list before 2024: moves unknown
    assert series[1].counts["escaped_poverty"] == 1


def test_records_of_an_old_commune_count_under_its_successor(
    admin_user_, kien_an, cho_moi, province_staff, an_giang
):
    successor = UnitSuccession.objects.filter(old_unit=kien_an).select_related("new_unit").first()
    listed_households(admin_user_, kien_an, 4, year=2025)
    summaries_rebuild()
    old_district = unit_kpis(user=admin_user_, unit=cho_moi, year=2025)
    assert old_district.counts["households"] == 4
    old_province = AdminUnit.objects.get(pk=cho_moi.parent_id)
    assert unit_kpis(user=admin_user_, unit=old_province, year=2025).counts["households"] == 4
    children = {k.unit.pk: k for k in children_kpis(user=admin_user_, unit=old_province, year=2025)}
    assert children[cho_moi.pk].counts["households"] == 4
    new_province = AdminUnit.objects.get(pk=successor.new_unit.parent_id)
    assert new_province.scheme == Scheme.CURRENT
    assert unit_kpis(user=admin_user_, unit=new_province, year=2025).counts["households"] == 4
    new_children = children_kpis(user=admin_user_, unit=new_province, year=2025)
    assert {k.unit.pk: k.counts["households"] for k in new_children if k.counts["households"]} == {
        successor.new_unit.pk: 4
    }
    assert successor.new_unit.level == Level.COMMUNE


def test_as_of_a_day_reads_the_status_in_force_then(officer, chair, my_hoa_hung):
    household = recognised_household(officer, chair, my_hoa_hung, "poor")
    monthly(officer, chair, household, dt.date(2026, 6, 2), "not_poor")
    before = unit_kpis(user=officer, unit=my_hoa_hung, as_of=dt.date(2026, 5, 1))
    after = unit_kpis(user=officer, unit=my_hoa_hung, as_of=dt.date(2026, 7, 1))
    assert (before.counts["poor_households"], before.counts["poor_persons"]) == (1, 1)
    assert after.counts["poor_households"] == 0
    assert after.counts["households"] == 1
    assert before.as_of == dt.date(2026, 5, 1)
    assert before.counts["newly_poor"] is None  # moves are counted between lists, not on a day


def test_a_deployment_reads_a_unit_s_successions_once(
    admin_user_, kien_an, settings, django_assert_num_queries
):
    from reports.selectors import _successions_cached

    successor = UnitSuccession.objects.filter(old_unit=kien_an).select_related("new_unit").first()
    listed_households(admin_user_, kien_an, 2, year=2025)
    summaries_rebuild()
    province = AdminUnit.objects.get(pk=successor.new_unit.parent_id)
    expected = unit_kpis(user=admin_user_, unit=province, year=2025).counts
    settings.SUCCESSIONS_CACHED = True
    _successions_cached.cache_clear()
    fresh = AdminUnit.objects.get(pk=province.pk)
    assert unit_kpis(user=admin_user_, unit=fresh, year=2025).counts == expected
    again = AdminUnit.objects.get(pk=province.pk)
    with django_assert_num_queries(
        6
    ):  # cells, allocations, entered totals, targets: no successions
        assert unit_kpis(user=admin_user_, unit=again, year=2025).counts == expected
    _successions_cached.cache_clear()


@pytest.mark.parametrize("threshold", [0, 10**6])
def test_old_communes_read_by_prefix_or_one_by_one_give_the_same_figures(
    admin_user_, kien_an, monkeypatch, threshold
):
    # A province of 2025 reads the old provinces or districts wholly taken over by their path
    # prefix (beyond a number of old communes), the other old communes one by one.
    from reports import selectors

    monkeypatch.setattr(selectors, "_MANY_OLD_COMMUNES", threshold)
    successor = UnitSuccession.objects.filter(old_unit=kien_an).select_related("new_unit").first()
    province = AdminUnit.objects.get(pk=successor.new_unit.parent_id)
    elsewhere = (
        AdminUnit.objects.filter(scheme=Scheme.LEGACY, level=Level.COMMUNE)
        .exclude(successors__new_unit__path__startswith=province.path)
        .first()
    )
    listed_households(admin_user_, kien_an, 3, year=2025)
    listed_households(admin_user_, elsewhere, 2, year=2025)  # not taken over by the province
    summaries_rebuild()
    area = selectors._read_area(province)
    if threshold == 0:
        assert area.old_districts
        assert not any(elsewhere.path.startswith(p) for p in area.old_districts)
    else:
        assert not area.old_districts
    kpis_2025 = unit_kpis(user=admin_user_, unit=province, year=2025)
    assert kpis_2025.counts["households"] == 3
    children = children_kpis(user=admin_user_, unit=province, year=2025)
    assert sum(k.counts["households"] for k in children) == 3
