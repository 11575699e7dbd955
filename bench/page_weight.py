"""Measure what a first visit to each public page transfers, scrolled to the end, in headless Chromium.

For each database and size: create an empty database, migrate, load the reference data and the
connectivity indicators, generate the demo and collect the static files (with their compressed
twins), then start `coalition runserver` on 127.0.0.1 with DEBUG off — so, as in production, the
pages are compressed by GZipMiddleware and the static files served by WhiteNoise from their .gz
twins — and open every page in a fresh browser context (an empty cache), wait until the network is
idle, scroll to the end a screen at a time (so anything loaded on scrolling loads) and wait again.
The bytes are Chromium's own count, from the DevTools protocol: `Network.loadingFinished`'s
encodedDataLength, what came over the wire for each response, headers included. Prints a Markdown
table; notes any response from the site sent uncompressed, any request to another origin, and
whether the Vega libraries or the world's borders were fetched. Not a test: it takes minutes.

    .venv/bin/python bench/page_weight.py                                # 1,000 pledges, SQLite
    .venv/bin/python bench/page_weight.py --sizes 10000 --databases sqlite postgresql --details
    COALITION_VAR_DIR=/tmp/demo .venv/bin/python bench/page_weight.py --existing   # a demo already built
"""

import argparse
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
    "profile": "/countries/{country}/connectivity/",
    "gap": "/connectivity/gap/",
}
DEFAULT_PAGES = list(PAGES)
BUDGET_KB = 300  # DESIGN: "a typical public page under 300 KB transferred"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
KINDS = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Fetch": "data", "XHR": "data", "Image": "images"}
COLUMNS = ["HTML", "CSS", "JS", "data", "images", "other"]
HEAVY = {"vega": "/vendor/vega", "atlas": "/vendor/world-atlas/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite"])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="Server URL, no database name.")
    parser.add_argument(
        "--data-dir", default=os.environ.get("COALITION_DATA_DIR", "../shared/data"),
        help="Public data files for `reference load` and `indicators load` (default: $COALITION_DATA_DIR or ../shared/data).",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=DEFAULT_PAGES)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--existing", action="store_true",
                        help="Measure the database the environment names (COALITION_VAR_DIR, DATABASE_URL) as it is.")
    parser.add_argument("--output", type=Path, help="Also write the table to this file.")
    parser.add_argument("--details", action="store_true", help="Also list every response counted.")
    args = parser.parse_args()

    results, notes, started = [], set(), time.monotonic()
    if args.existing:
        env = dict(os.environ)
        label = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        results += measure_site(env, args, notes, database=label, size=None)
    for database in [] if args.existing else args.databases:
        for size in args.sizes:
            print(f"{database}, {size:,} pledges: preparing…", file=sys.stderr, flush=True)
            with fresh_database(database, args.postgres, "coalition_bench_pages_weight") as env:
                prepare_demo(env, args.data_dir, size, args.seed)
                run([COALITION, "indicators", "load", "--data-dir", args.data_dir], env)
                results += measure_site(env, args, notes, database=database, size=size)
    postgres = any(r["database"] == "postgresql" for r in results)
    output = report(results, sorted(notes), server_version(args.postgres) if postgres and not args.existing else "",
                    details=args.details)
    print(output)
    if args.output:
        args.output.write_text(output + "\n")
    print(f"Took {time.monotonic() - started:.0f} s.", file=sys.stderr)


def measure_site(env: dict, args, notes: set, *, database: str, size: int | None) -> list[dict]:
    # DEBUG off: static files come from collectstatic, with their compressed twins, as in production.
    env = dict(env, DEBUG="false", ALLOWED_HOSTS="127.0.0.1,localhost")
    run([COALITION, "collectstatic", "--noinput", "-v", "0"], env)
    parameters = json.loads(subprocess.run(
        [sys.executable, str(HERE / "public_pages.py"), "--print-parameters"],
        env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout)
    parameters["pledge_id"] = parameters["pledge_id"][0]
    print(f"{database}: measuring…", file=sys.stderr, flush=True)
    with server(env, args.port) as base:
        rows = weigh(base, {name: PAGES[name].format(**parameters) for name in args.pages}, notes)
    for row in rows:
        row.update(database=database, pledges=size)
    return rows


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
                    raise SystemExit("runserver did not start") from None
                time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def weigh(base: str, paths: dict[str, str], notes: set) -> list[dict]:
    """Load each page in a fresh context, scroll to the end, and add up what came over the wire."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in paths.items():
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            network = Network(context.new_cdp_session(page))
            document = page.goto(base + path, wait_until="networkidle")
            scroll_to_the_end(page, network)
            rows.append(network.row(name, path, base, document.status if document else 0, notes))
            context.close()
        browser.close()
    return rows


class Network:
    """The responses of one page, from the DevTools protocol's Network domain."""

    def __init__(self, cdp):
        self.responses, self.sizes, self.pending = {}, {}, set()
        cdp.on("Network.requestWillBeSent", lambda event: self.pending.add(event["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", lambda event: self.pending.discard(event["requestId"]))
        cdp.send("Network.enable")

    def _response(self, event):
        response = event["response"]
        headers = {key.lower(): value for key, value in response.get("headers", {}).items()}
        self.responses[event["requestId"]] = {
            "url": response["url"], "status": response["status"], "type": event.get("type", "Other"),
            "encoding": headers.get("content-encoding", ""), "mime": response.get("mimeType", ""),
        }

    def _finished(self, event):
        self.sizes[event["requestId"]] = event["encodedDataLength"]
        self.pending.discard(event["requestId"])

    def quiet(self, page, *, for_ms: int = 500, limit_ms: int = 15_000) -> None:
        """Wait until no request has been in flight for `for_ms`."""
        waited = still = 0
        while still < for_ms and waited < limit_ms:
            page.wait_for_timeout(100)
            waited += 100
            still = still + 100 if not self.pending else 0

    def row(self, name: str, path: str, base: str, status: int, notes: set) -> dict:
        row = {"page": name, "path": path, "status": status, "requests": 0, "bytes": 0,
               "kinds": {}, "responses": [], "heavy": set()}
        for request_id, size in self.sizes.items():
            response = self.responses.get(request_id)
            if response is None or response["url"].startswith("data:"):
                continue
            url = response["url"]
            if not url.startswith(base + "/"):
                notes.add(f"{name}: a request to another origin, {url}")
            relative = url[len(base):] if url.startswith(base) else url
            kind = KINDS.get(response["type"], "other")
            textual = response["mime"].startswith("text/") or response["mime"].endswith(("json", "javascript", "svg+xml"))
            if textual and not response["encoding"] and size > 1500 and response["status"] < 300:
                notes.add(f"{name}: {relative} came uncompressed ({size:,} bytes)")
            if response["status"] >= 400:
                notes.add(f"{name}: {relative} answered {response['status']}")
            row["heavy"] |= {label for label, prefix in HEAVY.items() if prefix in relative}
            row["requests"] += 1
            row["bytes"] += size
            row["kinds"][kind] = row["kinds"].get(kind, 0) + size
            row["responses"].append((relative, kind, response["status"], response["encoding"] or "none", size))
        return row


def scroll_to_the_end(page, network: Network) -> None:
    """A screen at a time down to the end (the page may grow as it goes), then wait for quiet."""
    network.quiet(page)
    y = 0
    while y < page.evaluate("document.documentElement.scrollHeight"):
        y += VIEWPORT["height"]
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    network.quiet(page)


def report(results: list[dict], notes: list[str], postgres_version: str = "", details: bool = False) -> str:
    lines = [
        machine(postgres_version),
        "",
        "| database | pledges | page | status | requests | KB transferred | " + " | ".join(COLUMNS) + " | Vega or atlas fetched |",
        "|---|---:|---|---:|---:|---:|" + "---:|" * len(COLUMNS) + "---|",
    ]
    for r in results:
        kinds = " | ".join(f"{r['kinds'].get(kind, 0) / 1000:,.1f}" for kind in COLUMNS)
        size = f"{r['pledges']:,}" if r["pledges"] else "existing"
        lines.append(
            f"| {r['database']} | {size} | {r['page']} | {r['status']} | {r['requests']} "
            f"| {r['bytes'] / 1000:,.1f} | {kinds} | {', '.join(sorted(r['heavy'])) or 'no'} |"
        )
    over = [r for r in results if r["bytes"] > BUDGET_KB * 1000]
    lines += [
        "",
        f"A first visit (fresh browser context, empty cache) in headless Chromium at {VIEWPORT['width']}×"
        f"{VIEWPORT['height']}, English, scrolled to the end; KB are 1,000 bytes as Chromium received them "
        "(DevTools `encodedDataLength`: compressed bodies and headers), from `coalition runserver` with DEBUG off "
        "(pages compressed by GZipMiddleware, collected static files served by WhiteNoise with their gzip twins).",
        "",
        f"Pages over the {BUDGET_KB} KB budget: "
        + (", ".join(f"{r['database']} {r['page']}" for r in over) or "none") + ".",
    ]
    errors = [f"{r['database']}, {r['page']} ({r['path']}): {r['status']}" for r in results if r["status"] != 200]
    if errors:
        lines += ["", "**Errors — not every page answered 200:**", ""] + [f"- {error}" for error in errors]
    else:
        lines += ["", "Every page answered 200."]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    if details:
        lines += ["", "| database | page | response | kind | status | encoding | bytes |", "|---|---|---|---|---:|---|---:|"]
        for r in results:
            for url, kind, status, encoding, size in r["responses"]:
                lines.append(f"| {r['database']} | {r['page']} | `{url}` | {kind} | {status} | {encoding} | {size:,} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
