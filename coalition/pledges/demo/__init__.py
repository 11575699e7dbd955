"""Demo data: a realistic, clearly flagged registry of entities and pledges with their full history.

`demo_generate` writes it fast enough for a million pledges (bulk rows, no ORM per object);
`demo_reset` removes it; `demo_accounts_ensure` provides accounts to explore it with.
"""

from .accounts import demo_accounts_ensure, demo_focal_point_link
from .context import ReferenceDataMissing
from .entities import entity_count_for
from .generate import DemoDataExists, demo_exists, demo_generate
from .reset import DemoDataInUse, demo_reset
from .summary import demo_summary

__all__ = [
    "DemoDataExists",
    "DemoDataInUse",
    "ReferenceDataMissing",
    "demo_accounts_ensure",
    "demo_exists",
    "demo_focal_point_link",
    "demo_generate",
    "demo_reset",
    "demo_summary",
    "entity_count_for",
]
