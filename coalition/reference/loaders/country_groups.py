"""The project's own table of country groups (codes, kinds, EN/FR names, hierarchy)."""

from collections.abc import Iterator

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
from coalition.reference.models import CountryGroup

COLUMNS = ["code", "kind", "parent", "order", "name_en", "name_fr", "source", "note"]


class CountryGroupLoader(FileLoader):
    kind = "country_groups"

    default_path = DATA_DIR / "country_groups.csv"

    def read(self) -> Iterator[Row | RowError]:
        codes = DuplicateCheck("group code")
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            if not record["code"]:
                errors.append(RowError(line, "code", "Group code is empty"))
            if record["kind"] not in CountryGroup.Kind.values:
                errors.append(RowError(line, "kind", f"Unknown kind {record['kind']!r}; expected one of {', '.join(CountryGroup.Kind.values)}"))
            if record["parent"] and record["parent"] not in codes.seen:
                errors.append(RowError(line, "parent", f"Parent {record['parent']!r} must be listed on an earlier line"))
            if not record["name_en"]:
                errors.append(RowError(line, "name_en", "English name is empty"))
            order = parse_int(record["order"] or "0", row=line, column="order", low=0, high=10_000)
            duplicate = codes.check(record["code"], row=line, column="code")
            errors += [e for e in (order, duplicate) if isinstance(e, RowError)]
            if errors:
                yield from errors
                continue
            yield Row(line, {**record, "order": order})

    def write(self, rows: list[Row], counts: Counts) -> None:
        # Groups are never deleted here: memberships hang off them and carry history.
        ids: dict[str, int] = {}
        for layer in depth_layers(rows, code="code", parent="parent"):
            values = [
                {
                    "code": row.data["code"],
                    "kind": row.data["kind"],
                    "parent_id": ids[row.data["parent"]] if row.data["parent"] else None,
                    "order": row.data["order"],
                    "name_en": row.data["name_en"],
                    "name_fr": row.data["name_fr"],
                    "source": row.data["source"],
                    "note": row.data["note"],
                }
                for row in layer
            ]
            synced = sync(CountryGroup, key=["code"], rows=values, counts=counts)
            ids.update({code: group.pk for (code,), group in synced.items()})
