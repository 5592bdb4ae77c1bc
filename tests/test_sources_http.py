"""The shared HTTP client: retries, 429 and Retry-After, back-off, auth errors, verified TLS."""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.fake_server import FakeServer, closed_port, serve
from vocmine.sources import SourceError
from vocmine.sources.http import HttpClient, MalformedPage, RetryPolicy, retry_after

RATINGS = "/api/v2/satisfaction_ratings.json"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    yield from serve(FakeServer())


def client(waits: list[float], **policy: Any) -> HttpClient:
    values = {"tries": 4, "backoff": 1.0, **policy}
    return HttpClient(
        "zendesk",
        policy=RetryPolicy(**values),
        auth_hint="VOCMINE_ZENDESK_TOKEN",
        sleep=waits.append,
    )


def test_500_then_success_retries_with_back_off(fake: FakeServer) -> None:
    fake.fault(RATINGS, 500, 503)
    waits: list[float] = []
    page = client(waits).get_json(fake.url + RATINGS)
    assert page["satisfaction_ratings"] == [] and waits == [1.0, 2.0]


def test_429_honours_retry_after_seconds_and_backs_off_without_it(fake: FakeServer) -> None:
    fake.fault(RATINGS, "429:7", "429", "429:0")
    waits: list[float] = []
    client(waits).get_json(fake.url + RATINGS)
    assert waits == [7.0, 1.0, 0.0]


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 30.0
    assert retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now=now) == 0.0
    assert retry_after("soon", now=now) is None and retry_after(None) is None


def test_a_server_asking_for_too_long_a_wait_stops_the_source(fake: FakeServer) -> None:
    fake.fault(RATINGS, "429:3600")
    with pytest.raises(SourceError, match=r"^zendesk: .*3600 s.*next run resumes"):
        client([], max_wait=60).get_json(fake.url + RATINGS, what="the satisfaction ratings")


def test_retries_are_bounded_and_the_error_is_one_line(fake: FakeServer) -> None:
    fake.fault(RATINGS, 500, 500, 500, 500, 500)
    waits: list[float] = []
    with pytest.raises(SourceError) as error:
        client(waits).get_json(fake.url + "/api/v2/satisfaction_ratings.json?start_time=5")
    message = str(error.value)
    assert message == (
        "zendesk: request failed after 4 tries: HTTP 500 "
        f"({fake.url}/api/v2/satisfaction_ratings.json); "
        "the next run resumes from the last page stored"
    )
    assert waits == [1.0, 2.0, 4.0] and len(fake.paths(RATINGS)) == 4


def test_401_stops_at_once_and_names_the_variable(fake: FakeServer) -> None:
    fake.fault(RATINGS, 401)
    with pytest.raises(SourceError, match=r"refused \(HTTP 401\).*check VOCMINE_ZENDESK_TOKEN"):
        client([]).get_json(fake.url + RATINGS)
    assert len(fake.paths(RATINGS)) == 1


def test_a_truncated_body_is_retried_then_reported_as_malformed(fake: FakeServer) -> None:
    fake.fault(RATINGS, "truncated")
    assert "meta" in client([]).get_json(fake.url + RATINGS)
    fake.fault(RATINGS, *["truncated"] * 4)
    with pytest.raises(MalformedPage, match="not complete JSON"):
        client([]).get_json(fake.url + RATINGS)


def test_connection_refused_is_retried_then_an_error() -> None:
    waits: list[float] = []
    with pytest.raises(SourceError, match="failed after 4 tries: cannot connect"):
        client(waits, timeout=2).get_json(f"http://127.0.0.1:{closed_port()}/nothing")
    assert len(waits) == 3


def test_min_interval_spaces_requests(fake: FakeServer) -> None:
    waits: list[float] = []
    clock = iter([0.0, 1.0, 1.0, 2.0, 7.0]).__next__
    paced = HttpClient(
        "zendesk", policy=RetryPolicy(min_interval=6.0), sleep=waits.append, clock=clock
    )
    paced.get_json(fake.url + RATINGS)  # first request: no wait; done at t=0
    paced.get_json(fake.url + RATINGS)  # t=1: waits 5 s
    assert waits == [5.0]


# --- TLS ------------------------------------------------------------------------------------------


class _Hello(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def https_url(tmp_path: Path) -> Iterator[str]:
    """A local HTTPS server with a self-signed certificate: every client must refuse it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_self_signed_certificate_is_refused(https_url: str) -> None:
    import vocmine.sources.play  # noqa: F401 - imports google-play-scraper, which turns checks off

    with pytest.raises(SourceError, match=r"^zendesk: the TLS certificate of 127\.0\.0\.1.*verif"):
        client([]).get_json(https_url)


def test_google_play_scraper_no_longer_disables_certificate_checks(https_url: str) -> None:
    import google_play_scraper.utils.request as gps_request

    import vocmine.sources.play  # noqa: F401

    assert ssl._create_default_https_context is ssl.create_default_context
    # Its own requests go through urlopen's default context, verified again.
    with pytest.raises(Exception) as error:
        gps_request.get(https_url)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error.value)


SECRET = "s3cret"


def test_credentials_in_a_base_url_are_never_shown_or_stored(
    project: Path, fake: FakeServer
) -> None:
    """A base_url with a password reaches error lines, retry warnings, the runs table and
    status output only as ``***@``; the password goes to the server as basic auth."""
    import base64

    from tests.fake_server import appstore_review
    from tests.helpers import spawn_vocmine

    app = "1234567890"
    fake.appstore = {(app, "fr"): [appstore_review(n) for n in range(3)]}
    fake.fault("customerreviews", 500)  # a retry warning, which names the URL
    with_password = fake.url.replace("http://", f"http://user:{SECRET}@")
    unreachable = f"http://user:{SECRET}@127.0.0.1:{closed_port()}"  # an error line
    with (project / "vocmine.toml").open("a", encoding="utf-8") as toml:
        toml.write(
            f'\n[sources.ios]\ntype = "appstore"\napps = ["{app}"]\ncountries = ["fr"]\n'
            f'base_url = "{with_password}"\nbackoff = 0\n'
            f'\n[sources.gone]\ntype = "appstore"\napps = ["{app}"]\ncountries = ["fr"]\n'
            f'base_url = "{unreachable}"\nbackoff = 0\ntries = 2\n'
        )
    shown = b""
    pull = ("ingest", "appstore", app, "--country", "fr", "--no-embed")
    for args in (
        ("ingest", "--no-embed"),
        (*pull, "--name", "ios", "--base-url", with_password),
        (*pull, "--name", "gone", "--base-url", unreachable),
        ("status",),
    ):
        out, err = spawn_vocmine(project, *args).communicate(timeout=120)
        shown += out + err
    assert b"retrying" in shown and b"cannot connect" in shown  # the lines that name URLs
    assert b"127.0.0.1" in shown and b"ios" in shown
    assert SECRET.encode() not in shown, shown.decode(errors="replace")
    for path in project.glob("v.db*"):
        assert SECRET.encode() not in path.read_bytes(), path
    expected = "Basic " + base64.b64encode(f"user:{SECRET}".encode()).decode()
    sent = {headers.get("Authorization") for _, path, headers in fake.requests}
    assert sent == {expected}
