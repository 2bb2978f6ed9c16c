"""A local HTTP server for URL-source tests: serves pages the test gives it and records every request.

It listens on 127.0.0.1 only, on a port the system picks, and stops when the test ends; no test
reaches any other host.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    status: int = 200
    location: str | None = None  # for a redirect


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class Server:
    base: str
    resources: dict[str, Resource]
    requests: list[Request] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


def _handler(server: Server) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            resource = server.resources.get(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            if resource is None:
                status = 404
            elif resource.etag and headers.get("if-none-match") == resource.etag:
                status = 304
            else:
                status = resource.status
            server.requests.append(Request(self.path, headers, status))
            self.send_response(status)
            if resource is not None and status != 404:
                if resource.location:
                    self.send_header("Location", resource.location)
                if resource.etag:
                    self.send_header("ETag", resource.etag)
                self.send_header("Content-Type", resource.content_type)
            body = resource.body if resource is not None and status == 200 else b""
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(resources: dict[str, Resource]) -> Iterator[Server]:
    """A server on 127.0.0.1 holding `resources` (path -> Resource); `.base` is its address."""
    state = Server(base="", resources=resources)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
