"""Examples of the KPI API's answers, for the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

from .. import kpis
from ..models import STATUS_COUNTERS

PROVINCE = {
    "id": 10842,
    "code": "91",
    "name": "Tỉnh An Giang",
    "level": "province",
    "scheme": "2025",
}
COMMUNE = {
    "id": 13971,
    "code": "30313",
    "name": "Xã Mỹ Hòa Hưng",
    "level": "commune",
    "scheme": "2025",
}
COMPUTED = "2026-03-01T08:30:00+07:00"


def _counts(**given) -> dict:
    return dict.fromkeys(STATUS_COUNTERS, 0) | given


def _rates(**given) -> dict:
    return dict.fromkeys(kpis.RATES) | given


def _figures(unit, year, counts, rates, denominator, **extra) -> dict:
    return {
        "unit": unit,
        "year": year,
        "as_of": None,
        "computed_at": COMPUTED,
        "shared": False,
        "has_transitions": True,
        "denominator": {"value": denominator, "source": "registry"},
        "counts": counts,
        "rates": rates,
        "deprivations": {},
        "support": [],
        "targets": [],
        **extra,
    }


_PROVINCE_2026 = _figures(
    PROVINCE,
    2026,
    _counts(
        households=100,
        persons=305,
        poor_households=12,
        poor_persons=40,
        near_poor_households=5,
        near_poor_persons=16,
        escaped_poverty=1,
    ),
    _rates(
        poor_rate="12.00", near_poor_rate="5.00", middle_rate="0.00", multidimensional_rate="17.00"
    ),
    100,
    deprivations={"D22_WATER_SOURCE": 4},
    support=[
        {
            "programme": "bhyt",
            "name_vi": "Thẻ bảo hiểm y tế",
            "name_en": "Health insurance card",
            "variant": "",
            "households": 12,
            "persons": 40,
            "payments": 40,
            "quantity": 40,
            "amount": 32_000_000,
            "poor_households": 12,
            "poor_persons": 40,
            "allocated_quantity": 50,
            "allocated_beneficiaries": 50,
            "allocated_amount": 40_000_000,
            "budget_used": "80.00",
            "target_reached": "80.00",
        }
    ],
    targets=[
        {
            "measure": "poor_rate",
            "kind": "below_by",
            "value": "3.00",
            "from_year": 2026,
            "to_year": 2030,
            "basis": "Nghị quyết 01/2026/NQ-HĐND",
            "expected": "3.00",
            "actual": "12.00",
            "met": False,
        }
    ],
    previous={
        "year": 2025,
        "computed_at": COMPUTED,
        "denominator": {"value": 38, "source": "registry"},
        "counts": _counts(households=38, persons=120, poor_households=4, poor_persons=13),
        "rates": _rates(
            poor_rate="10.53",
            near_poor_rate="0.00",
            middle_rate="0.00",
            multidimensional_rate="10.53",
        ),
    },
)

UNIT = OpenApiExample(
    "A province in 2026", value=_PROVINCE_2026, response_only=True, status_codes=["200"]
)
BAD_YEAR = OpenApiExample(
    "A year out of range",
    value={"year": ["Enter a year from 2000 to 2100."]},
    response_only=True,
    status_codes=["400"],
)
_COMMUNE_2026 = _figures(
    COMMUNE,
    2026,
    _counts(
        households=40,
        persons=125,
        poor_households=3,
        poor_persons=10,
        near_poor_households=5,
        near_poor_persons=16,
        escaped_poverty=1,
    ),
    _rates(
        poor_rate="7.50", near_poor_rate="12.50", middle_rate="0.00", multidimensional_rate="20.00"
    ),
    40,
    previous=None,
)
TABLE = OpenApiExample(
    "The communes of a province",
    value={
        "unit": PROVINCE,
        "year": 2026,
        "as_of": None,
        "level": None,
        "scheme": "2025",
        "count": 1,
        "results": [_COMMUNE_2026],
    },
    response_only=True,
    status_codes=["200"],
)
BAD_LEVEL = OpenApiExample(
    "A level not below the unit's",
    value={"level": ["Choose a level below the unit's."]},
    response_only=True,
    status_codes=["400"],
)
SERIES = OpenApiExample(
    "A commune over two years",
    value={
        "unit": COMMUNE,
        "from_year": 2025,
        "to_year": 2026,
        "count": 1,
        "results": [_COMMUNE_2026],
    },
    response_only=True,
    status_codes=["200"],
)
OPEN_UNIT = OpenApiExample(
    "A commune with small counts suppressed",
    value={
        name: value
        for name, value in _figures(
            COMMUNE,
            2026,
            _counts(
                households=40,
                persons=125,
                poor_households=None,
                poor_persons=None,
                near_poor_households=5,
                near_poor_persons=16,
                escaped_poverty=None,
            ),
            _rates(
                poor_rate=None,
                near_poor_rate="12.50",
                middle_rate="0.00",
                multidimensional_rate=None,
            ),
            40,
        ).items()
    },
    response_only=True,
    status_codes=["200"],
)
