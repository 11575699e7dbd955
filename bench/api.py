"""API list latency: p95 of `GET /api/v1/pledges/?limit=100&<2 filters>` on PostgreSQL.

Creates a PostgreSQL database, migrates it, loads the reference data and generates the demo
with N pledges (none of it timed; the demo generator ends with ANALYZE of the tables it filled),
then starts a separate Python process that sets Django up against it and requests the list with
Django's test client (no HTTP server: the time is the application's and the database's), a cold
request first and then `--requests` timed ones spread over several filter pairs and the pages
that follow the first. Rate limits are off for the run. Prints a Markdown table.

    .venv/bin/python bench/api.py --pledges 100000
    .venv/bin/python bench/api.py                     # a million pledges (about ten minutes to build)
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from public_pages import fresh_database, prepare_demo, server_version  # noqa: E402

QUERIES = [
    "country=KEN&type=programmatic",
    "group=LDC&stakeholder=government",
    "initiative=p2c&sdg=9",
    "region=ITU-AFR&type=financial",
    "wsis=C7&stakeholder=academia",
    "country=TUV&type=financial",  # a small country: few pledges to find
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument("--data-dir", default=os.environ.get("COALITION_DATA_DIR", str(ROOT.parent / "shared" / "data")))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--existing", metavar="DATABASE_URL", help="Measure an existing database instead.")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure_in_process(args)
    started = time.monotonic()
    if args.existing:
        result = measure(dict(os.environ, DATABASE_URL=args.existing), args)
    else:
        with fresh_database("postgresql", args.postgres, "coalition_bench_api") as env:
            prepare_demo(env, args.data_dir, args.pledges, args.seed)
            result = measure(env, args)
    print(f"PostgreSQL {server_version(args.postgres)}, {args.pledges:,} pledges, {result['requests']} requests "
          f"(after one cold request each), limit=100, two filters:\n")
    print("| query | rows | median ms | p95 ms | max ms | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in result["rows"]:
        print(f"| `{row['query']}` | {row['rows']} | {row['median']:.1f} | {row['p95']:.1f} | {row['max']:.1f} | {row['queries']} |")
    print(f"| **all** | | {result['median']:.1f} | **{result['p95']:.1f}** | {result['max']:.1f} | |")
    print(f"\nTook {time.monotonic() - started:.0f} s.", file=sys.stderr)


def measure(env: dict, args) -> dict:
    env = dict(env, DEBUG="false", ALLOWED_HOSTS="testserver", API_RATE_PER_TOKEN="0/min", API_RATE_PER_ADDRESS="0/min")
    command = [sys.executable, __file__, "--measure", "--requests", str(args.requests)]
    completed = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def measure_in_process(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    urls = {}
    for query in QUERIES:  # each filter pair's first page and the two pages after it
        url = f"/api/v1/pledges/?limit=100&{query}"
        urls[query] = [url]
        for _ in range(2):
            following = client.get(url).json()["next"]
            if not following:
                break
            url = following.replace("http://testserver", "")
            urls[query].append(url)
    everything, rows = [], []
    for query, pages in urls.items():
        with CaptureQueriesContext(connection) as queries:
            first = client.get(pages[0])
        statements = len(queries)  # now: the next request's start empties the connection's log
        assert first.status_code == 200, first.content
        timings = []
        for index in range(max(1, args.requests // len(QUERIES))):
            url = pages[index % len(pages)]
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        everything += timings
        rows.append({"query": query, "rows": len(first.json()["results"]), "median": statistics.median(timings),
                     "p95": _p95(timings), "max": max(timings), "queries": statements})
    print(json.dumps({"requests": len(everything), "rows": rows, "median": statistics.median(everything),
                      "p95": _p95(everything), "max": max(everything)}))


if __name__ == "__main__":
    main()
