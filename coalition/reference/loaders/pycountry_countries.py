"""ISO 3166-1 countries from pycountry, with French names from its bundled gettext catalogue."""

import gettext
from collections.abc import Iterator
from importlib.metadata import version

import pycountry

from coalition.reference.loaders.base import Counts, Loader, Row, RowError, sync
from coalition.reference.models import Country


class CountryLoader(Loader):
    kind = "countries"
    source = f"pycountry {version('pycountry')} (ISO 3166-1)"

    def read(self) -> Iterator[Row | RowError]:
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        for number, country in enumerate(pycountry.countries, start=1):
            yield Row(
                number,
                {
                    "iso3": country.alpha_3,
                    "iso2": country.alpha_2,
                    "numeric": country.numeric.zfill(3),
                    "name_en": country.name,
                    "name_fr": french.gettext(country.name),
                    "official_name_en": getattr(country, "official_name", ""),
                },
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        # Never delete: pledges and memberships point at countries, and ISO withdraws codes
        # rarely enough that an operator should decide what happens to the old one.
        sync(Country, key=["iso3"], rows=(row.data for row in rows), counts=counts)
