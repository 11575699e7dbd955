"""The data structure definition (DSD) of the platform's SDMX-CSV, as an SDMX-ML 2.1 structure message.

It describes the file `sdmx_csv` writes: dimensions INDICATOR, REF_AREA (countries by ISO
alpha-3, and the country groups and WORLD whose aggregates the file carries), DATA_SOURCE and
TIME_PERIOD; the measure OBS_VALUE; attributes UNIT_MEASURE, OBS_STATUS (SDMX's A normal, E
estimated), EDITION, COMMENT, ORIGIN and COVERAGE (for aggregates: the share of the group's
people whose value was observed). Code lists carry names in every site language. The message is
built with `sdmx1`'s information model and written by its SDMX-ML writer, so any SDMX tool
(sdmx1, pysdmx, the .Stat suite) can read the CSV against it. `sdmx1` (with pandas) takes a
second and 70 MB to import, so it is imported when a structure is written, not by every process
that lists the downloads.
"""

from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from coalition.common.asof import AsOf
from coalition.indicators.aggregates import WORLD
from coalition.indicators.models import DataSource, Indicator
from coalition.indicators.writers import Writer
from coalition.reference.models import Country, CountryGroup

if TYPE_CHECKING:
    from sdmx.message import StructureMessage

AGENCY = "COALITION"
VERSION = "1.0"
DATAFLOW = "DF_CONNECTIVITY"
STRUCTURE_ID = f"{AGENCY}:{DATAFLOW}({VERSION})"

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
    import sdmx

    stream.write(sdmx.to_xml(sdmx_structure(as_of=as_of, language=language), pretty_print=True))


def sdmx_structure(*, as_of: AsOf, language: str = "en") -> "StructureMessage":
    """The structure message itself, for callers that read the data with `sdmx1` (a test, a notebook)."""
    from sdmx.message import Header, StructureMessage
    from sdmx.model import common
    from sdmx.model import v21 as model

    agency = common.Agency(id=AGENCY)
    languages = [language] + [code for code, _name in settings.LANGUAGES if code != language]

    def names(text) -> dict[str, str]:
        found = {}
        for code in languages:
            with translation.override(code):
                found[code] = str(text)
        return found

    def maintained(cls, id: str, text, **kwargs):
        return cls(id=id, name=names(text), maintainer=agency, version=VERSION, is_final=True,
                   is_external_reference=False, **kwargs)

    def codelist(id: str, text, codes) -> "model.Codelist":
        found = maintained(model.Codelist, id, text)
        for code, name in codes:
            found.append(model.Code(id=code, name={lang: value for lang, value in name.items() if value}))
        return found

    def both(en: str, fr: str) -> dict[str, str]:
        return {"en": en, "fr": fr or en}

    indicators = codelist("CL_INDICATOR", gettext_lazy("Connectivity indicators"), [
        (i.code, both(i.name_en, i.name_fr)) for i in Indicator.objects.order_by("order", "code")])
    world = [(WORLD, names(gettext_lazy("World")))]
    areas = codelist("CL_AREA", gettext_lazy("Countries, country groups and the world"), [
        *((c.iso3, both(c.name_en, c.name_fr)) for c in Country.objects.order_by("iso3")),
        *world,
        *((g.code, both(g.name_en, g.name_fr)) for g in CountryGroup.objects.order_by("kind", "order", "code")),
    ])
    sources = codelist("CL_DATA_SOURCE", gettext_lazy("Publishers of indicator values"), [
        (s.code, {"en": s.name}) for s in DataSource.objects.order_by("code")])
    units = codelist("CL_UNIT", gettext_lazy("Units of measure"), [
        (value, names(label)) for value, label in Indicator.Unit.choices])
    statuses = codelist("CL_OBS_STATUS", gettext_lazy("Observation status"), [
        (NORMAL, names(gettext_lazy("Normal value"))), (ESTIMATED, names(gettext_lazy("Estimated value")))])
    lists = {cl.id: cl for cl in (indicators, areas, sources, units, statuses)}

    concepts = maintained(model.ConceptScheme, "CS_CONNECTIVITY", gettext_lazy("Connectivity concepts"))
    for id, text in CONCEPTS.items():
        concepts.append(common.Concept(id=id, name=names(text)))

    def representation(id: str):
        return common.Representation(enumerated=lists[CODED[id]]) if id in CODED else None

    dsd = maintained(model.DataStructureDefinition, "DSD_CONNECTIVITY",
                     gettext_lazy("Connectivity indicators and group aggregates"))
    for order, id in enumerate(DIMENSIONS, start=1):
        cls = common.TimeDimension if id == "TIME_PERIOD" else common.Dimension
        dsd.dimensions.getdefault(id, cls=cls, concept_identity=concepts[id], order=order,
                                  local_representation=representation(id))
    dsd.measures.getdefault("OBS_VALUE", concept_identity=concepts["OBS_VALUE"])
    for id in ATTRIBUTES:
        dsd.attributes.getdefault(
            id, concept_identity=concepts[id], local_representation=representation(id),
            related_to=model.PrimaryMeasureRelationship(),
            usage_status=model.UsageStatus.mandatory if id == "UNIT_MEASURE" else model.UsageStatus.conditional,
        )
    flow = maintained(model.DataflowDefinition, DATAFLOW, gettext_lazy("Connectivity indicators and group aggregates"),
                      structure=dsd)

    message = StructureMessage(header=Header(id=f"{DATAFLOW}-{as_of.date.isoformat()}", test=False,
                                             prepared=as_of.moment, sender=agency))
    for item in (*lists.values(), concepts, dsd, flow):
        message.add(item)
    return message


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
