"""Benchmark `coalition demo generate` on fresh SQLite and PostgreSQL databases.

For each database and size: create an empty database, migrate, load the reference data
(not timed), then run the generator as a subprocess and measure its wall time and peak
memory (the resident set of the generator and its writer process together, sampled from
/proc). Prints a Markdown table. Not a test: it takes minutes and writes gigabytes.

    .venv/bin/python bench/demo_generator.py                      # 100,000 and 1,000,000 on both
    .venv/bin/python bench/demo_generator.py --sizes 10000 --databases sqlite
"""

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
COALITION = str(Path(sys.executable).parent / "coalition")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument(
        "--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"),
        help="Public data files for `reference load` (default: $COALITION_DATA_DIR or ../shared/data).",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    results = []
    for database in args.databases:
        for size in args.sizes:
            print(f"{database}, {size:,} pledges…", file=sys.stderr, flush=True)
            with fresh_database(database, args.postgres) as (env, size_of):
                run([COALITION, "migrate", "-v", "0"], env)
                run([COALITION, "reference", "load", "--data-dir", args.data_dir], env)
                result = measure([COALITION, "demo", "generate", "--pledges", str(size), "--seed", str(args.seed)], env)
                result.update(database=database, pledges=size, size=size_of())
                results.append(result)
                print(f"  {result['seconds']:.0f} s, {result['peak_mib']:.0f} MiB", file=sys.stderr, flush=True)
    postgres_version = server_version(args.postgres) if "postgresql" in args.databases else ""
    print(table(results, postgres_version))


class fresh_database:
    """An empty database for one run, removed afterwards; yields the environment and a size probe."""

    def __init__(self, kind: str, server: str):
        self.kind, self.server = kind, server

    def __enter__(self):
        env = dict(os.environ)
        self.directory = tempfile.mkdtemp(prefix="coalition-bench-")
        env["COALITION_VAR_DIR"] = self.directory
        env.pop("DATABASE_URL", None)
        if self.kind == "postgresql":
            self.name = f"coalition_bench_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self._admin(f'CREATE DATABASE "{self.name}"')
            env["DATABASE_URL"] = f"{self.server}/{self.name}"
        return env, self.size

    def __exit__(self, *exc):
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')
        shutil.rmtree(self.directory, ignore_errors=True)

    def size(self) -> int:
        if self.kind == "postgresql":
            with psycopg.connect(f"{self.server}/{self.name}") as connection:
                return connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        return sum(path.stat().st_size for path in Path(self.directory).glob("coalition.sqlite3*"))

    def _admin(self, statement: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(statement)


def server_version(server: str) -> str:
    with psycopg.connect(f"{server}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def watched(command: list[str], env: dict, *, stderr=None) -> tuple[float, int, str]:
    """Run `command`: its wall time, the peak summed RSS of its process tree (sampled every 0.2 s)
    and its output; exits with that output when it fails."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.2)
    seconds = time.monotonic() - started
    output = process.stdout.read()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, peak, output


def measure(command: list[str], env: dict) -> dict:
    """Wall time, peak summed RSS of the process tree, and the rows the generator reports."""
    seconds, peak, output = watched(command, env)
    # ru_maxrss is the largest single process (KiB on Linux): a floor for the summed peak.
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    rows = re.search(r"Wrote ([\d,]+) rows", output)
    return {
        "seconds": seconds,
        "peak_mib": max(peak, largest) / 2**20,
        "rows": int(rows.group(1).replace(",", "")) if rows else 0,
    }


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants, from /proc (Linux)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def table(results: list[dict], postgres_version: str = "") -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = os.sysconf("SC_PHYS_PAGES") * PAGE_SIZE / 2**30
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPU cores ({cpu}), "
        f"{memory:.0f} GiB RAM, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        + (f", PostgreSQL {postgres_version}." if postgres_version else "."),
        "",
        "| database | pledges | rows written | wall time | peak memory | database size |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        minutes, seconds = divmod(round(r["seconds"]), 60)
        lines.append(
            f"| {r['database']} | {r['pledges']:,} | {r['rows']:,} | {minutes} min {seconds:02d} s "
            f"| {r['peak_mib']:,.0f} MiB | {r['size'] / 2**30:.1f} GiB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
