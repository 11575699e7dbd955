"""ECB rate history (a recorded ZIP in recorded/ecb/, no network): eurofxref-hist.csv is extracted
unchanged to ecb/, with its newest day as edition, and the ECB loader reads it; an archive or CSV
in another shape is refused, naming the ECB and the URL, with nothing written."""

import datetime
import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from coalition.common.downloads import MANIFEST, FormatChanged, sha256_hex
from coalition.common.tests.recorded import Recorded
from coalition.reference.importing import run_import
from coalition.reference.loaders.ecb_rates import EcbRateLoader
from coalition.reference.models import ExchangeRate, ImportRun
from coalition.reference.publishers.ecb import URL, fetch_ecb_rates

RECORDED = Path(__file__).resolve().parent / "recorded" / "ecb"


def recorded(name: str = "eurofxref-hist.zip") -> bytes:
    return (RECORDED / name).read_bytes()


def history() -> bytes:
    with zipfile.ZipFile(RECORDED / "eurofxref-hist.zip") as archive:
        return archive.read("eurofxref-hist.csv")


def answering(body: bytes):
    """A `get` that answers the ECB's URL from recorded bytes and fails the test on any other."""
    return Recorded({URL: body})


def zipped(csv: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", csv)
    return out.getvalue()


def test_the_history_is_extracted_unchanged_with_its_newest_day_as_edition(tmp_path):
    [fetched] = fetch_ecb_rates(tmp_path, get=answering(recorded()))

    assert (tmp_path / "ecb" / "eurofxref-hist.csv").read_bytes() == history()
    assert (fetched.name, fetched.kind, fetched.format, fetched.source, fetched.edition) == (
        "ecb/eurofxref-hist.csv", "reference", "ecb-rates", "European Central Bank", "2026-10-30")
    assert fetched.url == "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
    assert fetched.sha256 == sha256_hex(history()) and fetched.changed


def test_the_extracted_file_loads_through_the_ecb_loader(reference, tmp_path):
    [fetched] = fetch_ecb_rates(tmp_path, get=answering(recorded()))

    run = run_import(loader=EcbRateLoader(tmp_path / fetched.name, today=datetime.date(2026, 11, 2)))

    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    gbp = ExchangeRate.objects.get(currency__code="GBP", year=2026)
    days = [("1.1172", "0.8338"), ("1.113", "0.83578"), ("1.1133", "0.83785")]
    expected = (sum(Decimal(usd) / Decimal(gbp) for usd, gbp in days) / 3).quantize(Decimal("1e-12"))
    assert (gbp.usd_per_unit, gbp.observations, gbp.provisional) == (expected, 3, True)
    assert "year to 2026-10-30" in gbp.source
    assert not ExchangeRate.objects.filter(currency__code__in=["CYP", "EEK"], year=2026).exists()


@pytest.mark.parametrize(("body", "found"), [
    (recorded("eurofxref-hist-other-member.zip"), "found the members eurofxref-hist.xml"),
    (recorded("eurofxref-hist-other-header.zip"), "found TIME_PERIOD,USD,JPY"),
    (b"<!DOCTYPE html><html><title>Maintenance</title></html>", "expected a ZIP archive, found b'<!DOCTYPE html>"),
    (zipped(b"Date,USD,JPY,\n30 October 2026,1.1172,175.68,\n"), "found '30 October 2026' on line 2"),
    (zipped(b"Date,USD,JPY,\n"), "expected at least one day of rates"),
])
def test_an_answer_in_another_shape_is_refused_naming_the_ecb_and_the_url_and_nothing_is_written(tmp_path, body, found):
    with pytest.raises(FormatChanged) as refused:
        fetch_ecb_rates(tmp_path, get=answering(body))

    assert str(refused.value).startswith(f"European Central Bank changed its format at {URL}: expected ")
    assert found in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_fetching_the_same_edition_again_writes_nothing(tmp_path):
    [first] = fetch_ecb_rates(tmp_path, get=answering(recorded()))
    path = tmp_path / first.name
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before, manifest = os.stat(path), (tmp_path / MANIFEST).read_bytes()

    [again] = fetch_ecb_rates(tmp_path, get=answering(recorded()))

    assert not again.changed and (again.edition, again.retrieved) == (first.edition, first.retrieved)
    assert (os.stat(path).st_ino, os.stat(path).st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (tmp_path / MANIFEST).read_bytes() == manifest


def test_a_new_day_is_a_new_edition(tmp_path):
    fetch_ecb_rates(tmp_path, get=answering(recorded()))
    header, rest = history().split(b"\n", 1)
    newer = header + b"\n2026-11-02,1.1101,176.02,N/A,N/A,24.36,7.4733,N/A,0.8342,367.1,0.9201,\n" + rest

    [again] = fetch_ecb_rates(tmp_path, get=answering(zipped(newer)))

    assert again.changed and again.edition == "2026-11-02"
    assert (tmp_path / again.name).read_bytes() == newer
