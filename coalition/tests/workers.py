"""Real `coalition worker` processes on the test database, for the worker tests.

Every wait is bounded and every process is ended by the context manager (SIGTERM, then SIGKILL),
whatever the test did. The worker reads the test database through DATABASE_URL, built from the
test connection's own settings, so SQLite (SQLITE_TEST_NAME file) and PostgreSQL
(test_coalition_*) both work; the tests using it must commit what the worker should see
(`django_db(transaction=True)`).
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings.get("USER") or "")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}")


class Worker:
    """One worker process, its output in a log file."""

    def __init__(self, log: Path, args: list[str], env: dict[str, str]):
        self.log = log
        self.handle = open(log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coalition", *args], stdout=self.handle, stderr=subprocess.STDOUT,
            env=env, cwd=Path(__file__).resolve().parents[2], start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, *, timeout: float) -> None:
        wait_until(lambda: text in self.output() or self.process.poll() is not None, timeout=timeout,
                   what=f"{text!r} in the worker's output")
        assert text in self.output(), f"the worker exited ({self.process.returncode}) without {text!r}:\n{self.output()}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """kill -9: no signal handler, no cleanup, as the out-of-memory killer does it."""
        if self.alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()


@contextmanager
def workers(tmp_path: Path, **settings: str):
    """start(name, *args) starts `coalition worker` (or `--command db_worker`) with `settings` as
    environment variables; every process started is stopped on the way out."""
    started: list[Worker] = []
    env = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "INFO",
           "DEBUG": "false", **settings}
    env.pop("COALITION_TASKS_BACKEND", None)

    def start(name: str, *args: str, command: str = "worker", **extra: str) -> Worker:
        worker = Worker(tmp_path / f"{name}.log", [command, "--interval", "0.2", "--no-startup-delay", *args],
                        {**env, **extra})
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
