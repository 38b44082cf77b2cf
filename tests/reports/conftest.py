"""Fixtures of the report tests: the support tests' catalogue of programmes."""

from ..support.conftest import programmes  # noqa: F401
