"""The project's own list of beneficiary groups a pledge can name (women, youth, ...)."""

from collections.abc import Iterator

from django.utils.text import slugify

from coalition.reference.loaders.base import (
    DATA_DIR,
    Counts,
    DuplicateCheck,
    FileLoader,
    Row,
    RowError,
    parse_int,
    read_csv,
    sync,
)
from coalition.reference.models import BeneficiaryGroup

COLUMNS = ["code", "order", "name_en", "name_fr", "source"]


class BeneficiaryGroupLoader(FileLoader):
    kind = "beneficiary_groups"

    default_path = DATA_DIR / "beneficiary_groups.csv"

    def read(self) -> Iterator[Row | RowError]:
        codes = DuplicateCheck("code")
        for line, record in read_csv(self.path, required=COLUMNS):
            errors = []
            if not record["code"] or slugify(record["code"]) != record["code"]:
                errors.append(RowError(line, "code", f"{record['code']!r} is not a slug (lower-case letters, digits, hyphens)"))
            order = parse_int(record["order"], row=line, column="order", low=0, high=1000)
            for problem in (order, codes.check(record["code"], row=line, column="code")):
                if isinstance(problem, RowError):
                    errors.append(problem)
            if not record["name_en"]:
                errors.append(RowError(line, "name_en", "English name is empty"))
            if errors:
                yield from errors
                continue
            yield Row(line, {"code": record["code"], "order": order, "name_en": record["name_en"], "name_fr": record["name_fr"]})

    def write(self, rows: list[Row], counts: Counts) -> None:
        # Not deleted when dropped from the file: pledges keep pointing at them.
        sync(BeneficiaryGroup, key=["code"], rows=(row.data for row in rows), counts=counts)
