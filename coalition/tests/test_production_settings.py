"""Production mode (COALITION_PRODUCTION=true) as an operator starts it: `check --deploy` is clean
with the documented variables, responses carry HSTS and the Content-Security-Policy, cookies are
Secure, e-mail goes over SMTP or the site refuses to start, and `coalition serve` runs gunicorn.

Settings are read once per process, so each case runs the platform in a subprocess with its own
environment; the Content-Security-Policy, the same in every mode, is also checked in process."""

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from coalition.tests.builders import PASSWORD

COALITION = [sys.executable, "-m", "coalition"]


def production_env(tmp_path, **variables) -> dict[str, str]:
    """The documented production variables and nothing else from this shell; `None` leaves one out."""
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "COALITION_VAR_DIR": str(tmp_path / "var"),
        "COALITION_PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pledges.example.org,127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
    }
    env.update(variables)
    return {name: value for name, value in env.items() if value is not None}


def coalition(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*COALITION, *args], env=env, capture_output=True, text=True, timeout=120)


# Requests made with Django's test client inside a process started with the given environment.
PROBE = """
import json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "coalition.settings"
django.setup()
from django.test import Client

answers = []
for request in json.loads(sys.argv[1]):
    response = Client(HTTP_HOST="pledges.example.org").get(request["path"], secure=request.get("secure", False),
                                                           headers=request.get("headers", {}))
    answers.append({"status": response.status_code, "headers": dict(response.headers),
                    "cookies": {name: {"secure": bool(morsel["secure"])} for name, morsel in response.cookies.items()}})
print(json.dumps(answers))
"""


def probe(env, *requests) -> list[dict]:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(requests)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- check --deploy ---------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    done = coalition(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_names_what_is_missing_when_production_mode_is_off(tmp_path):
    done = coalition(production_env(tmp_path, COALITION_PRODUCTION=None), "check", "--deploy")

    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr, warning


def test_hsts_for_subdomains_and_preload_are_opt_in_and_then_sent(tmp_path):
    env = production_env(tmp_path)
    opted_in = production_env(tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true")

    [default] = probe(env, {"path": "/account/login/", "secure": True})
    [both] = probe(opted_in, {"path": "/account/login/", "secure": True})
    checked = coalition(opted_in, "check", "--deploy", "--fail-level", "WARNING")

    assert default["headers"]["Strict-Transport-Security"] == "max-age=31536000"
    assert both["headers"]["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert checked.returncode == 0, checked.stderr
    assert "(0 silenced)" in checked.stdout


# --- Responses in production mode -----------------------------------------------------------------


def test_production_redirects_plain_http_to_https(tmp_path):
    [plain] = probe(production_env(tmp_path), {"path": "/account/login/"})

    assert plain["status"] == 301
    assert plain["headers"]["Location"] == "https://pledges.example.org/account/login/"


def test_production_responses_carry_hsts_the_content_security_policy_and_secure_cookies(tmp_path):
    [page] = probe(production_env(tmp_path), {"path": "/account/login/", "secure": True})

    assert page["status"] == 200
    assert page["headers"]["Strict-Transport-Security"] == "max-age=31536000"
    assert "script-src 'self'" in page["headers"]["Content-Security-Policy"]
    assert page["headers"]["X-Frame-Options"] == "DENY"
    assert page["headers"]["X-Content-Type-Options"] == "nosniff"
    assert page["cookies"]["csrftoken"] == {"secure": True}


def test_x_forwarded_proto_is_trusted_only_when_the_operator_says_the_proxy_sets_it(tmp_path):
    behind_proxy = {"path": "/account/login/", "headers": {"X-Forwarded-Proto": "https"}}

    [untrusted] = probe(production_env(tmp_path), behind_proxy)
    [trusted] = probe(production_env(tmp_path, COALITION_TRUST_X_FORWARDED_PROTO="true"), behind_proxy)

    assert untrusted["status"] == 301
    assert trusted["status"] == 200
    assert trusted["headers"]["Strict-Transport-Security"] == "max-age=31536000"


def test_the_https_redirect_can_be_left_to_a_proxy_that_redirects_by_itself(tmp_path):
    [plain] = probe(production_env(tmp_path, SECURE_SSL_REDIRECT="false"), {"path": "/account/login/"})

    assert plain["status"] == 200
    assert plain["cookies"]["csrftoken"] == {"secure": True}


# --- E-mail ----------------------------------------------------------------------------------------


def test_production_refuses_to_start_without_an_smtp_server_and_names_email_host(tmp_path):
    done = coalition(production_env(tmp_path, EMAIL_BACKEND=None, EMAIL_HOST=None), "check")

    assert done.returncode != 0
    assert "EMAIL_HOST must be set when COALITION_PRODUCTION is true" in done.stderr


def test_production_sends_over_smtp_from_the_environment_when_email_backend_is_unset(tmp_path):
    env = production_env(tmp_path, EMAIL_BACKEND=None, EMAIL_PORT="587", EMAIL_USE_TLS="true",
                         EMAIL_HOST_USER="coalition", EMAIL_HOST_PASSWORD="relay-secret")
    shown = coalition(env, "shell", "--no-imports", "-c", "from django.conf import settings; import json; "
                                          "print(json.dumps(settings.MAILERS['default']))")

    assert shown.returncode == 0, shown.stderr
    mailer = json.loads(shown.stdout)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.org", "port": 587, "username": "coalition", "password": "relay-secret",
        "use_tls": True, "use_ssl": False, "timeout": 30,
    }


def test_a_console_email_backend_in_production_fails_the_deployment_check(tmp_path):
    env = production_env(tmp_path, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")

    done = coalition(env, "check", "--deploy")

    assert done.returncode != 0
    assert "mail.E001" in done.stderr


# --- The same Content-Security-Policy in development ----------------------------------------------


def test_every_page_carries_the_content_security_policy_without_inline_script_or_eval(client):
    policy = client.get("/account/login/").headers["Content-Security-Policy"]
    directives = dict(part.split(" ", 1) for part in policy.split("; "))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # a nonce only when a page uses one
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_admin_inline_style_carries_the_nonce_the_header_allows(client, administrator, published):
    client.force_login(administrator)

    response = client.get(f"/admin/pledges/pledge/{published.pk}/history/")

    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)">#change-history', response.content.decode()).group(1)
    assert f"style-src 'self' 'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert 'style="' not in response.content.decode()


# --- coalition serve --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


@contextlib.contextmanager
def serving(env, tmp_path, *args):
    """`coalition serve` in its own process group, stopped (and if need be killed) whatever happens."""
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen([*COALITION, "serve", *args], env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield process, log
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # any worker left behind
            process.wait(timeout=10)


def wait_for(port, process, log, *, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"coalition serve stopped with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.2)
    pytest.fail(f"coalition serve did not listen on {port} within {seconds} s:\n{log.read_text()}")


def served_database_url() -> str:
    """The test database as a URL, for a process that serves what this test wrote."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = urllib.parse.quote(db["PASSWORD"] or "")
    return f"postgres://{db['USER']}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def fetch(port, method, path, *, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.msg, response.read().decode()
    finally:
        conn.close()


def cookie(headers, name) -> str:
    return next(value for value in headers.get_all("Set-Cookie") or [] if value.startswith(f"{name}="))


@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_with_https_hsts_the_policy_and_secure_cookies(tmp_path, administrator):
    # The tests hash with MD5 (conftest.py), which production does not accept.
    hasher = PBKDF2PasswordHasher()
    administrator.password = hasher.encode(PASSWORD, hasher.salt())
    administrator.save(update_fields=["password"])
    port = free_port()
    env = production_env(tmp_path, DATABASE_URL=served_database_url(), GUNICORN_CMD_ARGS="--no-control-socket")
    behind_tls = {"X-Forwarded-Proto": "https"}  # what the proxy in docs/operators.md sets

    with serving(env, tmp_path, "--bind", f"127.0.0.1:{port}", "--workers", "1") as (process, log):
        wait_for(port, process, log)
        plain_status, plain, _ = fetch(port, "GET", "/account/login/")
        status, headers, page = fetch(port, "GET", "/account/login/", headers=behind_tls)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        csrf = cookie(headers, "csrftoken")
        signed_in_status, signed_in, answer = fetch(port, "POST", "/account/login/", headers={
            **behind_tls, "Origin": f"https://127.0.0.1:{port}", "Cookie": csrf.split(";")[0],
            "Content-Type": "application/x-www-form-urlencoded",
        }, body=urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "username": administrator.email, "password": PASSWORD,
        }))

    assert f"Coalition listens on http://127.0.0.1:{port} (gunicorn, 1 workers" in log.read_text()
    assert plain_status == 301 and plain["Location"] == f"https://127.0.0.1:{port}/account/login/"
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "; Secure" in csrf
    assert signed_in_status == 302, answer
    assert "; Secure" in cookie(signed_in, "sessionid")
    assert "; HttpOnly" in cookie(signed_in, "sessionid")


def test_serve_refuses_to_run_with_debug_on_in_production(tmp_path):
    env = production_env(tmp_path, DEBUG="true", GUNICORN_CMD_ARGS="--no-control-socket")

    with serving(env, tmp_path, "--bind", f"127.0.0.1:{free_port()}") as (process, log):
        process.wait(timeout=60)

    assert process.returncode == 1
    assert "DEBUG is on in production mode" in log.read_text()


def test_serve_refuses_to_run_when_the_deployment_checks_find_an_error(tmp_path):
    env = production_env(tmp_path, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
                         GUNICORN_CMD_ARGS="--no-control-socket")

    with serving(env, tmp_path, "--bind", f"127.0.0.1:{free_port()}") as (process, log):
        process.wait(timeout=60)

    assert process.returncode == 1
    assert "mail.E001" in log.read_text()
    assert "Coalition listens" not in log.read_text()
