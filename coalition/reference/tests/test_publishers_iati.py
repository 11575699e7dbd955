"""IATI schema and codelists from iatistandard.org (recorded answers in recorded/iati/, no network):
written unchanged to iati/ and iati/codelists/, the schema compiling from there; a file that is not
the XML expected is refused, naming IATI and the URL, with nothing written."""

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from coalition.common.downloads import MANIFEST, FormatChanged, sha256_hex
from coalition.common.tests.recorded import Recorded
from coalition.reference.publishers.iati import CODELISTS, SCHEMAS, codelist_url, fetch_iati, schema_url

RECORDED = Path(__file__).resolve().parent / "recorded" / "iati"
SOME = ("ActivityStatus", "Sector")


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def site(**changed: bytes) -> dict[str, bytes]:
    """IATI's answers by URL: the recorded files, with `changed` (file name → bytes) in their place."""
    answers = {schema_url(name): recorded(name) for name in SCHEMAS}
    answers |= {codelist_url(name): recorded(f"{name}.xml") for name in SOME}
    for name, body in changed.items():
        url = schema_url(name) if name.endswith(".xsd") else codelist_url(name.removesuffix(".xml"))
        answers[url] = body
    return answers


def test_the_schema_and_codelists_are_written_unchanged_where_the_export_looks_for_them(tmp_path):
    fetched = fetch_iati(tmp_path, codelists=SOME, get=Recorded(site()))

    assert [f.name for f in fetched] == ["iati/iati-activities-schema.xsd", "iati/iati-common.xsd", "iati/xml.xsd",
                                         "iati/codelists/ActivityStatus.xml", "iati/codelists/Sector.xml"]
    for f in fetched:
        assert (tmp_path / f.name).read_bytes() == recorded(Path(f.name).name)
        assert (f.kind, f.format, f.source, f.sha256) == ("reference", "iati", "IATI", sha256_hex(recorded(Path(f.name).name)))
    assert [f.edition for f in fetched[:3]] == ["2.03", "2.03", "2.03"]
    assert fetched[4].edition == f"2.03-{sha256_hex(recorded('Sector.xml'))[:8]}"
    assert fetched[0].url == "https://iatistandard.org/reference_downloads/203/schema/downloads/iati-activities-schema.xsd"
    assert fetched[4].url == "https://iatistandard.org/reference_downloads/203/codelists/downloads/clv3/xml/Sector.xml"


def test_the_written_schema_validates_an_activity_file_and_the_codelists_read_as_the_export_reads_them(tmp_path):
    fetch_iati(tmp_path, codelists=SOME, get=Recorded(site()))

    schema = etree.XMLSchema(etree.parse(str(tmp_path / "iati" / "iati-activities-schema.xsd")))
    activity = etree.fromstring(b'<iati-activities version="2.03"><iati-activity xml:lang="en">'
                                b"<iati-identifier>XM-DAC-41114-1</iati-identifier><narrative>Fibre</narrative>"
                                b"</iati-activity></iati-activities>")
    assert schema.validate(activity), schema.error_log
    sectors = etree.parse(str(tmp_path / "iati" / "codelists" / "Sector.xml"))
    assert {item.findtext("code") for item in sectors.iter("codelist-item") if item.get("status") != "withdrawn"} == {"22040"}


def test_by_default_every_codelist_the_iati_export_is_checked_against_is_fetched():
    checked = (Path(__file__).resolve().parents[2] / "opendata" / "tests" / "test_iati_activities.py").read_text()
    used = set(re.findall(r'_codes\("(\w+)"\)', checked)) | set(re.findall(r'\("\w+", "([A-Z]\w+)"\)', checked))

    assert {"Sector", "Currency", "ActivityStatus", "BudgetType"} <= used
    assert used <= set(CODELISTS)
    assert set(SCHEMAS) == {"iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"}


@pytest.mark.parametrize(("changed", "found"), [
    ({"Sector.xml": recorded("not-found.html")}, "expected an XML document, found not XML"),
    ({"Sector.xml": recorded("ActivityStatus.xml")}, "found the root <codelist name='ActivityStatus'>"),
    ({"Sector.xml": b'<codelist name="Sector"><metadata/></codelist>'}, "expected a <codelist-items> element"),
    ({"iati-common.xsd": recorded("iati-common.xsd").replace(b'version="2.03"', b'version="2.04"')},
     "expected a schema of version 2.03, found version '2.04'"),
    ({"iati-activities-schema.xsd": recorded("ActivityStatus.xml")}, "found the root <codelist>"),
    ({"xml.xsd": recorded("iati-common.xsd")}, "found targetNamespace None"),
])
def test_a_file_in_another_shape_is_refused_naming_iati_and_the_url_and_nothing_is_written(tmp_path, changed, found):
    [(name, _body)] = changed.items()
    url = schema_url(name) if name.endswith(".xsd") else codelist_url(name.removesuffix(".xml"))

    with pytest.raises(FormatChanged) as refused:
        fetch_iati(tmp_path, codelists=SOME, get=Recorded(site(**changed)))

    assert str(refused.value).startswith(f"IATI (iatistandard.org) changed its format at {url}: ")
    assert found in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    first = fetch_iati(tmp_path, codelists=SOME, get=Recorded(site()))
    for f in first:
        os.utime(tmp_path / f.name, ns=(1_000_000_000, 1_000_000_000))
    before = {f.name: os.stat(tmp_path / f.name) for f in first}
    manifest = (tmp_path / MANIFEST).read_bytes()

    again = fetch_iati(tmp_path, codelists=SOME, get=Recorded(site()))

    assert [(f.changed, f.edition, f.retrieved) for f in again] == [(False, f.edition, f.retrieved) for f in first]
    for name, stat in before.items():
        assert (os.stat(tmp_path / name).st_ino, os.stat(tmp_path / name).st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert (tmp_path / MANIFEST).read_bytes() == manifest


def test_a_revised_codelist_is_a_new_edition_and_only_it_is_written(tmp_path):
    first = fetch_iati(tmp_path, codelists=SOME, get=Recorded(site()))
    revised = recorded("Sector.xml").replace(b"<code>22040</code>", b"<code>22040</code><!-- revised -->")

    again = fetch_iati(tmp_path, codelists=SOME, get=Recorded(site(**{"Sector.xml": revised})))

    assert [f.changed for f in again] == [False, False, False, False, True]
    assert again[4].edition != first[4].edition and again[4].edition.startswith("2.03-")
    assert (tmp_path / "iati" / "codelists" / "Sector.xml").read_bytes() == revised
