"""Registers every support viewset on the /api/v1/ router."""

from . import allocations, disbursements, entitlements, priority


def register(router) -> None:
    for area in (allocations, disbursements, priority, entitlements):
        area.register(router)
