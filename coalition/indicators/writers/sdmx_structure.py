"""The data structure definition (DSD) of the platform's SDMX-CSV, as an SDMX-ML 2.1 structure message.

It describes the file `sdmx_csv` writes: dimensions INDICATOR, REF_AREA (countries by ISO
alpha-3, and the country groups and WORLD whose aggregates the file carries), DATA_SOURCE and
TIME_PERIOD; the measure OBS_VALUE; attributes UNIT_MEASURE, OBS_STATUS (SDMX's A normal, E
estimated), EDITION, COMMENT, ORIGIN and COVERAGE (for aggregates: the share of the group's
people whose value was observed). Code lists carry names in every site language. The message is
written with lxml, element by element as SDMX-ML 2.1 lays it out, so any SDMX tool (sdmx1,
pysdmx, the .Stat suite) can read the CSV against it; the tests read it back with sdmx1. sdmx1's
own writer would do the same, but importing it (with pandas) costs 42 MiB that the open-data
build, which streams a million pledges in as little memory as it can, would then keep.
"""

from typing import BinaryIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from lxml import etree

from coalition.common.asof import AsOf
from coalition.indicators.aggregates import WORLD
from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.writers import Writer
from coalition.reference.models import Country, CountryGroup

AGENCY = "COALITION"
VERSION = "1.0"
DATAFLOW = "DF_CONNECTIVITY"
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"
DSD = "DSD_CONNECTIVITY"
CONCEPT_SCHEME = "CS_CONNECTIVITY"

# SDMX-ML 2.1 namespaces (Ref elements are in none, as the schema has them).
MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

DIMENSIONS = ("INDICATOR", "REF_AREA", "DATA_SOURCE", "TIME_PERIOD")
ATTRIBUTES = ("UNIT_MEASURE", "OBS_STATUS", "EDITION", "COMMENT", "ORIGIN", "COVERAGE")
NORMAL, ESTIMATED = "A", "E"  # SDMX cross-domain code list CL_OBS_STATUS

CONCEPTS = {
    "INDICATOR": gettext_lazy("Indicator"),
    "REF_AREA": gettext_lazy("Reference area (country, country group or the world)"),
    "DATA_SOURCE": gettext_lazy("Publisher of the value"),
    "TIME_PERIOD": gettext_lazy("Year"),
    "OBS_VALUE": gettext_lazy("Value"),
    "UNIT_MEASURE": gettext_lazy("Unit of measure"),
    "OBS_STATUS": gettext_lazy("Observation status"),
    "EDITION": gettext_lazy("Edition of the source that gave the value"),
    "COMMENT": gettext_lazy("The source's note on the value"),
    "ORIGIN": gettext_lazy("Who reported the value to the source"),
    "COVERAGE": gettext_lazy("Share of the group's population whose value was observed, not imputed (0–1)"),
}
CODED = {"INDICATOR": "CL_INDICATOR", "REF_AREA": "CL_AREA", "DATA_SOURCE": "CL_DATA_SOURCE",
         "UNIT_MEASURE": "CL_UNIT", "OBS_STATUS": "CL_OBS_STATUS"}


def sdmx_structure_write(*, stream: BinaryIO, as_of: AsOf, language: str = "en") -> None:
    """Write the SDMX-ML 2.1 structure message (code lists, concepts, DSD, dataflow) describing
    the SDMX-CSV file to `stream` (binary). Names are given in every site language; `language`
    comes first. The message's date is the as-of moment, so the same moment gives the same bytes."""
    stream.write(etree.tostring(_message(as_of=as_of, language=language), xml_declaration=True, encoding="utf-8",
                                pretty_print=True))


def _message(*, as_of: AsOf, language: str) -> etree._Element:
    languages = [language] + [code for code, _name in settings.LANGUAGES if code != language]

    def names(text) -> dict[str, str]:
        found = {}
        for code in languages:
            with translation.override(code):
                found[code] = str(text)
        return found

    def both(en: str, fr: str) -> dict[str, str]:
        return {"en": en, "fr": fr or en}

    def named(parent, tag: str, attributes: dict, name: dict[str, str]) -> etree._Element:
        element = etree.SubElement(parent, tag, attributes)
        for code in sorted(name, key=lambda code: languages.index(code) if code in languages else len(languages)):
            if name[code]:
                etree.SubElement(element, f"{{{COM}}}Name", {XML_LANG: code}).text = name[code]
        return element

    def maintained(parent, tag: str, id: str, text) -> etree._Element:
        return named(parent, f"{{{STR}}}{tag}", {"id": id, "agencyID": AGENCY, "version": VERSION, "isFinal": "true",
                                                 "isExternalReference": "false"}, names(text))

    def ref(parent, tag: str, **attributes) -> None:
        etree.SubElement(etree.SubElement(parent, f"{{{STR}}}{tag}"), "Ref", attributes)

    root = etree.Element(f"{{{MES}}}Structure", nsmap={"mes": MES, "str": STR, "com": COM})
    header = etree.SubElement(root, f"{{{MES}}}Header")
    etree.SubElement(header, f"{{{MES}}}ID").text = f"{DATAFLOW}-{as_of.date.isoformat()}"
    etree.SubElement(header, f"{{{MES}}}Test").text = "false"
    etree.SubElement(header, f"{{{MES}}}Prepared").text = as_of.moment.isoformat()
    etree.SubElement(header, f"{{{MES}}}Sender", {"id": AGENCY})
    structures = etree.SubElement(root, f"{{{MES}}}Structures")

    flows = etree.SubElement(structures, f"{{{STR}}}Dataflows")
    flow = maintained(flows, "Dataflow", DATAFLOW, gettext_lazy("Connectivity indicators and group aggregates"))
    etree.SubElement(etree.SubElement(flow, f"{{{STR}}}Structure"), "Ref", {
        "id": DSD, "version": VERSION, "agencyID": AGENCY, "package": "datastructure", "class": "DataStructure"})

    codelists = etree.SubElement(structures, f"{{{STR}}}Codelists")
    for id, text, codes in (
        ("CL_INDICATOR", gettext_lazy("Connectivity indicators"),
         [(i.code, both(i.name_en, i.name_fr)) for i in Indicator.objects.order_by("order", "code")]),
        ("CL_AREA", gettext_lazy("Countries, country groups and the world"), [
            *((c.iso3, both(c.name_en, c.name_fr)) for c in Country.objects.order_by("iso3")),
            (WORLD, names(gettext_lazy("World"))),
            *((g.code, both(g.name_en, g.name_fr)) for g in CountryGroup.objects.order_by("kind", "order", "code")),
        ]),
        ("CL_DATA_SOURCE", gettext_lazy("Publishers of indicator values"),
         [(s.code, {"en": s.name}) for s in DataSource.objects.order_by("code")]),
        ("CL_UNIT", gettext_lazy("Units of measure"), [(value, names(label)) for value, label in Indicator.Unit.choices]),
        ("CL_OBS_STATUS", gettext_lazy("Observation status"),
         [(NORMAL, names(gettext_lazy("Normal value"))), (ESTIMATED, names(gettext_lazy("Estimated value")))]),
    ):
        codelist = maintained(codelists, "Codelist", id, text)
        for code, name in codes:
            named(codelist, f"{{{STR}}}Code", {"id": code}, name)

    concepts = etree.SubElement(structures, f"{{{STR}}}Concepts")
    scheme = maintained(concepts, "ConceptScheme", CONCEPT_SCHEME, gettext_lazy("Connectivity concepts"))
    for id, text in CONCEPTS.items():
        named(scheme, f"{{{STR}}}Concept", {"id": id}, names(text))

    def component(parent, tag: str, id: str, **attributes) -> etree._Element:
        element = etree.SubElement(parent, f"{{{STR}}}{tag}", {"id": id, **attributes})
        ref(element, "ConceptIdentity", id=id, maintainableParentID=CONCEPT_SCHEME, maintainableParentVersion=VERSION,
            agencyID=AGENCY, package="conceptscheme", **{"class": "Concept"})
        if id in CODED:
            enumeration = etree.SubElement(etree.SubElement(element, f"{{{STR}}}LocalRepresentation"),
                                           f"{{{STR}}}Enumeration")
            etree.SubElement(enumeration, "Ref", {"id": CODED[id], "version": VERSION, "agencyID": AGENCY,
                                                  "package": "codelist", "class": "Codelist"})
        return element

    structures_list = etree.SubElement(structures, f"{{{STR}}}DataStructures")
    dsd = maintained(structures_list, "DataStructure", DSD, gettext_lazy("Connectivity indicators and group aggregates"))
    components = etree.SubElement(dsd, f"{{{STR}}}DataStructureComponents")
    dimensions = etree.SubElement(components, f"{{{STR}}}DimensionList", {"id": "DimensionDescriptor"})
    for position, id in enumerate(DIMENSIONS, start=1):
        component(dimensions, "TimeDimension" if id == "TIME_PERIOD" else "Dimension", id, position=str(position))
    attributes = etree.SubElement(components, f"{{{STR}}}AttributeList", {"id": "AttributeDescriptor"})
    for id in ATTRIBUTES:
        attribute = component(attributes, "Attribute", id,
                              assignmentStatus="Mandatory" if id == "UNIT_MEASURE" else "Conditional")
        relationship = etree.SubElement(etree.SubElement(attribute, f"{{{STR}}}AttributeRelationship"),
                                        f"{{{STR}}}PrimaryMeasure")
        etree.SubElement(relationship, "Ref", {"id": "OBS_VALUE"})
    measures = etree.SubElement(components, f"{{{STR}}}MeasureList", {"id": "MeasureDescriptor"})
    component(measures, "PrimaryMeasure", "OBS_VALUE")
    return root


SDMX_STRUCTURE = Writer(
    slug="sdmx-structure",
    title=gettext_lazy("Structure of the indicator data (SDMX-ML)"),
    description=gettext_lazy(
        "The data structure definition of the SDMX-CSV file: its dimensions, attributes and code lists "
        "(indicators, countries and country groups, sources, units), as an SDMX-ML 2.1 structure message."),
    media_type="application/vnd.sdmx.structure+xml; version=2.1",
    file_name="connectivity-structure.xml",
    write=sdmx_structure_write,
    binary=True,
)
