"""Helpers for the workbench's tests: a real uvicorn server on a thread, and a small client."""

from __future__ import annotations

import http.client
import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from aligner.data import Sentence
from aligner.formats.tmx import clean_segment
from aligner.workbench.server import prepare
from aligner.workbench.store import Project


def segment(sentences: list[str]) -> str:
    """A row's side as the page shows it, as a TMX segment: sentences without their list
    markers, joined by a space."""
    return clean_segment(" ".join(Sentence(text).segment for text in sentences))


@dataclass
class Client:
    """Requests to a running review server, with or without the token."""

    port: int
    token: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def raw(self, method: str, path: str, body: dict | None = None, token: bool = True) -> tuple[int, bytes]:
        """The path is sent as written (no `..` folding), the token as a header when asked for."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"content-type": "application/json"}
        if token:
            headers["x-aligner-token"] = self.token
        try:
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def get(self, path: str) -> dict:
        status, data = self.raw("GET", path)
        assert status == 200, (status, data)
        return json.loads(data)

    def post(self, path: str, body: dict | None = None, expect: int = 200) -> dict:
        status, data = self.raw("POST", path, body or {})
        assert status == expect, (status, data)
        return json.loads(data)

    def op(self, **body) -> dict:
        return self.post("/api/op", body)

    def rows(self, doc: int = 0) -> list[dict]:
        return self.get(f"/api/rows?doc={doc}&limit=500")["rows"]


@contextmanager
def running(project_path: Path, encoder) -> Iterator[Client]:
    """The project served as `aligner review` serves it, on a free port, until the block ends."""
    project = Project(project_path)
    server, sock, url = prepare(project, lambda: encoder, 0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Client(sock.getsockname()[1], url.split("token=")[1])
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
        project.close()
