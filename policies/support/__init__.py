"""Support: the programme catalogue, yearly plans and allocations from province to commune,
priority lists, entitlements that follow the status in force, and disbursements."""
