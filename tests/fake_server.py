"""A local HTTP server on 127.0.0.1 that answers like Zendesk, Apple's review feed and Google Play.

Payload shapes follow the real APIs (written by us, no recorded customer data):

- Zendesk incremental ticket export (cursor-based): ``{"tickets": [...], "after_url",
  "after_cursor", "before_url", "before_cursor", "end_of_stream"}``;
- Zendesk satisfaction ratings with cursor pagination: ``{"satisfaction_ratings": [...],
  "meta": {"has_more", "after_cursor", "before_cursor"}, "links": {"prev", "next"}}``;
- Apple's customer-reviews JSON: ``{"feed": {"entry": [...]}}`` with every value as
  ``{"label": ...}``, 50 a page, pages 1-10, 400 past page 10, no ``entry`` when empty;
- Google Play ``batchexecute``: ``)]}'`` then the envelope google-play-scraper 1.2.7 parses.

The ticket export's cursor is a position in the tickets sorted by ``updated_at``: as with
Zendesk, a changed ticket is sent again after the cursor, so tests append its new version.

Faults are queued per path fragment (``server.fault("/tickets", 500, 500)``): an int is that HTTP
status, ``"429"``/``"429:N"`` a 429 without/with Retry-After, ``"truncated"`` a cut JSON body,
``"stall"`` a request that hangs until :meth:`FakeServer.release`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

APPSTORE_PAGE = 50
PLAY_PAGE = 200
T0 = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
PACIFIC = timezone(timedelta(hours=-7))  # Apple's feed dates carry the offset of Cupertino


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ticket(n: int, **kw: Any) -> dict[str, Any]:
    """A ticket as the incremental export returns it."""
    created = T0 - timedelta(hours=n)
    value: dict[str, Any] = {
        "id": 1000 + n,
        "url": f"https://acme.zendesk.com/api/v2/tickets/{1000 + n}.json",
        "created_at": iso(created),
        "updated_at": iso(created + timedelta(minutes=5)),
        "subject": f"Virement numéro {n} pas reçu",
        "description": f"Bonjour, mon virement {n} n'est toujours pas arrivé sur mon compte.",
        "status": "open",
        "requester_id": 500 + n,
        "tags": ["virement", "paiement"],
        "via": {"channel": "email", "source": {"from": {}, "to": {}, "rel": None}},
        "satisfaction_rating": {"score": "unoffered"},
    }
    value.update(kw)
    return value


def rating(n: int, **kw: Any) -> dict[str, Any]:
    """A satisfaction rating as /api/v2/satisfaction_ratings.json returns it."""
    value: dict[str, Any] = {
        "id": 7000 + n,
        "url": f"https://acme.zendesk.com/api/v2/satisfaction_ratings/{7000 + n}.json",
        "assignee_id": 1,
        "group_id": 2,
        "requester_id": 500 + n,
        "ticket_id": 1000 + n,
        "score": "bad" if n % 2 else "good",
        "comment": f"Réponse {n} trop lente, toujours pas de virement",
        "reason": None,
        "created_at": iso(T0 - timedelta(days=30) + timedelta(hours=n)),
        "updated_at": iso(T0 - timedelta(days=30) + timedelta(hours=n)),
    }
    value.update(kw)
    return value


def appstore_review(n: int, **kw: Any) -> dict[str, Any]:
    """An entry of Apple's customer-reviews JSON feed (review n is n hours old)."""
    created = T0 - timedelta(hours=n)
    value: dict[str, Any] = {
        "author": {
            "uri": {"label": f"https://itunes.apple.com/fr/reviews/id{900 + n}"},
            "name": {"label": f"Camille Dupont{n}"},
            "label": "",
        },
        "updated": {"label": created.astimezone(PACIFIC).isoformat()},
        "im:rating": {"label": str(1 + n % 5)},
        "im:version": {"label": "4.12.0"},
        "id": {"label": str(11_000_000 + n)},
        "title": {"label": f"Bug {n}"},
        "content": {
            "label": f"L'application plante au démarrage depuis la mise à jour {n}",
            "attributes": {"type": "text"},
        },
        "link": {"attributes": {"rel": "related", "href": "https://apps.apple.com/fr/review?id=1"}},
        "im:voteSum": {"label": "0"},
        "im:contentType": {"attributes": {"term": "Application", "label": "Application"}},
        "im:voteCount": {"label": "0"},
    }
    value.update(kw)
    return value


def appstore_review_2019(n: int, **kw: Any) -> dict[str, Any]:
    """An entry of the feed format of 2019-2021: the same fields, but no per-entry ``updated``."""
    value = appstore_review(n, **kw)
    value.pop("updated", None)
    return value


APP_ENTRY = {
    "im:name": {"label": "Marche & Gagne"},
    "rights": {"label": "© Example"},
    "id": {
        "label": "https://apps.apple.com/fr/app/id1234567890",
        "attributes": {"im:id": "1234567890"},
    },
    "im:artist": {"label": "Example SAS"},
}


def play_review(n: int, **kw: Any) -> list[Any]:
    """A review in the nested-list shape google-play-scraper's ElementSpecs.Review reads."""
    created = T0 - timedelta(hours=n)
    reply = kw.pop("reply", None)
    value: list[Any] = [
        f"gp:review-{n}",
        [f"Jeanne Martin{n}", [None, None, None, [None, None, "https://example.invalid/a.png"]]],
        kw.pop("score", 1 + n % 5),
        None,
        kw.pop("content", f"Les pas ne sont plus comptés depuis la version {n}"),
        [int(created.timestamp()), 123000000],
        kw.pop("thumbs", n % 7),
        None if reply is None else [None, reply, [int(created.timestamp()) + 3600, 0]],
        None,
        None,
        kw.pop("version", "4.12.0"),
    ]
    return value


def play_payload(reviews: list[Any], token: str | None) -> str:
    """A batchexecute answer: ")]}'", then the envelope whose [0][2] is the reviews JSON."""
    inner = json.dumps([reviews, [None, token] if token else None, None])
    envelope = [["wrb.fr", "oCPfdb", inner, None, None, None, "generic"], ["di", 42]]
    return ")]}'\n\n" + json.dumps(envelope)


@dataclass
class FakeServer:
    """Serves the data below; tests mutate it between runs (new reviews arrive, and so on)."""

    tickets: list[dict[str, Any]] = field(default_factory=list)
    ticket_page: int = 3
    ratings: list[dict[str, Any]] = field(default_factory=list)
    appstore: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    appstore_app_entry: bool = False
    # The feed's own "updated" (when Apple built the page); None leaves it out.
    appstore_updated: str | None = "2026-10-20T05:00:00-07:00"
    play: dict[str, list[list[Any]]] = field(default_factory=dict)
    play_page: int = PLAY_PAGE
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    faults: dict[str, list[Any]] = field(default_factory=dict)
    stalled: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def fault(self, fragment: str, *faults: Any) -> None:
        """Answer the next requests whose path contains ``fragment`` with these faults."""
        self.faults.setdefault(fragment, []).extend(faults)

    def release(self) -> None:
        """Let a stalled request go on (and every later one)."""
        self.released.set()

    def paths(self, fragment: str = "") -> list[str]:
        return [path for _, path, _ in self.requests if fragment in path]

    # -- responses ----------------------------------------------------------------------------

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/api/v2/incremental/tickets/cursor.json":
            return self._json(self._ticket_page(query))
        if parts.path == "/api/v2/satisfaction_ratings.json":
            return self._json(self._rating_page(query))
        store = re.fullmatch(
            r"/(\w+)/rss/customerreviews/page=(\d+)/id=(\d+)/sortby=mostrecent/json", parts.path
        )
        if store:
            return self._appstore(store.group(1), int(store.group(2)), store.group(3))
        if parts.path == "/_/PlayStoreUi/data/batchexecute" and method == "POST":
            return 200, {"Content-Type": "application/json"}, self._play(body).encode()
        return 404, {}, b"not found"

    def _json(self, value: Any) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/json"}, json.dumps(value).encode()

    def _ticket_page(self, query: dict[str, str]) -> dict[str, Any]:
        ordered = sorted(self.tickets, key=lambda t: str(t["updated_at"]))
        if query.get("exclude_deleted") == "true":  # by default Zendesk sends deletions too
            ordered = [t for t in ordered if t.get("status") != "deleted"]
        if "cursor" in query:
            offset = int(base64.b64decode(query["cursor"]).decode())
        else:
            start = int(query.get("start_time", "0"))
            offset = next(
                (i for i, t in enumerate(ordered) if _epoch(t["updated_at"]) >= start),
                len(self.tickets),
            )
        page = ordered[offset : offset + self.ticket_page]
        after = offset + len(page)
        cursor = base64.b64encode(str(after).encode()).decode()
        return {
            "tickets": page,
            "after_url": f"{self.url}/api/v2/incremental/tickets/cursor.json?cursor={cursor}",
            "after_cursor": cursor,
            "before_url": None,
            "before_cursor": None,
            "end_of_stream": after >= len(ordered),
        }

    def _rating_page(self, query: dict[str, str]) -> dict[str, Any]:
        size = int(query.get("page[size]", "100"))
        start = int(query.get("start_time", "0"))
        ordered = sorted(self.ratings, key=lambda r: str(r["created_at"]))
        chosen = [r for r in ordered if _epoch(r["created_at"]) >= start]
        offset = int(query["page[after]"].removeprefix("r")) if "page[after]" in query else 0
        page = chosen[offset : offset + size]
        more = offset + size < len(chosen)
        after = f"r{offset + len(page)}"
        return {
            "satisfaction_ratings": page,
            "meta": {"has_more": more, "after_cursor": after, "before_cursor": f"r{offset}"},
            "links": {
                "prev": None,
                "next": f"{self.url}/api/v2/satisfaction_ratings.json?page[after]={after}"
                if more
                else None,
            },
        }

    def _appstore(self, country: str, page: int, app: str) -> tuple[int, dict[str, str], bytes]:
        if page > 10:
            return (
                400,
                {"Content-Type": "text/html"},
                b"<html>CustomerReviews RSS page depth is limited to 10</html>",
            )
        reviews = self.appstore.get((app, country), [])
        entries: list[Any] = reviews[(page - 1) * APPSTORE_PAGE : page * APPSTORE_PAGE]
        if page == 1 and self.appstore_app_entry and entries:
            entries = [APP_ENTRY, *entries]
        feed: dict[str, Any] = {
            "author": {
                "name": {"label": "iTunes Store"},
                "uri": {"label": "http://www.apple.com/fr/itunes/"},
            },
            "link": [
                {
                    "attributes": {
                        "rel": "next",
                        "href": f"https://itunes.apple.com/{country}/rss/customerreviews/page={page + 1}/id={app}/sortby=mostrecent/xml",
                    }
                }
            ],
            "id": {
                "label": f"https://itunes.apple.com/{country}/rss/customerreviews/page={page}/id={app}/sortby=mostrecent/json"
            },
        }
        if self.appstore_updated is not None:
            feed["updated"] = {"label": self.appstore_updated}
        if entries:
            feed["entry"] = entries[0] if len(entries) == 1 else entries
        return self._json({"feed": feed})

    def _play(self, body: bytes) -> str:
        request = unquote_plus(body.decode())
        app = re.search(r'\[\\"([\w.]+)\\",7\]', request)
        token = re.search(r'\[\d+,null,\\"([^\\"]+)\\"\]', request)
        reviews = self.play.get(app.group(1) if app else "", [])
        offset = int(token.group(1).removeprefix("tok-")) if token else 0
        page = reviews[offset : offset + self.play_page]
        after = offset + len(page)
        return play_payload(page, f"tok-{after}" if after < len(reviews) else None)


def _epoch(value: str) -> int:
    return int(datetime.fromisoformat(value).timestamp())


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet tests

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake.requests.append((method, self.path, dict(self.headers.items())))
        fault = self._fault(fake)
        if fault == "stall":
            fake.stalled.set()
            fake.released.wait(timeout=60)
            fault = None
        status, headers, payload = fake.answer(method, self.path, body)
        if fault == "truncated":
            payload = payload[: len(payload) // 2]
        elif isinstance(fault, int):
            status, headers, payload = (
                fault,
                {"Content-Type": "application/json"},
                b'{"error": "x"}',
            )
        elif isinstance(fault, str) and fault.startswith("429"):
            status, payload = 429, b'{"error": "TooManyRequests"}'
            headers = {"Content-Type": "application/json"}
            if ":" in fault:
                headers["Retry-After"] = fault.split(":", 1)[1]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _fault(self, fake: FakeServer) -> Any:
        for fragment, queue in fake.faults.items():
            if fragment in self.path and queue:
                return queue.pop(0)
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer


def serve(fake: FakeServer) -> Iterator[FakeServer]:
    """Run ``fake`` on 127.0.0.1 (a free port) for the duration of a fixture."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.release()
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting to it is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
