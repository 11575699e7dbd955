"""What both readers yield: one `Record` per plan, pillar, action or deliverable, its fields as text."""

from dataclasses import dataclass, field

from coalition.reference.loaders.base import RowError

PLAN, PILLAR, ACTION, DELIVERABLE = "plan", "pillar", "action", "deliverable"
KINDS = (PLAN, PILLAR, ACTION, DELIVERABLE)

# The fields of each kind of record, as the file names them, with the model field each fills
# (None: a link the loader resolves from a code).
FILE_FIELDS: dict[str, dict[str, str | None]] = {
    PLAN: {
        "slug": "slug", "initiative": None, "name_en": "name_en", "name_fr": "name_fr", "short_name": "short_name",
        "description_en": "description_en", "description_fr": "description_fr", "start_year": "start_year",
        "end_year": "end_year", "endorsed_by": "endorsed_by", "endorsed_on": "endorsed_on",
        "document": "endorsement_document", "document_url": "endorsement_url", "previous": None, "source": "source",
    },
    PILLAR: {
        "code": "code", "name_en": "name_en", "name_fr": "name_fr", "description_en": "description_en",
        "description_fr": "description_fr", "working_group_en": "working_group_en",
        "working_group_fr": "working_group_fr", "weight": "weight", "order": "order", "framework_node": None,
    },
    ACTION: {
        "code": "code", "title_en": "title_en", "title_fr": "title_fr", "description_en": "description_en",
        "description_fr": "description_fr", "lead": None, "partners": None, "countries": None, "start": "start_date",
        "end": "end_date", "status": "status", "weight": "weight", "continues": None, "illustrative": "illustrative",
    },
    DELIVERABLE: {
        "code": "code", "title_en": "title_en", "title_fr": "title_fr", "due": "due_date", "weight": "weight",
        "progress": "progress", "status": "status", "delivered_on": "delivered_on",
    },
}
LIST_FIELDS = frozenset({"partners", "countries"})


@dataclass
class Record:
    """One plan, pillar, action or deliverable as a file gives it: its fields as text (lists for
    partners and countries), where it is in the file, and the code of its parent."""

    kind: str
    values: dict[str, str | list[str]]
    line: int | None
    path: str = ""  # YAML: "pillars[0].actions[2]"; CSV: ""
    lines: dict[str, int] = field(default_factory=dict)  # the line of each field, when it differs
    parent: str = ""  # an action's pillar code, a deliverable's action code
    position: int = 0  # its place among its parent's records, from 1
    aliases: dict[str, str] = field(default_factory=dict)  # CSV: the column of a field named otherwise

    def column(self, name: str) -> str:
        name = self.aliases.get(name, name)
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> RowError:
        """An error on the field `name` (as the file names it), at its line."""
        return RowError(self.lines.get(name, self.line), self.column(name), message)


def file_name_of(kind: str, model_field: str) -> str:
    """The file's name for `model_field` of a `kind` record (errors keyed by model fields name it)."""
    for name, target in FILE_FIELDS[kind].items():
        if target == model_field:
            return name
    return model_field


def split_list(text: str, name: str) -> list[str]:
    """A list written in one cell: partners by semicolons, countries by semicolons, commas or spaces."""
    separators = ";" if name == "partners" else ";, \t"
    items, current = [], ""
    for character in text:
        if character in separators:
            items.append(current)
            current = ""
        else:
            current += character
    items.append(current)
    return [item.strip() for item in items if item.strip()]
