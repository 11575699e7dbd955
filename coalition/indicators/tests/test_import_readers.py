"""Each reader on a small file shaped like the real public one."""

import pytest
from openpyxl import Workbook

from coalition.indicators.models import Indicator
from coalition.indicators.readers import READERS, Value, reader_for
from coalition.indicators.tests.import_fixtures import DATA, sources  # noqa: F401 (fixture)
from coalition.reference.loaders.base import RowError

pytestmark = pytest.mark.django_db


def read(reader):
    items = list(reader)
    return [i for i in items if isinstance(i, Value)], [i for i in items if isinstance(i, RowError)]


def keyed(values, countries):
    codes = {country.pk: iso3 for iso3, country in countries.items()}
    indicators = dict(Indicator.objects.values_list("id", "code"))
    return {(indicators[v.indicator_id], codes[v.country_id], v.year): v for v in values}


def test_world_bank_reader_skips_the_preamble_and_reads_years_as_columns(sources, countries):
    values, errors = read(reader_for("wb-api", DATA / "wb_internet_preamble.csv", source=sources["wb-wdi"]))
    assert errors == []
    got = keyed(values, countries)
    assert sorted(got) == [("internet-use", "KEN", 2019), ("internet-use", "KEN", 2020), ("internet-use", "KEN", 2022),
                           ("internet-use", "VUT", 2021)]
    assert got["internet-use", "KEN", 2022].value == 40.8
    assert got["internet-use", "KEN", 2022].row == 6  # four preamble lines, then the header on line 5


def test_world_bank_reader_skips_aggregates_with_one_warning_per_code(sources):
    reader = reader_for("wb-api", DATA / "wb_internet_preamble.csv", source=sources["wb-wdi"])
    read(reader)
    messages = [w["message"] for w in reader.warnings()]
    assert messages == [
        "WLD (World) is a World Bank aggregate, not a country: 5 values skipped",
        "XKX (Kosovo (World Bank code)) is not in ISO 3166: 1 value skipped",
        "LDC (Least developed countries: UN classification) is a World Bank aggregate, not a country: 2 values skipped",
    ]
    assert reader.skipped == 8


def test_world_bank_reader_reads_files_without_a_preamble(sources, countries):
    values, errors = read(reader_for("wb-api", DATA / "wb_internet.csv", source=sources["wb-wdi"]))
    assert errors == [] and len(values) == 4
    assert values[0].row == 2


def test_itu_reader_maps_series_and_skips_the_ones_outside_the_catalogue(sources, countries):
    reader = reader_for("itu-datahub", DATA / "itu_coverage.csv", source=sources["itu-datahub"])
    values, errors = read(reader)
    assert errors == []
    got = keyed(values, countries)
    assert sorted(got) == [("coverage-3g", "NPL", 2012), ("coverage-4g", "BTN", 2023),
                           ("coverage-4g", "KEN", 2022), ("coverage-4g", "KEN", 2023)]
    assert got["coverage-4g", "KEN", 2023].value == 97.0  # written 9.7e+001
    assert got["coverage-3g", "NPL", 2012].value == pytest.approx(13.2195)
    assert got["coverage-4g", "KEN", 2023].is_estimate and got["coverage-3g", "NPL", 2012].is_estimate
    assert not got["coverage-4g", "KEN", 2022].is_estimate
    assert got["coverage-4g", "KEN", 2022].origin == "Communications Authority of Kenya"
    assert got["coverage-4g", "BTN", 2023].note == "Data refer to 31st December."
    assert [w["message"] for w in reader.warnings()] == [
        "Series 'i271pop' (At least 2G) is not in the catalogue for itu-datahub: 3 values skipped",
        "ASC (Ascension (ITU code)) is not in ISO 3166: 1 value skipped",
    ]


def test_tidy_reader_reads_codes_of_the_platform_and_of_the_source(sources, countries):
    values, errors = read(reader_for("tidy", DATA / "tidy.csv", source=sources["itu-datahub"]))
    assert errors == []
    got = keyed(values, countries)
    assert sorted(got) == [("households-internet", "NPL", 2022), ("internet-use", "FRA", 2023),
                           ("internet-use", "KEN", 2023), ("internet-use", "NPL", 2023)]
    assert got["internet-use", "NPL", 2023].is_estimate and got["internet-use", "NPL", 2023].note == "Preliminary"
    assert got["internet-use", "KEN", 2023].origin == "Communications Authority of Kenya"


def test_tidy_reader_accepts_the_population_layout_when_given_the_indicator(sources, countries):
    population = Indicator.objects.get(code="population")
    reader = reader_for("tidy", DATA / "population.csv", source=sources["wb-wdi"], indicator=population)
    values, errors = read(reader)
    assert errors == []
    assert {(v.country_id, v.year, v.value) for v in values} >= {(countries["KEN"].pk, 2023, 55100586.0)}
    assert len(values) == 4 and reader.skipped == 1


def test_tidy_reader_needs_the_indicator_column_when_none_is_given(sources):
    _, errors = read(reader_for("tidy", DATA / "population.csv", source=sources["wb-wdi"]))
    assert [(e.row, e.column) for e in errors] == [(1, "indicator")]


def test_sdmx_reader_keeps_totals_reads_m49_codes_estimates_and_unit_multipliers(sources, countries):
    reader = reader_for("sdmx-csv", DATA / "sdmx.csv", source=sources["itu-datahub"])
    values, errors = read(reader)
    assert errors == []
    got = keyed(values, countries)
    assert sorted(got) == [("internet-use", "BTN", 2023), ("internet-use", "KEN", 2022), ("internet-use", "NPL", 2022)]
    assert got["internet-use", "KEN", 2022].is_estimate and got["internet-use", "KEN", 2022].note == "ITU estimate"
    assert got["internet-use", "BTN", 2023].value == pytest.approx(88.0)
    assert [w["message"] for w in reader.warnings()] == [
        "Breakdown SEX=F (only totals are kept): 1 value skipped",
        "Series 'IT_MOB_OWN' is not in the catalogue for itu-datahub: 1 value skipped",
    ]


def test_xlsx_reader_reads_the_tidy_columns_on_the_first_sheet(sources, countries, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["country", "indicator", "year", "value", "estimate"])
    sheet.append(["KEN", "internet-use", 2023, 40.8, "no"])
    sheet.append(["NPL", "internet-use", 2023.0, 55.8, "yes"])
    sheet.append(["BTN", "internet-use", 2023, "lots", None])
    book.save(tmp_path / "values.xlsx")
    values, errors = read(reader_for("xlsx", tmp_path / "values.xlsx", source=sources["itu-datahub"]))
    assert [(e.row, e.column) for e in errors] == [(4, "value")]
    got = keyed(values, countries)
    assert got["internet-use", "NPL", 2023].value == 55.8 and got["internet-use", "NPL", 2023].is_estimate


def test_formats_that_name_their_series_take_no_indicator(sources):
    internet = Indicator.objects.get(code="internet-use")
    naming = [format for format, reader in READERS.items() if not reader.takes_indicator]
    assert naming == ["wb-api", "itu-datahub", "sdmx-csv"]
    for format in naming:
        with pytest.raises(TypeError, match=f"The {format} format names its series in the file"):
            reader_for(format, DATA / "tidy.csv", source=sources["wb-wdi"], indicator=internet)


def test_itu_reader_imports_jersey_and_guernsey_under_their_iso_codes(sources, countries, tmp_path):
    from coalition.reference.models import Country

    jersey = Country.objects.create(iso3="JEY", iso2="JE", numeric="832", name_en="Jersey", name_fr="Jersey")
    guernsey = Country.objects.create(iso3="GGY", iso2="GG", numeric="831", name_en="Guernsey", name_fr="Guernesey")
    header = (DATA / "itu_coverage.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    path = tmp_path / "itu.csv"
    path.write_text("\n".join([
        header,
        '1,"i271GA","At least LTE/WiMAX",,"%",240,"GBJ","Jersey","99",2023,"","",""',
        '1,"i271GA","At least LTE/WiMAX",,"%",241,"AAA","Guernsey","98",2023,"","",""',
    ]) + "\n", encoding="utf-8")
    reader = reader_for("itu-datahub", path, source=sources["itu-datahub"])
    values, errors = read(reader)
    assert errors == [] and reader.warnings() == []
    assert {(v.country_id, v.value) for v in values} == {(jersey.pk, 99.0), (guernsey.pk, 98.0)}
