"""Benchmark a full build of the open-data dumps: `coalition opendata build` on a demo of N pledges.

On a fresh database (SQLite in a temporary directory, or a new PostgreSQL database): migrate,
load the reference data, generate the demo (not timed; the generator ends with ANALYZE), then run
the build as a subprocess and measure its wall time and peak memory (resident set of its process
tree, sampled from /proc; Linux only). Or measure on an existing database with `--existing`.
Prints a Markdown table with the files written. The target: a million pledges in ≤ 200 MB.

    .venv/bin/python bench/opendata.py                                   # 1,000,000 pledges, SQLite
    .venv/bin/python bench/opendata.py --pledges 100000 --database postgresql
    .venv/bin/python bench/opendata.py --existing postgres://postgres@127.0.0.1:5432/coalition_1m
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_generator import COALITION, fresh_database, run, server_version, watched  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pledges", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument("--existing", metavar="DATABASE_URL", help="Measure on this database instead of a new demo.")
    parser.add_argument(
        "--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"),
        help="Public data files for `reference load` (default: $COALITION_DATA_DIR or ../shared/data).",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    if args.existing:
        env = {**os.environ, "DATABASE_URL": args.existing}
        with tempfile.TemporaryDirectory(prefix="coalition-opendata-") as directory:
            env["COALITION_OPENDATA_DIR"] = directory
            result = build(env, Path(directory))
        result.update(database=args.existing.split(":", 1)[0], pledges=None)
    else:
        print(f"{args.database}, {args.pledges:,} pledges: generating the demo…", file=sys.stderr, flush=True)
        with fresh_database(args.database, args.postgres) as (env, _size_of):
            run([COALITION, "migrate", "-v", "0"], env)
            run([COALITION, "reference", "load", "--data-dir", args.data_dir], env)
            run([COALITION, "demo", "generate", "--pledges", str(args.pledges), "--seed", str(args.seed)], env)
            env["COALITION_OPENDATA_DIR"] = str(Path(env["COALITION_VAR_DIR"]) / "opendata")
            print("building the dumps…", file=sys.stderr, flush=True)
            result = build(env, Path(env["COALITION_OPENDATA_DIR"]))
        result.update(database=args.database, pledges=args.pledges)
    if args.existing:  # the server of the database named, when it is PostgreSQL
        postgres = args.existing.rsplit("/", 1)[0] if args.existing.startswith("postgres") else ""
    else:
        postgres = args.postgres if args.database == "postgresql" else ""
    version = server_version(postgres) if postgres else ""
    print(report(result, version))


def build(env: dict, directory: Path) -> dict:
    """Run `coalition opendata build`: wall time, peak summed RSS, and the files it left."""
    seconds, peak, output = watched([COALITION, "opendata", "build"], env, stderr=subprocess.STDOUT)
    files = sorted((path for path in directory.rglob("*") if path.is_file()), key=lambda path: str(path))
    return {"seconds": seconds, "peak_mib": peak / 2**20, "output": output.strip().splitlines()[-1],
            "files": [(str(path.relative_to(directory)).split("/", 1)[1], path.stat().st_size) for path in files]}


def report(result: dict, postgres_version: str) -> str:
    minutes, seconds = divmod(round(result["seconds"]), 60)
    pledges = f"{result['pledges']:,}" if result["pledges"] else "existing"
    engine = f"PostgreSQL {postgres_version}" if postgres_version else f"SQLite {sqlite3.sqlite_version}"
    lines = [
        f"{os.cpu_count()} CPU cores, {engine}. `{result['output']}`",
        "",
        "| database | pledges | wall time | peak memory |",
        "|---|---:|---:|---:|",
        f"| {result['database']} | {pledges} | {minutes} min {seconds:02d} s | {result['peak_mib']:,.0f} MiB |",
        "",
        "| file | size |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {size / 2**20:,.1f} MiB |" for name, size in result["files"]
              if re.match(r"en/(pledges|pledge_countries|progress_reports|observations)\.csv|en/.*\.(xlsx|json|zip)$", name)]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
