"""Benchmark the server time of the public pages on fresh SQLite and PostgreSQL databases.

For each database and size: create an empty database, migrate, load the reference data and
generate the demo (none of it timed), then start a separate Python process that sets Django
up against that database and requests each page through `django.test.Client` — in-process,
so the figures are the server's own time (URL routing, middleware, queries, templates) with
no network in between. For every page: one cold request (the first in a fresh process,
reported on its own), then `--requests` timed ones; median and p95, SQL queries per request
and response size. Prints a Markdown table. Not a test: it takes minutes.

    .venv/bin/python bench/public_pages.py                        # 10,000 and 100,000 on both
    .venv/bin/python bench/public_pages.py --sizes 1000 --databases sqlite --pages home pledge
"""

import argparse
import datetime
import json
import logging
import math
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
COALITION = str(Path(sys.executable).parent / "coalition")

# The pages, by name: the path (formatted with the parameters `choose_parameters` picks from
# the data; a list-valued parameter rotates from one request to the next) and whether the
# page reads the stored daily tallies (`coalition/explore/daily.py`): then it is measured
# twice, with nothing stored (every stored day and Django's cache cleared before each
# request, so the page counts its tallies itself) and with its day stored, as visitors find it
# once the worker has recounted after the last write.
PAGES = {
    "home": ("/", True),
    "dashboard": ("/dashboard/", True),
    "dashboard_as_of": ("/dashboard/?as_of={as_of}", True),
    "explorer": ("/pledges/?type={pledge_type}&country={country}&q={search}", False),
    "explorer_unfiltered": ("/pledges/", True),
    "explorer_sorted": ("/pledges/?sort=value_desc&page=3", True),
    "pledge": ("/pledges/{pledge_id}/", False),
    "entity": ("/entities/{entity_id}/", True),
    "country": ("/countries/{country}/", True),
    "countries": ("/countries/", True),
    "group": ("/groups/{group}/", True),
    "groups": ("/groups/", True),
    "profile": ("/countries/{country}/connectivity/", True),
    "gap": ("/connectivity/gap/", True),
}
DEFAULT_PAGES = list(PAGES)
# A word of many demo titles ("Connecting rural schools", "Blended finance for rural coverage",
# coalition/demo/vocabulary.py): about one published pledge in seven.
DEFAULT_SEARCH = "rural"
WARM_UP = "/account/login/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument(
        "--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"),
        help="Public data files for `reference load` (default: $COALITION_DATA_DIR or ../shared/data).",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page, after the cold one.")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=DEFAULT_PAGES)
    parser.add_argument("--search", default=DEFAULT_SEARCH, help="The explorer's search word.")
    parser.add_argument("--output", type=Path, help="Also write the table to this file.")
    parser.add_argument(
        "--stored-only", action="store_true",
        help="Measure the pages that read stored tallies only with their day stored (counting a day of a "
             "million pledges takes minutes; the cold request still counts it once).",
    )
    parser.add_argument(
        "--existing", metavar="DATABASE_URL",
        help="Measure this database as it is (already migrated, loaded and generated) instead of making new ones.",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the in-process half
    parser.add_argument("--print-parameters", action="store_true", help=argparse.SUPPRESS)  # for page_weight.py
    args = parser.parse_args()
    if args.measure:
        measure_in_process(args)
        return
    if args.print_parameters:
        setup_django()
        json.dump(choose_parameters(args.search), sys.stdout)
        return

    results, started = [], time.monotonic()
    if args.existing:
        env = dict(os.environ, DATABASE_URL=args.existing)
        measured = measure(env, args)
        for row in measured["rows"]:
            row.update(database="postgresql" if args.existing.startswith("postgres") else "sqlite",
                       pledges=measured["pledges"])
            results.append(row)
        print(f"  parameters: {json.dumps(measured['parameters'])}", file=sys.stderr, flush=True)
    for database in [] if args.existing else args.databases:
        for size in args.sizes:
            print(f"{database}, {size:,} pledges: preparing…", file=sys.stderr, flush=True)
            with fresh_database(database, args.postgres, "coalition_bench_pages") as env:
                prepare_demo(env, args.data_dir, size, args.seed)
                print(f"{database}, {size:,} pledges: measuring…", file=sys.stderr, flush=True)
                measured = measure(env, args)
                for row in measured["rows"]:
                    row.update(database=database, pledges=size)
                    results.append(row)
                print(f"  parameters: {json.dumps(measured['parameters'])}", file=sys.stderr, flush=True)
    postgres_version = server_version(args.postgres) if "postgresql" in args.databases else ""
    output = report(results, args.requests, postgres_version)
    print(output)
    if args.output:
        args.output.write_text(output + "\n")
    print(f"Took {time.monotonic() - started:.0f} s.", file=sys.stderr)


class fresh_database:
    """An empty database for one run, removed afterwards; yields the environment to run in."""

    def __init__(self, kind: str, server: str, prefix: str):
        self.kind, self.server, self.prefix = kind, server, prefix

    def __enter__(self) -> dict:
        env = dict(os.environ)
        self.directory = tempfile.mkdtemp(prefix="coalition-bench-")
        env["COALITION_VAR_DIR"] = self.directory
        env.pop("DATABASE_URL", None)
        if self.kind == "postgresql":
            self.name = f"{self.prefix}_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}"')
            env["DATABASE_URL"] = f"{self.server}/{self.name}"
        return env

    def __exit__(self, *exc):
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.directory, ignore_errors=True)

    def _admin(self, statement: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(statement)


def prepare_demo(env: dict, data_dir: str, size: int, seed: int) -> None:
    run([COALITION, "migrate", "-v", "0"], env)
    run([COALITION, "reference", "load", "--data-dir", data_dir], env)
    run([COALITION, "demo", "generate", "--pledges", str(size), "--seed", str(seed)], env)


def server_version(server: str) -> str:
    with psycopg.connect(f"{server}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def measure(env: dict, args) -> dict:
    """Run this script's in-process half against the database in `env`; returns its JSON."""
    env = dict(env, DEBUG="false", ALLOWED_HOSTS="testserver,127.0.0.1,localhost")
    command = [sys.executable, __file__, "--measure", "--requests", str(args.requests),
               "--search", args.search, "--pages", *args.pages, *(["--stored-only"] if args.stored_only else [])]
    completed = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if completed.returncode:
        raise SystemExit(f"{' '.join(command)} failed (exit {completed.returncode})")
    return json.loads(completed.stdout)


# The in-process half: runs in its own process, with Django set up against one database.

def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()


def measure_in_process(args) -> None:
    """Request the pages with Django's test client (one database connection kept open throughout)."""
    setup_django()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # No setup_test_environment(): its template instrumentation would slow the pages down.
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 is in the report, not on stderr
    parameters = choose_parameters(args.search)
    client = Client(raise_request_exception=False)  # a failing page is a 500 in the report, not a crash
    # One unmeasured request first, so that each page's cold request is that page's own first
    # time (its templates, its queries) and not the process's (middleware, base template, locale).
    client.get(WARM_UP)

    from coalition.explore.daily import days_forget
    from coalition.pledges.models import Pledge

    def clear_caches(forget_days: bool = True) -> None:
        for cache in caches.all(initialized_only=True):
            cache.clear()
        if forget_days:
            days_forget()

    def get(path: str):
        started = time.perf_counter()
        response = client.get(path)
        return time.perf_counter() - started, response

    rows = []
    for name in args.pages:
        template, tallied = PAGES[name]
        paths = page_paths(template, parameters)
        if not tallied:
            variants = [("", False)]
        elif args.stored_only:
            variants = [("stored", False)]
        else:
            variants = [("nothing stored", True), ("stored", False)]
        for index, (variant, clear) in enumerate(variants):
            statuses: dict[int, int] = {}
            cold_ms = None
            if index == 0:
                clear_caches(forget_days=not args.stored_only)
                seconds, response = get(paths[0])
                cold_ms = seconds * 1000
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            else:
                get(paths[0])  # fills the cache, if the page uses one
            times, sizes = [], []
            for number in range(args.requests):
                if clear:
                    clear_caches()
                seconds, response = get(paths[number % len(paths)])
                times.append(seconds * 1000)
                sizes.append(len(response.content))
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            queries = []
            for path in paths:  # counted apart, so that recording the SQL does not slow the timed requests
                if clear:
                    clear_caches()
                with CaptureQueriesContext(connection) as captured:
                    client.get(path)
                queries.append(len(captured.captured_queries))
            sql_ms = None
            if name in HAND_WRITTEN and not clear:
                sql_ms = time_hand_written(connection, HAND_WRITTEN[name](parameters), args.requests)
            rows.append({
                "page": name + (f" ({variant})" if variant else ""),
                "sql_ms": sql_ms,
                "paths": paths,
                "cold_ms": cold_ms,
                "median_ms": statistics.median(times),
                "p95_ms": nearest_rank(times, 95),
                "queries": [min(queries), max(queries)],
                "bytes": statistics.median(sizes),
                "statuses": {str(code): count for code, count in sorted(statuses.items())},
                # The process's peak resident memory so far (kB on Linux): what serving the pages
                # up to this one has needed, caches included.
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            })
    pledges = Pledge.objects.filter(status="published").count()
    json.dump({"parameters": parameters, "rows": rows, "pledges": Pledge.objects.count(), "published": pledges},
              sys.stdout)


def choose_parameters(search: str) -> dict:
    """Pick the pages' parameters from the data: common facets, pledges with targets and accepted reports."""
    from django.db.models import Count, Max

    from coalition.pledges.models import Pledge

    published = Pledge.objects.filter(status="published")
    most_common_type = (
        published.values("pledge_type").annotate(n=Count("id")).order_by("-n", "pledge_type").first()["pledge_type"]
    )
    most_common_country = (
        published.filter(beneficiary_countries__isnull=False).values("beneficiary_countries__iso3")
        .annotate(n=Count("id")).order_by("-n", "beneficiary_countries__iso3").first()["beneficiary_countries__iso3"]
    )
    pledge_ids = list(
        published.filter(targets__isnull=False, progress_reports__status="accepted")
        .values_list("id", flat=True).distinct().order_by("id")
    )
    step = max(1, len(pledge_ids) // 5)
    busiest_entity = (
        published.values("lead_entity").annotate(n=Count("id")).order_by("-n", "lead_entity").first()["lead_entity"]
    )
    last = published.aggregate(last=Max("published_at"))["last"]
    return {
        "pledge_type": most_common_type,
        "country": most_common_country,
        "search": search,
        "as_of": (last - datetime.timedelta(days=365)).date().isoformat(),
        "pledge_id": pledge_ids[::step][:5],
        "entity_id": busiest_entity,
        "group": "LDC",
    }


# The hand-written SQL giving the same answer as a page (its figures and the list it shows), to
# time beside it in the same process: the page's time over this time is its overhead over the
# least the database must be asked. Pages whose answer needs the indicator aggregates (the
# connectivity profile, the gap view) have none.

STORED = (
    "SELECT t.kind, t.code, t.pledges, t.value_usd FROM explore_dailytally t"
    " JOIN explore_talliedday d ON d.id = t.day_id WHERE d.day = %s AND d.place = %s"
)
PAGE_OF_PLEDGES = (
    "SELECT p.id, p.title, p.value_usd, p.published_at, e.name, i.name_en FROM pledges_pledge p"
    " JOIN pledges_entity e ON e.id = p.lead_entity_id JOIN reference_initiative i ON i.id = p.initiative_id"
    " WHERE p.status = 'published' AND p.id IN ({ids}) ORDER BY p.published_at DESC, p.id DESC LIMIT 25"
)
COUNT_OF_PLEDGES = "SELECT COUNT(*) FROM pledges_pledge p WHERE p.status = 'published' AND p.id IN ({ids})"
OF_COUNTRY = (
    "SELECT bc.pledge_id FROM pledges_pledge_beneficiary_countries bc"
    " JOIN reference_country c ON c.id = bc.country_id WHERE c.iso3 = %s"
)
OF_ENTITY = "SELECT id FROM pledges_pledge WHERE lead_entity_id = %s UNION SELECT pledge_id FROM pledges_pledgepartner WHERE entity_id = %s"
OF_GROUP = (
    "SELECT br.pledge_id FROM pledges_pledge_beneficiary_regions br JOIN reference_countrygroup g"
    " ON g.id = br.countrygroup_id WHERE g.code = %s UNION SELECT bc.pledge_id FROM pledges_pledge_beneficiary_countries bc"
    " JOIN reference_countrygroupmembership m ON m.country_id = bc.country_id JOIN reference_countrygroup g"
    " ON g.id = m.group_id WHERE g.code = %s AND (m.valid_from IS NULL OR m.valid_from <= %s)"
    " AND (m.valid_to IS NULL OR m.valid_to > %s)"
)


def _place(place: str, ids: str, ids_params: list) -> list:
    today = datetime.date.today()
    return [
        (STORED, [today, place]),
        (PAGE_OF_PLEDGES.format(ids=ids), ids_params),
        (COUNT_OF_PLEDGES.format(ids=ids), ids_params),
    ]


def _explorer(parameters: dict, *, filtered: bool, order: str = "p.published_at DESC, p.id DESC", offset: int = 0):
    where, params = "p.status = 'published'", []
    if filtered:
        where += (
            " AND p.pledge_type = %s AND p.id IN (" + OF_COUNTRY + ") AND p.id IN"
            " (SELECT pledge_id FROM pledges_pledgesearchdocument WHERE document LIKE %s)"
        )
        params = [parameters["pledge_type"], parameters["country"], f"%{parameters['search']}%"]
    facets = [
        "SELECT p.pledge_type, COUNT(*) FROM pledges_pledge p WHERE {where} GROUP BY p.pledge_type",
        "SELECT bc.country_id, COUNT(*) FROM pledges_pledge p JOIN pledges_pledge_beneficiary_countries bc"
        " ON bc.pledge_id = p.id WHERE {where} GROUP BY bc.country_id",
        "SELECT fn.frameworknode_id, COUNT(*) FROM pledges_pledge p JOIN pledges_pledge_framework_nodes fn"
        " ON fn.pledge_id = p.id WHERE {where} GROUP BY fn.frameworknode_id",
        "SELECT e.entity_type, COUNT(*) FROM pledges_pledge p JOIN pledges_entity e ON e.id = p.lead_entity_id"
        " WHERE {where} GROUP BY e.entity_type",
    ]
    return [
        (f"SELECT p.id, p.title, p.value_usd, e.name FROM pledges_pledge p JOIN pledges_entity e ON e.id = p.lead_entity_id"
         f" WHERE {where} ORDER BY {order} LIMIT 25 OFFSET {offset}", params),
        (f"SELECT COUNT(*) FROM pledges_pledge p WHERE {where}", params),
        *[(facet.format(where=where), params) for facet in facets],
    ]


HAND_WRITTEN = {
    "home": lambda prm: [(STORED, [datetime.date.today(), ""])],
    "dashboard": lambda prm: [(STORED, [datetime.date.today(), ""]),
                              (STORED, [datetime.date.today() - datetime.timedelta(days=365), ""])],
    "dashboard_as_of": lambda prm: [(STORED, [datetime.date.fromisoformat(prm["as_of"]), ""]),
                                    (STORED, [datetime.date.fromisoformat(prm["as_of"]) - datetime.timedelta(days=365), ""])],
    "countries": lambda prm: [(STORED, [datetime.date.today(), ""]), ("SELECT iso3, name_en FROM reference_country", [])],
    "groups": lambda prm: [(STORED, [datetime.date.today(), ""]),
                           ("SELECT g.code, g.name_en, COUNT(m.id) FROM reference_countrygroup g LEFT JOIN"
                            " reference_countrygroupmembership m ON m.group_id = g.id GROUP BY g.code, g.name_en", [])],
    "country": lambda prm: _place(f"country:{prm['country']}", OF_COUNTRY, [prm["country"]]),
    "entity": lambda prm: _place(f"entity:{prm['entity_id']}", OF_ENTITY, [prm["entity_id"]] * 2),
    "group": lambda prm: _place(f"group:{prm['group']}", OF_GROUP,
                                [prm["group"], prm["group"], datetime.date.today(), datetime.date.today()]),
    "explorer": lambda prm: _explorer(prm, filtered=True),
    "explorer_unfiltered": lambda prm: _explorer(prm, filtered=False),
    "explorer_sorted": lambda prm: _explorer(prm, filtered=False, order="p.value_usd DESC, p.id DESC", offset=50),
    "pledge": lambda prm: [
        ("SELECT p.*, e.name, i.name_en FROM pledges_pledge p JOIN pledges_entity e ON e.id = p.lead_entity_id"
         " JOIN reference_initiative i ON i.id = p.initiative_id WHERE p.id = %s", [prm["pledge_id"][0]]),
        ("SELECT c.iso3, c.name_en FROM pledges_pledge_beneficiary_countries bc JOIN reference_country c"
         " ON c.id = bc.country_id WHERE bc.pledge_id = %s", [prm["pledge_id"][0]]),
        ("SELECT * FROM pledges_pledgetarget WHERE pledge_id = %s", [prm["pledge_id"][0]]),
        ("SELECT pp.role, e.name FROM pledges_pledgepartner pp JOIN pledges_entity e ON e.id = pp.entity_id"
         " WHERE pp.pledge_id = %s", [prm["pledge_id"][0]]),
        ("SELECT * FROM pledges_progressreport WHERE pledge_id = %s AND status = 'accepted'", [prm["pledge_id"][0]]),
        ("SELECT history_date, history_type FROM pledges_historicalpledge WHERE id = %s ORDER BY history_date",
         [prm["pledge_id"][0]]),
    ],
}


def time_hand_written(connection, statements: list, requests: int) -> float:
    """Median milliseconds of running `statements` (and fetching every row), over `requests` runs."""
    times = []
    for _ in range(requests + 1):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def page_paths(template: str, parameters: dict) -> list[str]:
    """The page's paths: one, or one per value of the list-valued parameter it uses."""
    rotating = [key for key, value in parameters.items() if isinstance(value, list) and "{" + key + "}" in template]
    if not rotating:
        return [template.format(**parameters)]
    key = rotating[0]
    return [template.format(**dict(parameters, **{key: value})) for value in parameters[key]]


def nearest_rank(values: list[float], percentile: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percentile / 100 * len(ordered)) - 1)]


# The report.

def machine(postgres_version: str = "") -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    return (
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPU cores ({cpu}), "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        + (f", PostgreSQL {postgres_version}." if postgres_version else ".")
    )


def report(results: list[dict], requests: int, postgres_version: str = "") -> str:
    lines = [
        machine(postgres_version),
        "",
        "| database | pledges | page | cold ms | median ms | p95 ms | SQL ms | × SQL | queries | KB | peak MB | status |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    errors = []
    for r in results:
        low, high = r["queries"]
        queries = str(low) if low == high else f"{low}–{high}"
        statuses = ", ".join(f"{code} × {count}" for code, count in r["statuses"].items())
        if set(r["statuses"]) != {"200"}:
            where = f"{r['database']}, {r['pledges']:,} pledges, {r['page']} ({', '.join(r['paths'])})"
            errors.append(f"{where}: {statuses}")
        cold = f"{r['cold_ms']:,.1f}" if r["cold_ms"] is not None else "—"
        sql = f"{r['sql_ms']:,.1f}" if r.get("sql_ms") else "—"
        ratio = f"{r['median_ms'] / r['sql_ms']:,.1f}" if r.get("sql_ms") else "—"
        lines.append(
            f"| {r['database']} | {r['pledges']:,} | {r['page']} | {cold} | {r['median_ms']:,.1f} "
            f"| {r['p95_ms']:,.1f} | {sql} | {ratio} | {queries} | {r['bytes'] / 1000:,.1f} | {r['peak_mb']:,.0f} | {statuses} |"
        )
    lines += [
        "",
        f"Server time in milliseconds, in-process (`django.test.Client`, DEBUG off): the cold request is the "
        f"first of its page in a fresh process (after one request to {WARM_UP}), then {requests} timed "
        "requests (median, p95 by nearest rank). "
        "SQL ms: median time of the hand-written SQL giving the page's answer (`HAND_WRITTEN` in the script), "
        "run in the same process; × SQL: the page's median over it. "
        "Queries: SQL statements per request. KB: median response body (uncompressed). "
        "Peak MB: the serving process's peak resident memory once the page had been measured "
        "(it only grows, so the last row is the whole run's).",
    ]
    if errors:
        lines += ["", "**Errors — not every response was 200:**", ""] + [f"- {error}" for error in errors]
    else:
        lines += ["", "Every response was 200."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
