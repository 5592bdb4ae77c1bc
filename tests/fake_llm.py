"""A fake OpenAI-compatible chat-completion server on 127.0.0.1, for tests of drafting help.

It records every request it receives (path, headers, raw body), so a test can check what would
leave the machine. Reusable by any test that needs a drafter:

    with serve_fake_llm() as fake:
        fake.answer = "Drafted text."
        config = LLMConfig(enabled=True, base_url=fake.url, model="fake-7b")
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeLLM:
    """What the fake endpoint answers, and what it received."""

    answer: str = "Drafted text."
    status: int = 200
    body: bytes | None = None  # overrides the JSON answer (malformed replies)
    delay: float = 0.0
    location: str | None = None  # a redirect target
    raw_reply: bytes | None = None  # sent as is instead of an HTTP response
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "raw": raw})
                time.sleep(fake.delay)
                if fake.raw_reply is not None:
                    self.wfile.write(fake.raw_reply)
                    return
                if fake.body is not None:
                    payload = fake.body
                elif fake.status != 200:
                    # A careless server echoes the credentials it was sent.
                    payload = json.dumps({"error": self.headers.get("Authorization")}).encode()
                else:
                    payload = json.dumps(
                        {"choices": [{"message": {"role": "assistant", "content": fake.answer}}]}
                    ).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    if fake.location:
                        self.send_header("Location", fake.location)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def do_GET(self) -> None:  # where a followed redirect would land
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "raw": b""})
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@contextmanager
def serve_fake_llm() -> Iterator[FakeLLM]:
    """Run a fake endpoint on a free port of 127.0.0.1 for the duration of a block."""
    state = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), state.handler())
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
