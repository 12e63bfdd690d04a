"""The review web app: Starlette on uvicorn, on 127.0.0.1 only, behind a random token.

Every request needs the token: in the query (the printed URL), in an X-Aligner-Token header,
or in the cookie the page sets from it (named by port, since cookies ignore ports). Static
files come only from the package's static folder (Starlette's StaticFiles refuses any path
that leaves it). The handlers only translate HTTP to the operations of edits.py, realign.py,
views.py and export.py, which do the work on the project.
"""

from __future__ import annotations

import secrets
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from aligner.encoders.base import Encoder
from aligner.errors import InputError
from aligner.workbench import edits, views
from aligner.workbench.export import export
from aligner.workbench.project import Change, StaleChange
from aligner.workbench.realign import params_of, realign_pending
from aligner.workbench.store import Project

STATIC = Path(__file__).resolve().parent / "static"
HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PAGE_LIMIT = 500
# The page needs nothing from anywhere else; a text that slipped into markup could run nothing.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                 b"connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class TokenGate:
    """ASGI middleware: 403 without the token; security headers on every response."""

    def __init__(self, app, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = (request.query_params.get("token") or request.headers.get("x-aligner-token")
                 or request.cookies.get(cookie_name(scope)) or "")
        if not secrets.compare_digest(given.encode(), self.token):
            response = PlainTextResponse("403: open the address `aligner review` printed, with its token", 403)
            await response(scope, receive, _with_headers(send))
            return
        await self.app(scope, receive, _with_headers(send))


def _with_headers(send):
    """Adds the security headers, and Server-Timing: the time the app took (the benchmark's figure)."""
    started = time.perf_counter()

    async def sender(message) -> None:
        if message["type"] == "http.response.start":
            took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()
            message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS, (b"server-timing", took)]}
        await send(message)

    return sender


def cookie_name(scope) -> str:
    server = scope.get("server") or ("", 0)
    return f"aligner_token_{server[1]}"


def create_app(project: Project, token: str, encoder_factory: Callable[[], Encoder]) -> Starlette:
    """The app for one open project. The encoder is loaded on the first re-align, not before."""
    loaded: list[Encoder] = []
    loading = threading.Lock()

    def encoder() -> Encoder:
        with loading:
            if not loaded:
                loaded.append(encoder_factory())
            return loaded[0]

    async def page(request: Request) -> Response:
        response = FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")
        if request.query_params.get("token"):
            response.set_cookie(cookie_name(request.scope), token, httponly=True, samesite="strict")
        return response

    async def state(request: Request) -> Response:
        with project.lock:
            documents = [{"index": d.index, "name": d.name, "src_lang": d.src_lang, "tgt_lang": d.tgt_lang,
                          "counts": views.counts(d), "resume": views.first_unconfirmed(d)}
                         for d in project.documents]
            return JSONResponse({"project": project.path.name, "documents": documents,
                                 "encoder": project.settings.encoder, "filters": list(views.FILTERS),
                                 "history": _history(project)})

    async def rows(request: Request) -> Response:
        q = request.query_params
        with project.lock:
            doc = _document(project, q.get("doc", "0"))
            matching = views.matching_rows(doc, q.get("filter", "all"), q.get("q", ""))
            limit = min(max(_int(q.get("limit", "100")), 1), PAGE_LIMIT)
            if "around" in q:  # the page that holds this row, or the first match after it
                around = _int(q["around"])
                position = next((k for k, i in enumerate(matching) if i >= around), max(len(matching) - 1, 0))
                offset = position // limit * limit
            else:
                offset = max(_int(q.get("offset", "0")), 0)
            return JSONResponse({"doc": doc.index, "total": len(matching), "offset": offset, "limit": limit,
                                 "rows": [views.row_json(doc, i) for i in matching[offset:offset + limit]],
                                 "counts": views.counts(doc), "history": _history(project)})

    async def next_row(request: Request) -> Response:
        q = request.query_params
        with project.lock:
            doc = _document(project, q.get("doc", "0"))
            return JSONResponse({"row": views.next_to_check(doc, _int(q.get("after", "-1")))})

    async def operation(request: Request) -> Response:
        args = await _json(request)
        with project.lock:
            doc = _document(project, str(args.get("doc", 0)))
            try:
                change = _edit(project, doc, args)
            except (KeyError, TypeError) as err:
                raise edits.EditError(f"missing or wrong argument {err}") from None
            project.record(change)
            return _changed(project, change)

    async def undo(request: Request) -> Response:
        with project.lock:
            return _changed(project, project.undo())

    async def redo(request: Request) -> Response:
        with project.lock:
            return _changed(project, project.redo())

    async def realign(request: Request) -> Response:
        args = await _json(request)

        def work() -> Change | None:
            # the aligner runs on a copy, so the other requests are served meanwhile
            with project.lock:
                doc = _document(project, str(args.get("doc", 0))).snapshot()
            change = realign_pending(doc, encoder(), params_of(project.settings))
            if change is not None:
                try:
                    project.record(change)
                except StaleChange:
                    raise edits.EditError("the document changed during the re-alignment; run it again") from None
            return change

        change = await run_in_threadpool(work)
        with project.lock:
            return _changed(project, change)

    async def download(request: Request) -> Response:
        q = request.query_params
        fmt = q.get("format", "tmx")
        if fmt not in ("tmx", "tsv"):
            raise edits.EditError("format: tmx or tsv")
        min_confidence = float(q["min_confidence"]) if q.get("min_confidence") else None
        name = f"{project.path.stem}.reviewed.{fmt}"

        def work() -> bytes:
            with tempfile.TemporaryDirectory(prefix="aligner-export-") as folder:
                path = Path(folder) / name
                export(project, path, confirmed_only=q.get("confirmed_only") == "1", min_confidence=min_confidence)
                return path.read_bytes()

        media = "application/x-tmx+xml" if fmt == "tmx" else "text/tab-separated-values; charset=utf-8"
        return Response(await run_in_threadpool(work), media_type=media,
                        headers={"content-disposition": _attachment(name)})

    async def refused(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": str(exc)}, 400)

    routes = [
        Route("/", page),
        Route("/api/state", state),
        Route("/api/rows", rows),
        Route("/api/next", next_row),
        Route("/api/op", operation, methods=["POST"]),
        Route("/api/undo", undo, methods=["POST"]),
        Route("/api/redo", redo, methods=["POST"]),
        Route("/api/realign", realign, methods=["POST"]),
        Route("/api/export", download),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(TokenGate, token=token)],
                     exception_handlers={edits.EditError: refused, ValueError: refused, InputError: refused})


def _edit(project: Project, doc, args: dict) -> Change:
    """The Change an operation request asks for."""
    op, row = args.get("op"), int(args.get("row", 0))
    side, k = args.get("side", "src"), int(args.get("k", 0))
    if op == "merge":
        return edits.merge_next(doc, row)
    if op == "split":
        return edits.split_unit(doc, row, int(args["src_at"]), int(args["tgt_at"]))
    if op == "split-sentence":
        return edits.split_sentence(doc, row, side, k, int(args["offset"]), project.next_sentence_id())
    if op == "move":
        return edits.move_sentence(doc, row, side, args["direction"])
    if op == "insert":
        return edits.insert_empty(doc, int(args.get("at", row + 1)))
    if op == "remove":
        return edits.remove_empty(doc, row)
    if op == "edit":
        return edits.edit_text(doc, row, side, k, str(args["text"]))
    if op == "confirm":
        return edits.confirm(doc, row)
    raise edits.EditError(f"unknown operation {op!r}")


def _changed(project: Project, change: Change | None) -> Response:
    body: dict = {"history": _history(project)}
    if change is not None:
        doc = project.documents[change.doc]
        body.update(op=change.op, doc=change.doc, start=change.start, removed=len(change.before),
                    added=len(change.after), counts=views.counts(doc))
    return JSONResponse(body)


def _history(project: Project) -> dict:
    done, undone = project.history_counts()
    return {"undo": done, "redo": undone}


def _document(project: Project, value: str):
    index = _int(value)
    if not 0 <= index < len(project.documents):
        raise edits.EditError(f"no document {value}")
    return project.documents[index]


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise edits.EditError(f"{value!r} is not a number") from None


async def _json(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        raise edits.EditError("the request body is not JSON") from None
    if not isinstance(data, dict):
        raise edits.EditError("the request body is not a JSON object")
    return data


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 only; the default port, when taken, gives way to a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Connections inherit it on Linux: the server's reply (headers, then body, in two writes)
    # is not held back 40 ms by Nagle's algorithm waiting for the browser's delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        if port != DEFAULT_PORT:
            sock.close()
            raise InputError(f"--port {port}", "the port is taken; choose another or leave --port out") from None
        sock.bind((HOST, 0))
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def new_token() -> str:
    return secrets.token_urlsafe(24)


def prepare(project: Project, encoder_factory: Callable[[], Encoder], port: int = DEFAULT_PORT):
    """The server of a project, not yet running: (uvicorn server, its socket, the address with
    the token). The project is claimed for this process first."""
    import uvicorn

    project.claim()
    token = new_token()
    sock = bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"
    config = uvicorn.Config(create_app(project, token, encoder_factory), log_level="warning", lifespan="off")
    return uvicorn.Server(config), sock, url


def serve(project: Project, encoder_factory: Callable[[], Encoder], *, port: int = DEFAULT_PORT,
          open_browser: bool = True, announce: Callable[[str], None] = print) -> None:
    """Serve the project until interrupted; `announce` gets the address with its token."""
    import webbrowser

    server, sock, url = prepare(project, encoder_factory, port)
    announce(url)
    if open_browser:
        webbrowser.open(url)
    server.run(sockets=[sock])


def _attachment(name: str) -> str:
    """A download's file name in a header (latin-1 only): an ASCII stand-in, and the real name
    in RFC 5987 form, which browsers prefer (a Korean project name is the common case)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
