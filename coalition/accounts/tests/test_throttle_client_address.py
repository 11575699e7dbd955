"""Which client address the per-client limits count: X-Forwarded-For only from proxies one trusts."""

import pytest
from django.test import RequestFactory

from coalition.accounts.throttle import client_address

PASSWORD = "x-Pass-123456"  # the personas' password (coalition/tests/builders.py)


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_x_forwarded_for_is_ignored_by_default():
    assert client_address(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # Whatever the client wrote itself stands left of what the proxy appended.
        (1, "10.0.0.2", "192.0.2.66, 203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.3", "192.0.2.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # A proxy that forgot the header: the proxy itself, never a guess.
        (1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_trusted_proxies_name_the_address_the_outermost_one_saw(settings, proxies, remote, forwarded, client):
    settings.COALITION_TRUSTED_PROXIES = proxies

    assert client_address(request(remote, forwarded)) == client


def test_an_ipv6_client_counts_as_its_64_network_and_a_mapped_ipv4_as_itself():
    assert client_address(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_address(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_address(request("::ffff:198.51.100.7")) == "198.51.100.7"


def test_a_locked_client_cannot_escape_by_writing_x_forwarded_for(client, pledger_a):
    for n in range(50):
        client.post(
            "/account/login/",
            {"username": f"p{n % 10}@example.org", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = client.post(
        "/account/login/", {"username": "focal.a@example.org", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.200"
    )

    assert response.status_code == 429
