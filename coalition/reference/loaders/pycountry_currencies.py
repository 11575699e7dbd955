"""ISO 4217 currencies from pycountry, with French names from its bundled gettext catalogue."""

import gettext
from collections.abc import Iterator
from importlib.metadata import version

import pycountry

from coalition.reference.loaders.base import Counts, Loader, Row, RowError, sync
from coalition.reference.models import Currency


class CurrencyLoader(Loader):
    kind = "currencies"
    source = f"pycountry {version('pycountry')} (ISO 4217)"

    def read(self) -> Iterator[Row | RowError]:
        french = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=["fr"])
        for number, currency in enumerate(pycountry.currencies, start=1):
            yield Row(
                number,
                {"code": currency.alpha_3, "name_en": currency.name, "name_fr": french.gettext(currency.name)},
            )

    def write(self, rows: list[Row], counts: Counts) -> None:
        sync(Currency, key=["code"], rows=(row.data for row in rows), counts=counts)
