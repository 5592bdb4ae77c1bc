"""The HTTP client every live source shares: verified TLS, retries, back-off, 429 and clear errors.

Standard library only (urllib): the sources make a few GET and POST calls and need no more. What a
real API does to a long pull, handled once here:

- 429 honours ``Retry-After`` (seconds or an HTTP date) up to ``max_wait``; without it, back-off;
- 5xx, timeouts, dropped connections and truncated bodies retry with exponential back-off
  (``backoff``, doubled each time) for at most ``tries`` attempts;
- 401/403 stop at once and name the environment variables to check;
- a minimum interval between requests (Zendesk's incremental export allows ~10 a minute);
- certificates are always verified, with a context of our own: google-play-scraper's import turns
  verification off process-wide, and that must not reach a request that carries a token.

Errors are :class:`~vocmine.sources.SourceError` with one line that names the source, what
happened and that the next run resumes. URLs in messages lose their query and their userinfo;
headers (credentials) never appear. A ``base_url`` with a user and password
(``https://user:pw@proxy``) has them sent as basic auth, never in a message, log or the database.

Usage::

    client = HttpClient("zendesk", policy=RetryPolicy(tries=3))
    page = client.get_json("https://acme.zendesk.com/api/v2/satisfaction_ratings.json")
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import json
import logging
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from vocmine import __version__
from vocmine.sources import SourceError
from vocmine.urls import scrub, split_credentials

RESUMES = "the next run resumes from the last page stored"
# Waits are reported here (the CLI shows them above its progress bar): a pull that pauses for a
# Retry-After of a minute should say so. Messages never carry headers or query strings.
log = logging.getLogger("vocmine.sources")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a source tries before it gives up (all waits in seconds).

    Attributes:
        tries: Attempts per request, the first included.
        backoff: Wait before the first retry; doubled for each further one.
        max_wait: Longest wait honoured, from Retry-After or back-off; a server asking for
            more stops the source (the next run resumes).
        min_interval: Minimum time between two requests of one client.
        timeout: Socket timeout per request.
    """

    tries: int = 5
    backoff: float = 2.0
    max_wait: float = 120.0
    min_interval: float = 0.0
    timeout: float = 30.0


POLICY_KEYS: tuple[str, ...] = ("tries", "backoff", "max_wait", "min_interval", "timeout")


def policy_from_table(
    name: str, table: Mapping[str, Any], default: RetryPolicy = RetryPolicy()
) -> RetryPolicy:
    """Read the retry keys of a ``[sources.NAME]`` table over ``default``.

    Raises:
        ConfigError: A value is not a non-negative number (``tries`` a positive integer).
    """
    from vocmine.errors import ConfigError

    values: dict[str, Any] = {}
    for key in POLICY_KEYS:
        if key not in table:
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"[sources.{name}]: {key} must be a number >= 0, got {value!r}")
        if key == "tries" and (not isinstance(value, int) or value < 1):
            raise ConfigError(f"[sources.{name}]: tries must be an integer >= 1, got {value!r}")
        values[key] = value
    return RetryPolicy(**{**default.__dict__, **values})


@dataclass(frozen=True)
class Response:
    """A response whose status the caller decides about (2xx, or a 4xx it expects).

    ``date`` is the server's ``Date`` header (when the page was served), if any.
    """

    status: int
    body: bytes
    url: str
    date: str | None = None


class MalformedPage(SourceError):
    """A page stayed unreadable (truncated or invalid JSON) after every retry."""


class _Retry(Exception):
    """A transient failure: wait ``wait`` seconds (None: back-off) and try again."""

    def __init__(self, what: str, wait: float | None = None, *, malformed: bool = False) -> None:
        super().__init__(what)
        self.what = what
        self.wait = wait
        self.malformed = malformed


def parse_json(response: Response) -> Any:
    """The JSON of a response; a truncated or invalid body is retried, then :class:`MalformedPage`.

    Use as ``parse=`` of :meth:`HttpClient.request`.
    """
    try:
        return json.loads(response.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise malformed("the response was not complete JSON") from None


def malformed(what: str) -> Exception:
    """The exception a ``parse=`` function raises for a body it cannot read: retried, then
    :class:`MalformedPage`."""
    return _Retry(what, malformed=True)


def shown(url: str) -> str:
    """A URL fit for a message: scheme, host and path, without the query (cursors, filters) or
    credentials (``user:pw@``).

    Example:
        >>> shown("http://user:pw@127.0.0.1:8080/a/b?cursor=x")
        'http://127.0.0.1:8080/a/b'
    """
    parts = urlsplit(split_credentials(url)[0])
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent.

    Example:
        >>> retry_after("7"), retry_after("Wed, 21 Oct 2026 07:28:00 GMT") is not None
        (7.0, True)
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """Requests for one source, with its retry policy and its credentials.

    Args:
        source: The source's name, first word of every error.
        policy: Retries, back-off, waits and timeout.
        headers: Sent with every request (e.g. Authorization); never shown anywhere.
        auth_hint: What to check on 401/403, e.g. "VOCMINE_ZENDESK_EMAIL and ...".
        sleep: How to wait; tests pass a recorder so that nothing really sleeps.
        clock: Monotonic clock, for ``min_interval``.
    """

    def __init__(
        self,
        source: str,
        *,
        policy: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
        auth_hint: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.policy = policy
        self._headers = {"User-Agent": f"vocmine/{__version__}", **(headers or {})}
        self.auth_hint = auth_hint
        self.sleep = sleep
        self.clock = clock
        self._last: float | None = None
        # Our own verifying context: never ssl._create_default_https_context, which a library
        # may have replaced with the unverified one.
        self._tls = ssl.create_default_context()

    def get_json(self, url: str, *, what: str = "request") -> Any:
        """GET a JSON document; a body that is not JSON is retried like a dropped connection.

        Raises:
            SourceError: Retries exhausted, credentials refused, or an unexpected status.
        """
        return self.request_json(url, what=what)

    def request_json(self, url: str, *, what: str, data: bytes | None = None) -> Any:
        """GET (or POST ``data``) and parse JSON; see :meth:`get_json`."""
        return self.request(url, what=what, data=data, expect=(200,), parse=parse_json)

    def request(
        self,
        url: str,
        *,
        what: str = "request",
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
        parse: Callable[[Response], Any] | None = None,
    ) -> Any:
        """Send one request, retrying what is transient; return ``parse(response)`` or the response.

        Statuses in ``expect`` are returned (or parsed); 429, 5xx and connection errors are
        retried; anything else stops the source.

        Raises:
            SourceError: Retries exhausted, credentials refused, or a status not expected.
        """
        # Credentials in the URL go as a header: the URL itself reaches messages and logs.
        url, userinfo = split_credentials(url)
        headers = dict(headers or {})
        if userinfo is not None and not any(
            key.lower() == "authorization" for key in [*self._headers, *headers]
        ):
            pair = ":".join(userinfo).encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        delay = self.policy.backoff
        last = _Retry("")
        for attempt in range(1, self.policy.tries + 1):
            try:
                response = self._once(url, data, headers)
                if response.status not in expect:
                    raise SourceError(self._status_message(response, what))
                return parse(response) if parse is not None else response
            except _Retry as retry:
                last = retry
                if attempt == self.policy.tries:
                    break
                wait = delay if retry.wait is None else retry.wait
                if wait > self.policy.max_wait:
                    raise SourceError(
                        f"{self.source}: {what} failed: {retry.what} and the server asks to wait "
                        f"{wait:.0f} s (more than max_wait = {self.policy.max_wait:g}); {RESUMES}"
                    ) from None
                log.warning(
                    "%s: %s (%s); retrying in %.0f s", self.source, retry.what, shown(url), wait
                )
                self.sleep(wait)
                if retry.wait is None:
                    delay *= 2
        error = MalformedPage if last.malformed else SourceError
        raise error(
            f"{self.source}: {what} failed after {self.policy.tries} tries: {last.what} "
            f"({shown(url)}); {RESUMES}"
        )

    def _once(self, url: str, data: bytes | None, headers: Mapping[str, str]) -> Response:
        """One attempt: a Response for any HTTP status, _Retry for what is worth retrying."""
        self._pace()
        request = urllib.request.Request(url, data=data, headers={**self._headers, **headers})
        try:
            with urllib.request.urlopen(
                request, timeout=self.policy.timeout, context=self._tls
            ) as reply:
                return Response(reply.status, reply.read(), url, reply.headers.get("Date"))
        except urllib.error.HTTPError as exc:
            body = _read_quietly(exc)
            if exc.code == 429:
                wait = retry_after(exc.headers.get("Retry-After"))
                raise _Retry("HTTP 429 (rate limited)", wait) from None
            if exc.code >= 500:
                raise _Retry(f"HTTP {exc.code}") from None
            return Response(exc.code, body, url)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLCertVerificationError):
                raise SourceError(
                    f"{self.source}: the TLS certificate of {urlsplit(shown(url)).netloc} could not be "
                    f"verified ({exc.reason.verify_message}); check base_url, or the proxy in "
                    "between, and install its CA certificate in the system store"
                ) from None
            raise _Retry(f"cannot connect ({_reason(exc.reason)})") from None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
            raise _Retry(f"connection lost ({_reason(exc)})") from None
        finally:
            self._last = self.clock()

    def _pace(self) -> None:
        if self._last is None or not self.policy.min_interval:
            return
        left = self.policy.min_interval - (self.clock() - self._last)
        if left > 0:
            self.sleep(left)

    def _status_message(self, response: Response, what: str) -> str:
        where = shown(response.url)
        if response.status in (401, 403) and self.auth_hint:
            return (
                f"{self.source}: {what} was refused (HTTP {response.status}) by {where}; "
                f"check {self.auth_hint}"
            )
        return f"{self.source}: {what} failed: HTTP {response.status} from {where}; {RESUMES}"


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read()
    except (OSError, http.client.HTTPException):
        return b""


def _reason(reason: object) -> str:
    # The reason's text comes from the OS or the server, never from our headers.
    text = scrub(str(reason)) or type(reason).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# --- config helpers shared by the HTTP sources ------------------------------------------------


def check_keys(name: str, table: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    """Refuse unknown keys in a ``[sources.NAME]`` table, listing the valid ones.

    Raises:
        ConfigError: A key is unknown.
    """
    from vocmine.errors import ConfigError

    valid = ("type", "base_url", *keys, *POLICY_KEYS)
    unknown = sorted(set(table) - set(valid))
    if unknown:
        raise ConfigError(
            f"[sources.{name}]: unknown key {unknown[0]!r}; valid keys: {', '.join(valid)}"
        )


def string_list(name: str, table: Mapping[str, Any], key: str, *, example: str) -> list[str]:
    """A non-empty list of non-empty strings (a single string is accepted as a list of one).

    Raises:
        ConfigError: The key is missing or holds something else.
    """
    from vocmine.errors import ConfigError

    value = table.get(key)
    if value is None:
        raise ConfigError(
            f"[sources.{name}]: no {key}; set {key} = {example} in vocmine.toml, or give them "
            f"on the command line (vocmine ingest {table.get('type', 'TYPE')} --help)"
        )
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"[sources.{name}]: {key} must be a list of strings, e.g. {example}")
    return [v.strip() for v in value]


def base_url(name: str, table: Mapping[str, Any], default: str) -> str:
    """The ``base_url`` of a table (a mirror, a proxy, a test server), without trailing slash.

    Raises:
        ConfigError: It is not an http(s) URL.
    """
    from vocmine.errors import ConfigError

    value = table.get("base_url", default)
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise ConfigError(
            f"[sources.{name}]: base_url must be an http(s) URL such as {default}, "
            f"got {scrub(repr(value))}"
        )
    return value.rstrip("/")
