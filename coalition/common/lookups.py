"""`__in` on integer columns, ignoring numbers no 64-bit column can hold.

Django answers an `exact` lookup with an out-of-range integer as "no rows"; its `in` lookup
passes the number to the database driver, and SQLite's refuses it with OverflowError (a server
error on a form given `9999…9` as a choice). This lookup, registered for every integer field in
`CommonConfig.ready`, drops such numbers first: they match no row, as with `exact`.
"""

from django.db.models.lookups import In

# What a 64-bit integer key column holds (SQLite, and PostgreSQL's bigint).
KEY_RANGE = range(-(2**63), 2**63)


class IntegerIn(In):
    def get_prep_lookup(self):
        values = super().get_prep_lookup()
        if self.rhs_is_direct_value() and isinstance(values, (list, tuple, set, frozenset)):
            values = type(values)(v for v in values if not isinstance(v, int) or v in KEY_RANGE)
        return values
