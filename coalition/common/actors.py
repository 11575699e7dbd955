"""Who acts when no person does: the operator at the command line, or a background job carrying
out what a person was allowed to start.

Services take the person acting as `actor` and check what that person may do. Commands have no
person: they pass `SYSTEM`, a deliberate choice that is visible at the call site (unlike a default
of None, which a forgetful caller would pass by accident). Services that record who acted record
nobody for `SYSTEM`.
"""


class _System:
    is_authenticated = False
    is_active = True
    is_superuser = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "the system"


SYSTEM = _System()


def is_system(actor) -> bool:
    return actor is SYSTEM


def person(actor):
    """The user to record as having acted: `actor`, or None for `SYSTEM`."""
    return None if actor is SYSTEM else actor
