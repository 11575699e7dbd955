"""Measure what a first visit to each public page transfers, with gzip, in headless Chromium.

For each database and size: create an empty database, migrate, load the reference data,
generate the demo and collect the static files (compressed twins included), then start
`coalition runserver` with DEBUG off and load every page in a fresh browser context (empty
cache) with Playwright, waiting until the network is idle. Sums the bodies of every
same-origin response — the HTML and each CSS, JS, JSON or TopoJSON file it references or
fetches — as transferred (encoded) and as they would be with gzip: a response the server
sent uncompressed (Django's HTML and JSON; runserver has no GZip middleware) is counted at
its gzip size, level 6. Prints a Markdown table. Not a test: it takes minutes.

    .venv/bin/python bench/page_weight.py                               # 10,000 pledges, both databases
    .venv/bin/python bench/page_weight.py --sizes 1000 --databases sqlite
"""

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from public_pages import COALITION, ROOT, fresh_database, machine, prepare_demo, run, server_version

HERE = Path(__file__).resolve().parent
# The pages, by name: the path, formatted with the parameters public_pages.py picks from the data.
PAGES = {
    "home": "/",
    "dashboard": "/dashboard/",
    "explorer": "/pledges/",
    "pledge": "/pledges/{pledge_id}/",
    "entity": "/entities/{entity_id}/",
    "country": "/countries/{country}/",
}
DEFAULT_PAGES = ["dashboard", "explorer", "pledge", "entity", "country"]
BUDGET_KB = 300  # issue 4: "a typical public page under 300 KB transferred on first visit"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "fetch": "data", "xhr": "data"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument(
        "--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"),
        help="Public data files for `reference load` (default: $COALITION_DATA_DIR or ../shared/data).",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=DEFAULT_PAGES)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--output", type=Path, help="Also write the table to this file.")
    parser.add_argument("--details", action="store_true", help="Also list every response counted.")
    args = parser.parse_args()

    results, notes, started = [], set(), time.monotonic()
    for database in args.databases:
        for size in args.sizes:
            print(f"{database}, {size:,} pledges: preparing…", file=sys.stderr, flush=True)
            with fresh_database(database, args.postgres, "coalition_bench_pages_weight") as env:
                prepare_demo(env, args.data_dir, size, args.seed)
                # DEBUG off: static files come from collectstatic, with their compressed twins.
                env = dict(env, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")
                run([COALITION, "collectstatic", "--noinput", "-v", "0"], env)
                parameters = json.loads(subprocess.run(
                    [sys.executable, str(HERE / "public_pages.py"), "--print-parameters"],
                    env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
                ).stdout)
                parameters["pledge_id"] = parameters["pledge_id"][0]
                print(f"{database}, {size:,} pledges: measuring…", file=sys.stderr, flush=True)
                with server(env, args.port) as base:
                    for row in weigh(base, {name: PAGES[name].format(**parameters) for name in args.pages}, notes):
                        row.update(database=database, pledges=size)
                        results.append(row)
    postgres_version = server_version(args.postgres) if "postgresql" in args.databases else ""
    output = report(results, sorted(notes), postgres_version, details=args.details)
    print(output)
    if args.output:
        args.output.write_text(output + "\n")
    print(f"Took {time.monotonic() - started:.0f} s.", file=sys.stderr)


class server:
    """`coalition runserver` on 127.0.0.1:port for the block; yields its base URL."""

    def __init__(self, env: dict, port: int):
        self.env, self.port = env, port

    def __enter__(self) -> str:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"Port {self.port} is taken: choose another with --port.")
        self.process = subprocess.Popen(
            [COALITION, "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/account/login/", timeout=5).close()
                return base
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise SystemExit("runserver did not start")
                time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def weigh(base: str, paths: dict[str, str], notes: set) -> list[dict]:
    """Load each page in a fresh context and sum its same-origin responses, by kind."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in paths.items():
            context = browser.new_context()
            page = context.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            document = page.goto(base + path, wait_until="networkidle")
            row = {"page": name, "path": path, "status": document.status if document else 0,
                   "requests": 0, "served": 0, "gzip": 0, "kinds": {}, "responses": []}
            for response in responses:
                request = response.request
                if not response.url.startswith(base + "/"):
                    notes.add(f"{name}: ignored a request to another origin, {response.url}")
                    continue
                if 300 <= response.status < 400:
                    continue  # the redirect itself; its target is a response of its own
                accept = request.all_headers().get("accept-encoding", "")
                if "gzip" not in accept:
                    notes.add(f"{name}: {response.url} was requested without gzip (Accept-Encoding: {accept!r})")
                served = request.sizes()["responseBodySize"]
                encoding = response.header_value("content-encoding") or ""
                body = response.body()
                zipped = served if encoding else len(gzip.compress(body, compresslevel=6))
                kind = KINDS.get(request.resource_type, "other")
                row["requests"] += 1
                row["served"] += served
                row["gzip"] += zipped
                row["kinds"][kind] = row["kinds"].get(kind, 0) + zipped
                row["responses"].append(
                    (response.url[len(base):], kind, response.status, encoding or "none", served, zipped)
                )
                if response.status >= 400:
                    notes.add(f"{name}: {response.url} answered {response.status}")
            rows.append(row)
            context.close()
        browser.close()
    return rows


def report(results: list[dict], notes: list[str], postgres_version: str = "", details: bool = False) -> str:
    lines = [
        machine(postgres_version),
        "",
        "| database | pledges | page | status | requests | as served KB | gzip KB | HTML | CSS | JS | data | other |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        kinds = " | ".join(f"{r['kinds'].get(kind, 0) / 1000:,.1f}" for kind in ["HTML", "CSS", "JS", "data", "other"])
        lines.append(
            f"| {r['database']} | {r['pledges']:,} | {r['page']} | {r['status']} | {r['requests']} "
            f"| {r['served'] / 1000:,.1f} | {r['gzip'] / 1000:,.1f} | {kinds} |"
        )
    over = [r for r in results if r["gzip"] > BUDGET_KB * 1000]
    lines += [
        "",
        "A first visit (fresh browser context, empty cache) in headless Chromium, English, until the network "
        "is idle; KB are 1,000 bytes of response bodies from the platform's own origin. As served: as "
        "`coalition runserver` (DEBUG off, collected static files served by WhiteNoise with their .gz twins) sent "
        "them; gzip: with every uncompressed response counted at its gzip size (level 6), as a compressing proxy "
        "or GZipMiddleware would send it. The last five columns split the gzip total.",
        "",
        f"Pages over the {BUDGET_KB} KB budget (gzip): "
        + (", ".join(f"{r['database']} {r['pledges']:,} {r['page']}" for r in over) or "none") + ".",
    ]
    errors = [
        f"{r['database']}, {r['pledges']:,} pledges, {r['page']} ({r['path']}): {r['status']}"
        for r in results if r["status"] != 200
    ]
    if errors:
        lines += ["", "**Errors — not every page answered 200:**", ""] + [f"- {error}" for error in errors]
    else:
        lines += ["", "Every page answered 200."]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    if details:
        lines += ["", "| database | pledges | page | response | kind | status | encoding | as served B | gzip B |",
                  "|---|---:|---|---|---|---:|---|---:|---:|"]
        for r in results:
            for url, kind, status, encoding, served, zipped in r["responses"]:
                lines.append(f"| {r['database']} | {r['pledges']:,} | {r['page']} | `{url}` | {kind} | {status} "
                             f"| {encoding} | {served:,} | {zipped:,} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
