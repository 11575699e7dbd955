"""The project's own tables of initiatives (coalitions, action plans) and their frameworks."""

from collections.abc import Iterator

from django.utils.text import slugify

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    depth_layers,
    parse_int,
    read_csv,
    sync,
)
from coalition.reference.models import FrameworkNode, Initiative

INITIATIVE_COLUMNS = [
    "slug", "kind", "short_name", "name_en", "name_fr", "description_en", "description_fr",
    "host", "mandate", "start_year", "end_year",
]
FRAMEWORK_COLUMNS = ["initiative", "code", "parent", "level", "order", "name_en", "name_fr", "description_en", "description_fr"]


class InitiativeLoader(FileLoader):
    kind = "initiatives"

    default_path = DATA_DIR / "initiatives.csv"

    def read(self) -> Iterator[Row | RowError]:
        slugs = DuplicateCheck("initiative")
        for line, record in read_csv(self.path, required=INITIATIVE_COLUMNS):
            errors = []
            if not record["slug"] or slugify(record["slug"]) != record["slug"]:
                errors.append(RowError(line, "slug", f"{record['slug']!r} is not a slug"))
            if record["kind"] not in Initiative.Kind.values:
                errors.append(RowError(line, "kind", f"Unknown kind {record['kind']!r}; expected one of {', '.join(Initiative.Kind.values)}"))
            for column in ("short_name", "name_en"):
                if not record[column]:
                    errors.append(RowError(line, column, f"{column} is empty"))
            years = {}
            for column in ("start_year", "end_year"):
                years[column] = parse_int(record[column], row=line, column=column, low=1990, high=2100) if record[column] else None
            duplicate = slugs.check(record["slug"], row=line, column="slug")
            errors += [e for e in (*years.values(), duplicate) if isinstance(e, RowError)]
            if errors:
                yield from errors
                continue
            yield Row(line, {**{c: record[c] for c in INITIATIVE_COLUMNS}, **years})

    def write(self, rows: list[Row], counts: Counts) -> None:
        sync(Initiative, key=["slug"], rows=(row.data for row in rows), counts=counts)


class FrameworkLoader(FileLoader):
    """Framework nodes; parents must come before children, initiatives must be loaded first."""

    kind = "framework"

    default_path = DATA_DIR / "framework.csv"

    def read(self) -> Iterator[Row | RowError]:
        initiatives = dict(Initiative.objects.values_list("slug", "id"))
        codes = DuplicateCheck("framework code")
        for line, record in read_csv(self.path, required=FRAMEWORK_COLUMNS):
            errors = []
            if record["initiative"] not in initiatives:
                errors.append(RowError(line, "initiative", f"Unknown initiative {record['initiative']!r}; load initiatives first"))
            if record["level"] not in FrameworkNode.Level.values:
                errors.append(RowError(line, "level", f"Unknown level {record['level']!r}; expected one of {', '.join(FrameworkNode.Level.values)}"))
            if not record["code"]:
                errors.append(RowError(line, "code", "Code is empty"))
            if record["parent"] and (record["initiative"], record["parent"]) not in codes.seen:
                errors.append(RowError(line, "parent", f"Parent {record['parent']!r} must be listed on an earlier line of the same initiative"))
            if not record["name_en"]:
                errors.append(RowError(line, "name_en", "English name is empty"))
            order = parse_int(record["order"], row=line, column="order", low=0, high=10_000)
            duplicate = codes.check((record["initiative"], record["code"]), row=line, column="code")
            errors += [e for e in (order, duplicate) if isinstance(e, RowError)]
            if errors:
                yield from errors
                continue
            yield Row(line, {**record, "order": order, "initiative_id": initiatives[record["initiative"]]})

    def write(self, rows: list[Row], counts: Counts) -> None:
        ids: dict[tuple[int, str], int] = {}
        # Tree layers are per file, so the parent key includes the initiative.
        for row in rows:
            row.data["tree_code"] = f"{row.data['initiative']}/{row.data['code']}"
            row.data["tree_parent"] = f"{row.data['initiative']}/{row.data['parent']}" if row.data["parent"] else ""
        for layer in depth_layers(rows, code="tree_code", parent="tree_parent"):
            values = []
            for row in layer:
                data = row.data
                values.append(
                    {
                        "initiative_id": data["initiative_id"],
                        "code": data["code"],
                        "parent_id": ids[(data["initiative_id"], data["parent"])] if data["parent"] else None,
                        "level": data["level"],
                        "order": data["order"],
                        **{c: data[c] for c in ("name_en", "name_fr", "description_en", "description_fr")},
                    }
                )
            synced = sync(FrameworkNode, key=["initiative_id", "code"], rows=values, counts=counts)
            ids.update({key: node.pk for key, node in synced.items()})
