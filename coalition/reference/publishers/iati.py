"""IATI: the 2.03 activity schema and the codelists the IATI export uses, from IATI's own site.

IATI publishes each version of its standard under https://iatistandard.org/reference_downloads/
<version>/: the schemas as `schema/downloads/<file>.xsd` (iati-activities-schema.xsd, which
includes iati-common.xsd and imports xml.xsd from the same folder) and every codelist, core and
non-embedded, as `codelists/downloads/clv3/xml/<Name>.xml` (`<codelist name="Sector" …>
<metadata>…</metadata><codelist-items><codelist-item><code>…`, the format of IATI's
IATI-Codelists repositories). The files are kept unchanged in `iati/` and `iati/codelists/`,
the layout the IATI activity export validates against.

Edition: a schema's `version` attribute ("2.03"; xml.xsd, which is W3C's and has none, takes
the activity schema's). A codelist carries no version of its own and IATI changes non-embedded
ones (sectors, currencies) between versions of the standard, so its edition is the standard's
version and the first 8 hex digits of the file's SHA-256.
"""

from pathlib import Path

from lxml import etree

from coalition.common.downloads import (
    Fetched,
    FormatChanged,
    Get,
    Manifest,
    Progress,
    http_get,
    reporting,
    sha256_hex,
    store_all,
)

PUBLISHER = "IATI (iatistandard.org)"
SOURCE = "IATI"
VERSION = "2.03"
BASE = "https://iatistandard.org/reference_downloads/203"
XSD = "{http://www.w3.org/2001/XMLSchema}"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
SCHEMAS = ("iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd")
# The codelists coalition.opendata.iati checks its export against (reference.fetching lists the same).
CODELISTS = ("ActivityStatus", "BudgetType", "OrganisationRole", "TransactionType", "Sector", "SectorVocabulary",
             "OrganisationType", "Currency", "AidType", "FinanceType", "FlowType", "TagVocabulary")


def schema_url(name: str) -> str:
    return f"{BASE}/schema/downloads/{name}"


def codelist_url(name: str) -> str:
    return f"{BASE}/codelists/downloads/clv3/xml/{name}.xml"


def fetch_iati(dest: Path, *, codelists: tuple[str, ...] = CODELISTS, get: Get = http_get,
               progress: Progress | None = None, manifest: Manifest | None = None) -> list[Fetched]:
    """Download the three schema files into dest/iati/ and the codelists into dest/iati/codelists/.

    Every file is downloaded and checked before any is written: a file that is not XML with
    the root element expected raises FormatChanged and leaves the folder as it was. Raises
    DownloadError when a download fails.
    """
    fetch = reporting(get, progress)

    def download(url: str) -> tuple[bytes, etree._Element]:
        content = fetch(url)
        return content, _root(content, url)

    checked = []
    for name in SCHEMAS:
        url = schema_url(name)
        content, root = download(url)
        edition = _check_schema(name, root, url) or VERSION  # xml.xsd has no version; it ships with 2.03
        checked.append((Fetched(name=f"iati/{name}", kind="reference", format="iati", source=SOURCE, edition=edition,
                                sha256=sha256_hex(content), url=url), content))
    for name in codelists:
        url = codelist_url(name)
        content, root = download(url)
        _check_codelist(name, root, url)
        digest = sha256_hex(content)
        checked.append((Fetched(name=f"iati/codelists/{name}.xml", kind="reference", format="iati", source=SOURCE,
                                edition=f"{VERSION}-{digest[:8]}", sha256=digest, url=url), content))
    return store_all(dest, manifest, checked, progress)


def _root(content: bytes, url: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FormatChanged(PUBLISHER, url, "an XML document", f"not XML ({exc.msg}; starts {content[:40]!r})") from None


def _check_schema(name: str, root: etree._Element, url: str) -> str:
    """The schema's version ("" for xml.xsd), or FormatChanged."""
    if root.tag != f"{XSD}schema":
        raise FormatChanged(PUBLISHER, url, "an XML Schema (root <xsd:schema>)", f"the root <{_tag(root)}>")
    if name == "xml.xsd":
        if root.get("targetNamespace") != XML_NAMESPACE:
            raise FormatChanged(PUBLISHER, url, f"the schema of the {XML_NAMESPACE} namespace",
                                f"targetNamespace {root.get('targetNamespace')!r}")
        return ""
    version = root.get("version") or ""
    if version != VERSION:
        raise FormatChanged(PUBLISHER, url, f"a schema of version {VERSION}", f"version {version!r}")
    if name == "iati-activities-schema.xsd" and not root.xpath("xsd:element[@name='iati-activities']",
                                                               namespaces={"xsd": XSD[1:-1]}):
        raise FormatChanged(PUBLISHER, url, "the element iati-activities", "a schema without it")
    return version


def _check_codelist(name: str, root: etree._Element, url: str) -> None:
    if root.tag != "codelist" or root.get("name") != name:
        named = f" name={root.get('name')!r}" if root.get("name") else ""
        raise FormatChanged(PUBLISHER, url, f'a codelist (root <codelist name="{name}">)', f"the root <{_tag(root)}{named}>")
    if root.find("codelist-items") is None:
        raise FormatChanged(PUBLISHER, url, "a <codelist-items> element", "a codelist without one")


def _tag(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else "?"
