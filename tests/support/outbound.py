"""Real loopback endpoints for what the system sends out: an SMTP server (aiosmtpd) and an HTTP sink
standing in for the SMS gateway. Each records what it received."""
from __future__ import annotations

import contextlib
import email
import json
import socket
import threading
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """An SMTP server on 127.0.0.1 keeping every message as (to, subject, text)."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(parsed["Subject"]),
                              "text": parsed.get_body(("plain",)).get_content()})
        return "250 OK"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


class HttpSink:
    """An HTTP server on 127.0.0.1 keeping every JSON body POSTed to it; ``fail`` makes it answer 503."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.fail = False
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's handler name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not sink.fail:
                    sink.received.append(json.loads(body or b"{}"))
                self.send_response(503 if sink.fail else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def to(self, mobile: str) -> list[dict]:
        return [m for m in self.received if m.get("mobile") == mobile]

    def __enter__(self) -> HttpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):
            self._server.shutdown()
            self._server.server_close()
