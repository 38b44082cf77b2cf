"""The catalogue mirror: load_standards copies every parameter and indicator of every standard,
idempotently, and the admin shows it read-only with unconfirmed numbers easy to find."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from policies.models import IndicatorRecord, ParameterOverride, StandardParameter
from policies.services import parameter_override_set
from policies.standards import PROCEDURE, all_standards

# The review procedure's numbers (Decision 24/2021) share the catalogue with the standards'.
CATALOGUED = (*all_standards(), PROCEDURE)

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_standards", stdout=out)
    return out.getvalue()


def parameter_rows() -> list[tuple]:
    return list(
        StandardParameter.objects.order_by("pk").values_list(
            "pk", "standard_code", "key", "value", "unit", "source", "confirmed", "is_line"
        )
    )


def indicator_rows() -> list[tuple]:
    return list(
        IndicatorRecord.objects.order_by("pk").values_list(
            "pk", "standard_code", "code", "name_vi", "name_en", "rule_text", "confirmed"
        )
    )


def test_load_standards_loads_every_parameter() -> None:
    load()
    expected = {(s.code, p.key, p.value) for s in CATALOGUED for p in s.parameters}
    stored = set(StandardParameter.objects.values_list("standard_code", "key", "value"))
    assert stored == expected


def test_load_standards_loads_every_indicator() -> None:
    load()
    expected = {
        (s.code, i.code, i.dimension_code, i.derivable)
        for s in all_standards()
        for i in s.indicators
    }
    stored = set(
        IndicatorRecord.objects.values_list("standard_code", "code", "dimension_code", "derivable")
    )
    assert stored == expected


def test_unconfirmed_parameter_flags_match_the_modules() -> None:
    load()
    expected = {(s.code, p.key) for s in CATALOGUED for p in s.parameters if not p.confirmed}
    stored = set(
        StandardParameter.objects.filter(confirmed=False).values_list("standard_code", "key")
    )
    assert stored == expected


def test_the_posting_minimum_is_catalogued_as_unconfirmed() -> None:
    load()
    row = StandardParameter.objects.get(standard_code="QD24-2021", key="posting_min_days")
    assert (row.value, row.unit, row.confirmed, row.is_line) == (7, "days", False, False)


def test_line_flags_match_the_modules() -> None:
    load()
    expected = {(s.code, p.key) for s in all_standards() for p in s.parameters if p.is_line}
    stored = set(StandardParameter.objects.filter(is_line=True).values_list("standard_code", "key"))
    assert stored == expected


def test_unconfirmed_indicator_flags_match_the_modules() -> None:
    load()
    expected = {(s.code, i.code) for s in all_standards() for i in s.indicators if not i.confirmed}
    stored = set(
        IndicatorRecord.objects.filter(confirmed=False).values_list("standard_code", "code")
    )
    assert stored == expected


def test_unknown_number_is_stored_as_null() -> None:
    load()
    row = StandardParameter.objects.get(standard_code="ND351-2025", key="rural_b1_poverty_cutoff")
    assert (row.value, row.confirmed) == (None, False)


def test_loading_twice_changes_nothing() -> None:
    load()
    parameters, indicators = parameter_rows(), indicator_rows()
    output = load()
    assert (parameter_rows(), indicator_rows()) == (parameters, indicators)
    assert " 0 created, 0 updated, " in output
    assert "0 removed" in output


def test_loading_again_restores_a_row_changed_in_the_database() -> None:
    load()
    StandardParameter.objects.filter(standard_code="ND07-2021", key="rural_poverty_line").update(
        value=1
    )
    output = load()
    row = StandardParameter.objects.get(standard_code="ND07-2021", key="rural_poverty_line")
    assert row.value == 1_500_000
    assert "parameters: 0 created, 1 updated" in output


def test_loading_removes_a_key_the_modules_no_longer_have() -> None:
    load()
    StandardParameter.objects.create(
        standard_code="ND07-2021", key="gone", unit="VND", source="-", confirmed=True, is_line=False
    )
    load()
    assert not StandardParameter.objects.filter(key="gone").exists()


def test_loading_never_touches_an_administrators_correction(admin_user_) -> None:
    load()
    correction = parameter_override_set(
        actor=admin_user_,
        standard_code="ND07-2021",
        key="health_insurance_min_age",
        value=5,
        reason="Checked against the appendix",
        valid_from=dt.date(2025, 1, 1),
    )
    load()
    stored = ParameterOverride.objects.get()
    assert (stored.pk, stored.value, stored.valid_to) == (correction.pk, 5, None)
    row = StandardParameter.objects.get(standard_code="ND07-2021", key="health_insurance_min_age")
    assert row.value == 6  # the mirror still states the law module


# --- admin ------------------------------------------------------------------------------------


def test_admin_lists_parameters(admin_client) -> None:
    load()
    response = admin_client.get("/admin/policies/standardparameter/")
    assert response.status_code == 200
    assert "rural_poverty_line" in response.content.decode()


def test_admin_unconfirmed_filter_shows_only_unconfirmed_parameters(admin_client) -> None:
    load()
    response = admin_client.get(
        "/admin/policies/standardparameter/", {"confirmation": "unconfirmed"}
    )
    shown = {row.key for row in response.context["cl"].result_list}
    assert shown == set(
        StandardParameter.objects.filter(confirmed=False).values_list("key", flat=True)
    )
    assert "rural_poverty_line" not in shown


def test_admin_shows_the_national_correction_in_force(admin_client, admin_user_) -> None:
    load()
    parameter_override_set(
        actor=admin_user_,
        standard_code="ND07-2021",
        key="employment_min_age",
        value=16,
        reason="Checked",
        valid_from=dt.date(2025, 1, 1),
    )
    response = admin_client.get(
        "/admin/policies/standardparameter/", {"standard": "ND07-2021", "q": "employment_min_age"}
    )
    (row,) = response.context["cl"].result_list
    assert row.corrected == 16


def test_admin_cannot_add_or_change_parameters(admin_client) -> None:
    load()
    row = StandardParameter.objects.first()
    assert admin_client.get("/admin/policies/standardparameter/add/").status_code == 403
    response = admin_client.post(
        f"/admin/policies/standardparameter/{row.pk}/change/", {"value": "1"}
    )
    assert response.status_code == 403


def test_admin_lists_indicators_read_only(admin_client) -> None:
    load()
    response = admin_client.get("/admin/policies/indicatorrecord/", {"standard": "ND07-2021"})
    codes = {row.code for row in response.context["cl"].result_list}
    assert "D22_HEALTH_INSURANCE" in codes
    assert admin_client.get("/admin/policies/indicatorrecord/add/").status_code == 403


def test_admin_lists_the_posting_minimum_as_unconfirmed(admin_client) -> None:
    load()
    response = admin_client.get(
        "/admin/policies/standardparameter/",
        {"standard": "QD24-2021", "confirmation": "unconfirmed"},
    )
    shown = [(row.key, row.confirmed) for row in response.context["cl"].result_list]
    assert shown == [("posting_min_days", False)]


def test_admin_corrects_the_posting_minimum_nationally(admin_client) -> None:
    response = admin_client.post(
        "/admin/policies/parameteroverride/add/",
        {
            "standard_code": "QD24-2021",
            "key": "posting_min_days",
            "value": "10",
            "reason": "Read art. 4.4",
            "valid_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    override = ParameterOverride.objects.get()
    assert (override.standard_code, override.key, override.value) == (
        "QD24-2021",
        "posting_min_days",
        10,
    )
