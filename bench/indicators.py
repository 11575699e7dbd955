"""Benchmark the indicator import and the group aggregates on fresh SQLite and PostgreSQL databases.

For each database: create an empty database, migrate, load the reference data and the real
indicator files from the public data folder (`coalition indicators load`, timed as a bonus),
then

1. import a generated tidy CSV of `--rows` observations (default 5,000,000: every country ×
   320 benchmark indicators × 63 years) with `coalition indicators import tidy`, timed with
   its peak memory, and import it again (the idempotent path: every row unchanged);
2. compute every group aggregate (the world and every country group) for every catalogue
   indicator that has values, for every year it has values, in one process, timed.

Prints a Markdown table. Not a test: it takes minutes and writes gigabytes.

    .venv/bin/python bench/indicators.py                          # 5,000,000 rows, both databases
    .venv/bin/python bench/indicators.py --rows 200000 --databases sqlite
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_generator import COALITION, ROOT, fresh_database, measure, run, server_version  # noqa: E402

YEARS = range(1960, 2023)

MAKE_INDICATORS = """
from coalition.indicators.models import Indicator
Indicator.objects.bulk_create(
    [Indicator(code=f"bench-{i:03d}", name_en=f"Benchmark indicator {i}", unit="percent", order=900 + i)
     for i in range({count})],
    ignore_conflicts=True,
)
"""

AGGREGATE_ALL = """
import json, time
from coalition.indicators.aggregates import aggregates, group_choices, years_with_data
from coalition.indicators.models import Indicator
started = time.perf_counter()
groups = [ref.code for ref in group_choices()]
computed = indicators = 0
for indicator in Indicator.objects.exclude(code__startswith="bench-"):
    years = years_with_data(indicator=indicator)
    if not years:
        continue
    indicators += 1
    computed += len(aggregates(indicator=indicator, groups=groups, years=years))
print(json.dumps({"seconds": time.perf_counter() - started, "aggregates": computed,
                  "groups": len(groups), "indicators": indicators}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument("--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"))
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="coalition-bench-csv-") as folder:
        csv_path = Path(folder) / "observations.csv"
        indicator_count = write_csv(csv_path, args.rows)
        print(f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 2**20:,.0f} MiB)", file=sys.stderr, flush=True)
        for database in args.databases:
            print(f"{database}…", file=sys.stderr, flush=True)
            with fresh_database(database, args.postgres) as (env, size_of):
                run([COALITION, "migrate", "-v", "0"], env)
                run([COALITION, "reference", "load", "--data-dir", args.data_dir], env)
                started = time.monotonic()
                run([COALITION, "indicators", "load", "--data-dir", args.data_dir], env)
                load_seconds = time.monotonic() - started
                run([COALITION, "shell", "-c", MAKE_INDICATORS.replace("{count}", str(indicator_count))], env)
                command = [COALITION, "indicators", "import", "tidy", str(csv_path), "--source", "wb-wdi", "--edition", "bench"]
                first = measure(command, env)
                again = measure(command, env)
                aggregate = json.loads(subprocess.run(
                    [COALITION, "shell", "-c", AGGREGATE_ALL], env=env, cwd=ROOT, check=True,
                    capture_output=True, text=True,
                ).stdout.strip().splitlines()[-1])
                results.append({"database": database, "load": load_seconds, "first": first, "again": again,
                                "aggregate": aggregate, "size": size_of()})
                print(f"  import {first['seconds']:.0f} s, again {again['seconds']:.0f} s, "
                      f"aggregates {aggregate['seconds']:.1f} s", file=sys.stderr, flush=True)
    postgres_version = server_version(args.postgres) if "postgresql" in args.databases else ""
    print(table(results, args.rows, postgres_version))


def write_csv(path: Path, rows: int) -> int:
    """A tidy CSV of `rows` distinct observations; returns how many benchmark indicators it names."""
    countries = subprocess.run(
        [sys.executable, "-c", "import pycountry; print(' '.join(c.alpha_3 for c in pycountry.countries))"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    per_indicator = len(countries) * len(YEARS)
    count = -(-rows // per_indicator)
    written = 0
    with open(path, "w") as out:
        out.write("country,indicator,year,value\n")
        for i in range(count):
            code = f"bench-{i:03d}"
            for n, iso3 in enumerate(countries):
                lines = []
                for year in YEARS:
                    if written == rows:
                        break
                    lines.append(f"{iso3},{code},{year},{(n * 7 + year * 13 + i) % 1000 / 10}\n")
                    written += 1
                out.write("".join(lines))
    return count


def table(results: list[dict], rows: int, postgres_version: str) -> str:
    from demo_generator import table as demo_table

    header = demo_table([], postgres_version).splitlines()[0]
    lines = [
        header, "",
        f"| database | real files (`indicators load`) | {rows:,}-row tidy CSV: first import | rows/s | peak memory "
        f"| same file again | aggregates computed | time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        first, again, aggregate = r["first"], r["again"], r["aggregate"]
        lines.append(
            f"| {r['database']} | {r['load']:.0f} s | {first['seconds']:.0f} s | {rows / first['seconds']:,.0f} "
            f"| {first['peak_mib']:,.0f} MiB | {again['seconds']:.0f} s ({rows / again['seconds']:,.0f} rows/s) "
            f"| {aggregate['aggregates']:,} ({aggregate['indicators']} indicators × {aggregate['groups']} groups × their years) "
            f"| {aggregate['seconds']:.1f} s |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
