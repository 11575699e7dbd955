"""A stand-in for `common.downloads.http_get` in the publishers' tests: recorded answers, no network."""

import pytest


class Recorded:
    """A fake `get`: answers each URL with its recorded bytes and fails the test on any other URL."""

    def __init__(self, answers: dict[str, bytes]):
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if url not in self.answers:
            pytest.fail(f"unexpected request to {url}")
        return self.answers[url]
