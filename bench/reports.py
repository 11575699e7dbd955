"""Benchmark the reports: one country profile PDF, and every country's profile as an annex.

Runs against the database the environment names (DATABASE_URL, COALITION_VAR_DIR…), which must
hold reference data, indicators and pledges (for example a `coalition demo generate` database).
Prints a Markdown table. Not a test.

    .venv/bin/python bench/reports.py                          # KEN, 5 times each
    .venv/bin/python bench/reports.py --country NPL --repeat 10 --analyze

For one profile it times, in one process: the first PDF (the chart drawn by vl-convert, whose
engine starts on first use), then the same PDF again with its drawing in the cache (what a
visitor waits for once the chart is drawn), each as the median of `--repeat` runs; the figures
are read from the day's stored tallies, counted on the first run. For the annex it times
`country_profile_sections` for every country with pledges or indicators, then their HTML and
PDF, as the annual report's annex renders them (no charts). Last, the target itself: the whole
annual report built (charts drawn, the cache cleared first), then its HTML and its PDF.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from coalition.common.asof import as_of_now  # noqa: E402
from coalition.explore.daily import tallies_for  # noqa: E402
from coalition.pledges.models import Pledge  # noqa: E402
from coalition.reference.models import Country  # noqa: E402
from coalition.reports.builders import report_build  # noqa: E402
from coalition.reports.builders.country_profile import country_profile_sections  # noqa: E402
from coalition.reports.document import Report  # noqa: E402
from coalition.reports.render.html import report_html  # noqa: E402
from coalition.reports.render.pdf import report_pdf  # noqa: E402


def timed(function):
    """(wall seconds, result); the process's CPU seconds (all its threads) go to CPU_SECONDS."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU_SECONDS.append(time.process_time() - cpu)
    return time.perf_counter() - started, result


CPU_SECONDS: list[float] = []


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def profile_pdf(country: str, language: str) -> bytes:
    report = report_build(kind="country-profile", as_of=as_of_now(), language=language, params={"country": country})
    return report_pdf(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="KEN")
    parser.add_argument("--language", default="en")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--analyze", action="store_true", help="Run ANALYZE first (PostgreSQL after a bulk load).")
    args = parser.parse_args()
    if args.analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    as_of = as_of_now()
    tallies_for(as_of)  # the day's tallies stored, as on a site where the dashboard was seen today
    tallies_for(as_of.year_earlier())
    rows = []

    cold = []
    for _ in range(args.repeat):
        cache.clear()
        seconds, pdf = timed(lambda: profile_pdf(args.country, args.language))
        cold.append(seconds)
    rows.append((f"country profile PDF ({args.country}), chart drawn", statistics.median(cold),
                 statistics.median(CPU_SECONDS[-args.repeat:]), len(pdf), f"{pages(pdf)} pages"))
    warm = [timed(lambda: profile_pdf(args.country, args.language))[0] for _ in range(args.repeat)]
    rows.append((f"country profile PDF ({args.country}), chart in the cache", statistics.median(warm),
                 statistics.median(CPU_SECONDS[-args.repeat:]), len(pdf), ""))

    counted = set(tallies_for(as_of).of("country"))
    countries = list(Country.objects.order_by("name_en"))
    countries = [c for c in countries if c.iso3 in counted] or countries
    with translation.override(args.language), CaptureQueriesContext(connection) as queries:
        seconds, sections = timed(lambda: country_profile_sections(countries=countries, as_of=as_of))
    rows.append((f"annex: {len(countries)} country profiles read", seconds, CPU_SECONDS[-1], 0,
                 f"{len(queries.captured_queries)} queries"))
    annex = Report(kind="annual", title="Annex benchmark", language=args.language, as_of=as_of.date,
                   annexes=tuple(sections))
    seconds, html = timed(lambda: report_html(annex))
    rows.append(("annex: HTML", seconds, CPU_SECONDS[-1], len(html.encode()), ""))
    seconds, pdf = timed(lambda: report_pdf(annex))
    rows.append(("annex: PDF", seconds, CPU_SECONDS[-1], len(pdf), f"{pages(pdf)} pages"))

    # The target: the whole annual report (body, charts and annex) built, then HTML and PDF.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        built, report = timed(lambda: report_build(kind="annual", as_of=as_of, language=args.language, params={}))
    profiles = sum(len(annex.sections) for annex in report.annexes)
    rows.append((f"annual report: built ({profiles} country profiles)", built, CPU_SECONDS[-1], 0,
                 f"{len(queries.captured_queries)} queries"))
    written, html = timed(lambda: report_html(report))
    rows.append(("annual report: HTML", written, CPU_SECONDS[-1], len(html.encode()), ""))
    typeset, pdf = timed(lambda: report_pdf(report))
    rows.append(("annual report: PDF", typeset, CPU_SECONDS[-1], len(pdf), f"{pages(pdf)} pages"))
    rows.append(("**annual report: HTML + PDF, in all**", built + written + typeset,
                 sum(CPU_SECONDS[-3:]), 0, "target ≤ 10 s"))

    pledges = Pledge.objects.count()
    load = os.getloadavg()[0]
    print(f"\n{connection.vendor}, {pledges:,} pledges, {os.cpu_count()} CPUs (load average {load:.1f}), "
          f"median of {args.repeat} runs{', after ANALYZE' if args.analyze else ''}\n")
    print("| what | wall s | CPU s | bytes | note |\n|---|---:|---:|---:|---|")
    for what, seconds, cpu, size, note in rows:
        print(f"| {what} | {seconds:.3f} | {cpu:.3f} | {size:,} | {note} |")


if __name__ == "__main__":
    main()
