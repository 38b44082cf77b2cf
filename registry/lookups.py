"""A field equal to any of a list of values, as one bound array on PostgreSQL.

`field IN (...)` makes Django prepare every value and the driver quote each of them: for the
hundreds of old commune paths a 2025 province reads (registry.succession) that costs more than
the query. `AnyOf(F("unit_path"), paths)` passes the list as a single array parameter,
`unit_path = ANY(%s)`; other databases get the usual `IN`.
"""

from __future__ import annotations

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # the values are compared as they are: the list is not one value

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if not self.rhs:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]
        marks = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({marks})", [*lhs_params, *self.rhs]
