"""An indicator value in a cell formatted as a percentage reads as the percentage it shows (0.3 shown as
30 % is 30, the catalogue's 0–100 scale), as does a value typed as "30,5 %"."""

import pytest
from openpyxl import Workbook

from coalition.indicators.models import Indicator
from coalition.indicators.readers import Value, reader_for
from coalition.indicators.tests.import_fixtures import sources  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def values_by_country(reader, countries) -> tuple[dict, list]:
    items = list(reader)
    codes = {country.pk: iso3 for iso3, country in countries.items()}
    internet = Indicator.objects.get(code="internet-use").pk
    values = {codes[i.country_id]: i.value for i in items if isinstance(i, Value) and i.indicator_id == internet}
    return values, [i for i in items if not isinstance(i, Value)]


def test_a_percent_cell_and_a_percentage_typed_as_text_read_as_shown(sources, countries, tmp_path):  # noqa: F811
    book = Workbook()
    sheet = book.active
    sheet.append(["country", "indicator", "year", "value"])
    sheet.append(["KEN", "internet-use", 2023, 0.408])
    sheet["D2"].number_format = "0.0%"
    sheet.append(["NPL", "internet-use", 2023, "55,8 %"])
    sheet.append(["BTN", "internet-use", 2023, 88.2])
    book.save(tmp_path / "values.xlsx")

    values, errors = values_by_country(
        reader_for("xlsx", tmp_path / "values.xlsx", source=sources["itu-datahub"]), countries)

    assert errors == []
    assert values == {"KEN": pytest.approx(40.8), "NPL": pytest.approx(55.8), "BTN": pytest.approx(88.2)}
