"""The indicator catalogue shipped with Coalition: sources, indicators, series codes, 2030 targets.

Authored tables in `data/`, loaded through the reference import runner. Loading only adds what
is missing: an indicator or target an administrator has edited in the admin keeps the edit
(the load counts it `unchanged`), so re-running `coalition indicators load` is always safe.
"""

from collections.abc import Iterator
from pathlib import Path

from coalition.indicators.models import DataSource, Indicator, Series, Target
from coalition.reference.loaders.base import Counts, DuplicateCheck, ImportErrors, Loader, Row, RowError, read_csv

DATA = Path(__file__).resolve().parent / "data"


def _add_missing(model, *, key: tuple[str, ...], rows: list[dict], counts: Counts) -> None:
    existing = set(model.objects.values_list(*key))
    new = [model(**values) for values in rows if tuple(values[name] for name in key) not in existing]
    model.objects.bulk_create(new)
    counts.created += len(new)
    counts.unchanged += len(rows) - len(new)


class CatalogueLoader(Loader):
    kind = "indicator_catalogue"

    def __init__(self, folder: Path = DATA):
        self.folder = Path(folder)
        self.source = str(self.folder)

    def read(self) -> Iterator[Row | RowError]:
        sources = {r["code"] for _, r in read_csv(self.folder / "sources.csv", required=["code", "name"])}
        indicators = set()
        seen = DuplicateCheck("indicator")
        for line, record in read_csv(self.folder / "indicators.csv", required=["code", "unit", "direction", "name_en"]):
            if error := seen.check(record["code"], row=line, column="code"):
                yield error
            if record["unit"] not in Indicator.Unit.values:
                yield RowError(line, "unit", f"{record['unit']!r} is not one of {', '.join(Indicator.Unit.values)}")
            if record["direction"] not in Indicator.Direction.values:
                yield RowError(line, "direction", f"{record['direction']!r} is not one of {', '.join(Indicator.Direction.values)}")
            if record.get("aggregation") and record["aggregation"] not in Indicator.Aggregation.values:
                yield RowError(line, "aggregation", f"{record['aggregation']!r} is not one of {', '.join(Indicator.Aggregation.values)}")
            if record.get("preferred_source") and record["preferred_source"] not in sources:
                yield RowError(line, "preferred_source", f"Unknown source {record['preferred_source']!r}")
            indicators.add(record["code"])
        for line, record in read_csv(self.folder / "series.csv", required=["source", "code", "indicator"]):
            if record["source"] not in sources:
                yield RowError(line, "source", f"Unknown source {record['source']!r}")
            if record["indicator"] not in indicators:
                yield RowError(line, "indicator", f"Unknown indicator {record['indicator']!r}")
        for line, record in read_csv(self.folder / "targets.csv", required=["indicator", "year", "value", "source"]):
            if record["indicator"] not in indicators:
                yield RowError(line, "indicator", f"Unknown indicator {record['indicator']!r}")
            try:
                float(record["value"])
            except ValueError:
                yield RowError(line, "value", f"{record['value']!r} is not a number")
        yield Row(0, {})

    def write(self, rows: list[Row], counts: Counts) -> None:
        read = lambda name: [record for _, record in read_csv(self.folder / name, required=[])]  # noqa: E731
        _add_missing(DataSource, key=("code",), rows=read("sources.csv"), counts=counts)
        source_ids = dict(DataSource.objects.values_list("code", "id"))
        indicator_rows = []
        for record in read("indicators.csv"):
            preferred = record.pop("preferred_source", "")
            indicator_rows.append({
                **record, "order": int(record["order"] or 0), "decimals": int(record["decimals"] or 0),
                "aggregation": record.get("aggregation") or Indicator.Aggregation.WEIGHTED,
                "preferred_source_id": source_ids.get(preferred),
            })
        _add_missing(Indicator, key=("code",), rows=indicator_rows, counts=counts)
        indicator_ids = dict(Indicator.objects.values_list("code", "id"))
        _add_missing(Series, key=("source_id", "code"), counts=counts, rows=[
            {"source_id": source_ids[r["source"]], "code": r["code"], "indicator_id": indicator_ids[r["indicator"]], "note": r["note"]}
            for r in read("series.csv")
        ])
        _add_missing(Target, key=("indicator_id", "year"), counts=counts, rows=[
            {
                "indicator_id": indicator_ids[r["indicator"]], "year": int(r["year"]), "value": float(r["value"]),
                **{name: r[name] for name in ("source", "source_url", "note_en", "note_fr")},
            }
            for r in read("targets.csv")
        ])
        if not Indicator.objects.filter(code="population").exists():
            raise ImportErrors([RowError(None, "code", "The catalogue must define the 'population' indicator")])
