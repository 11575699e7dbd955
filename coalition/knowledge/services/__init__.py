"""Writes to the good-practice library: practices (create, update, move through review, start from
a progress report, assign a reviewer) and their attachments."""

from coalition.knowledge.services.attachments import attachment_add, attachment_remove
from coalition.knowledge.services.practices import (
    practice_assign,
    practice_create,
    practice_data,
    practice_from_report,
    practice_move,
    practice_update,
)

__all__ = [
    "attachment_add",
    "attachment_remove",
    "practice_assign",
    "practice_create",
    "practice_data",
    "practice_from_report",
    "practice_move",
    "practice_update",
]
