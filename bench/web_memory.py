"""Memory of a web process serving the public pages: `coalition serve` (gunicorn) with one worker on
127.0.0.1, every page of `public_pages.py` requested over HTTP a few times in turn, then the
worker's peak resident memory (VmHWM in /proc) and its resident memory at the end. Linux only.

    .venv/bin/python bench/web_memory.py --existing postgres://…/coalition_100k
    .venv/bin/python bench/web_memory.py --existing sqlite:////path/db.sqlite3 --rounds 5

The database must hold a demo (see public_pages.py); its stored tallies are used as they are, and
Django's cache is cleared first, so the worker draws every chart itself.
Prints a Markdown table: after each page, the worker's peak so far.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import public_pages  # noqa: E402  (the pages and how their parameters are chosen)

ROOT = Path(__file__).resolve().parent.parent
COALITION = str(Path(sys.executable).parent / "coalition")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--existing", metavar="DATABASE_URL", required=True)
    parser.add_argument("--rounds", type=int, default=3, help="Times each page is requested (default 3).")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--search", default=public_pages.DEFAULT_SEARCH)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.existing
    public_pages.setup_django()
    parameters = public_pages.choose_parameters(args.search)
    from django.core.cache import caches

    for cache in caches.all():  # the worker draws every chart itself, as after a deployment
        cache.clear()

    env = dict(os.environ, DEBUG="false", ALLOWED_HOSTS="127.0.0.1", COALITION_PRODUCTION="false")
    subprocess.run([COALITION, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    server = subprocess.Popen(
        [COALITION, "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", "1", "--timeout", "600"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(base)
        worker = worker_pid(server.pid)
        print("| page | requests | worker peak MB | worker now MB |\n|---|---:|---:|---:|")
        print(f"| (started, one request to {public_pages.WARM_UP}) | 1 | {memory(worker, 'VmHWM'):,.0f} | {memory(worker, 'VmRSS'):,.0f} |")
        for name, (template, _tallied) in public_pages.PAGES.items():
            paths = public_pages.page_paths(template, parameters)
            for number in range(args.rounds * len(paths)):
                with urllib.request.urlopen(base + paths[number % len(paths)], timeout=600) as response:
                    response.read()
            print(f"| {name} | {args.rounds * len(paths)} | {memory(worker, 'VmHWM'):,.0f} | {memory(worker, 'VmRSS'):,.0f} |")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wait_until_up(base: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + public_pages.WARM_UP, timeout=60) as response:
                response.read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer within a minute")


def worker_pid(master: int) -> int:
    """The one gunicorn worker: the child of the master (`serve` execs into the master)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker under {master}, found {children}")
    return int(children[0])


def memory(pid: int, field: str) -> float:
    """`field` of /proc/PID/status (VmHWM: peak resident; VmRSS: resident now), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no {field} for process {pid}")


if __name__ == "__main__":
    main()
