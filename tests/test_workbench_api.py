"""The workbench over HTTP: a real uvicorn server, every operation, restart-resume after a
kill, and the security rules (token, paths, headers)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.formats.tmx import lint_tmx, read_tmx
from aligner.workbench.server import bind
from aligner.workbench.store import Settings, create_project
from tests.conftest import ROOT
from tests.test_workbench import EN, KO, small
from tests.workbench import Client, running, segment


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    path = tmp_path / "small.aligner"
    create_project(path, small(), Settings("use", 5))
    return path


@pytest.fixture
def client(small_project, encoder):
    with running(small_project, encoder) as client:
        yield client


def sides(rows: list[dict]) -> list[tuple[list[str], list[str]]]:
    return [(r["src"], r["tgt"]) for r in rows]


# --------------------------------------------------------------------------- every operation


def test_state_rows_and_paging(client):
    state = client.get("/api/state")
    assert [d["name"] for d in state["documents"]] == ["press-2024-04-16", "notice"]
    assert state["documents"][0]["counts"]["units"] == 8 and state["history"] == {"undo": 0, "redo": 0}
    page = client.get("/api/rows?doc=0&offset=2&limit=3")
    assert page["total"] == 8 and [r["row"] for r in page["rows"]] == [2, 3, 4]
    assert page["rows"][0] == {"row": 2, "src": [KO[2]], "tgt": [], "kind": "1-0", "score": 0.0, "confidence": None,
                               "status": "automatic", "low": False, "unaligned": True, "doubtful": True,
                               "kept_out": [[False], []]}
    assert client.get("/api/rows?doc=0&limit=3&around=7")["offset"] == 6
    checked = client.get("/api/rows?doc=0&filter=check&limit=2&around=5")
    assert checked["total"] == 6 and [r["row"] for r in checked["rows"]] == [4, 5]  # the page of two holding row 5
    assert [r["row"] for r in client.get("/api/rows?doc=0&q=%EC%97%91%EC%8A%A4%ED%8F%AC")["rows"]] == [5]  # 엑스포
    assert client.get("/api/next?doc=0&after=2") == {"row": 4}
    status, body = client.raw("GET", "/api/rows?doc=7")
    assert status == 400 and json.loads(body) == {"error": "no document 7"}


def test_every_operation_and_its_undo(client):
    original = sides(client.rows())
    steps = [
        ({"op": "merge", "row": 0}, lambda r: r[0] == ([KO[0], KO[1]], EN[0:3])),
        ({"op": "split", "row": 0, "src_at": 1, "tgt_at": 1}, lambda r: r[:2] == [([KO[0]], [EN[0]]), ([KO[1]], EN[1:3])]),
        ({"op": "split-sentence", "row": 1, "side": "tgt", "k": 0, "offset": 4},
         lambda r: r[1] == ([KO[1]], ["PPS", "signed an MOU on the 16th.", EN[2]])),
        ({"op": "move", "row": 1, "side": "tgt", "direction": "down"}, lambda r: r[2] == ([KO[2]], [EN[2]])),
        ({"op": "move", "row": 1, "side": "tgt", "direction": "up"}, lambda r: r[0] == ([KO[0]], [EN[0], "PPS"])),
        ({"op": "insert", "at": 3}, lambda r: r[3] == ([], [])),
        ({"op": "remove", "row": 3}, lambda r: r[3] == ([KO[3]], [EN[3]])),
        ({"op": "edit", "row": 3, "side": "src", "k": 0, "text": "양국은 조달 정보를 공유한다."},
         lambda r: r[3] == (["양국은 조달 정보를 공유한다."], [EN[3]])),
        ({"op": "confirm", "row": 3}, lambda r: True),
    ]
    seen = [original]
    for body, check in steps:
        answer = client.op(doc=0, **body)
        assert answer["op"] == body["op"] if body["op"] != "move" else answer["op"].startswith("move-")
        rows = sides(client.rows())
        assert check(rows), (body, rows)
        seen.append(rows)
    statuses = [r["status"] for r in client.rows()]
    assert statuses[:4] == ["confirmed"] * 4 and statuses[4:] == ["automatic"] * 4
    assert client.get("/api/state")["history"] == {"undo": len(steps), "redo": 0}
    for back in range(len(steps), 0, -1):
        assert client.post("/api/undo")["history"] == {"undo": back - 1, "redo": len(steps) - back + 1}
        assert sides(client.rows()) == seen[back - 1]
    assert client.post("/api/undo") == {"history": {"undo": 0, "redo": len(steps)}}
    assert client.post("/api/redo")["op"] == "merge" and sides(client.rows()) == seen[1]


def test_refused_operations_change_nothing(client):
    before = client.rows()
    for body, message in [
        ({"op": "merge", "row": 7}, "no row below"),
        ({"op": "remove", "row": 0}, "only an empty row"),
        ({"op": "edit", "row": 0, "side": "src", "k": 0, "text": "  "}, "cannot be emptied"),
        ({"op": "move", "row": 0, "side": "src", "direction": "up"}, "no row above"),
        ({"op": "split", "row": 0}, "missing or wrong argument"),
        ({"op": "shuffle", "row": 0}, "unknown operation"),
    ]:
        answer = client.post("/api/op", {"doc": 0, **body}, expect=400)
        assert message in answer["error"]
    status, _ = client.raw("POST", "/api/op", None)
    assert status == 400
    assert client.rows() == before and client.get("/api/state")["history"] == {"undo": 0, "redo": 0}


def test_realign_pending_and_export_over_http(tmp_path, seeds_aligned, encoder):
    path = tmp_path / "seeds.aligner"
    create_project(path, seeds_aligned, Settings("use", 5))
    with running(path, encoder) as client:
        first = client.rows()
        client.op(doc=0, op="merge", row=4)
        client.op(doc=0, op="confirm", row=3)
        answer = client.post("/api/realign", {"doc": 0})
        assert answer["op"] == "realign" and answer["start"] == 5
        rows = client.rows()
        assert [r["status"] for r in rows[:5]] == ["confirmed"] * 4 + ["edited"]  # kept as they were
        merged = (first[4]["src"] + first[5]["src"], first[4]["tgt"] + first[5]["tgt"])
        assert sides(rows)[:5] == sides(first[:4]) + [merged]
        for side in ("src", "tgt"):  # the rest re-aligned: every sentence still there once, in order
            assert [t for r in rows[5:] for t in r[side]] == [t for r in first[6:] for t in r[side]]
        assert client.post("/api/realign", {"doc": 1})["op"] == "realign"
        assert client.post("/api/undo")["op"] == "realign"

        status, data = client.raw("GET", "/api/export?format=tmx&confirmed_only=1")
        assert status == 200
        (tmp_path / "confirmed.tmx").write_bytes(data)
        assert lint_tmx(tmp_path / "confirmed.tmx") == []
        assert [(u.src, u.tgt) for u in read_tmx(tmp_path / "confirmed.tmx")[0]] == [
            (segment(r["src"]), segment(r["tgt"])) for r in first[:4] if r["src"] and r["tgt"]]
        status, data = client.raw("GET", "/api/export?format=tsv")
        assert status == 200 and data.decode().startswith("document\tsrc_ids")
        assert client.raw("GET", "/api/export?format=xlsx")[0] == 400


# --------------------------------------------------------------------------- restart-resume


def start_review(project: Path) -> tuple[subprocess.Popen, Client]:
    process = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(project), "--no-browser", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in process.stdout:
        if line.startswith("open http://"):
            url = line.split()[1]
            port = int(url.split(":")[2].split("/")[0])
            return process, Client(port, url.split("token=")[1])
    raise AssertionError(f"aligner review printed no address: {process.stderr.read()}")


def test_a_killed_server_loses_nothing_and_resumes_with_its_undo_history(small_project):
    process, client = start_review(small_project)
    try:
        client.op(doc=0, op="merge", row=0)
        client.op(doc=0, op="edit", row=0, side="tgt", k=0, text="Korea and Canada join forces")
        client.op(doc=1, op="confirm", row=1)
        client.post("/api/undo")
        before = [client.rows(0), client.rows(1)]
    finally:
        process.send_signal(signal.SIGKILL)  # no shutdown, no chance to save anything more
        process.wait(30)
    assert process.returncode == -signal.SIGKILL

    process, client = start_review(small_project)
    try:
        assert [client.rows(0), client.rows(1)] == before
        assert client.get("/api/state")["history"] == {"undo": 2, "redo": 1}
        assert client.post("/api/redo")["op"] == "confirm"
        assert [r["status"] for r in client.rows(1)] == ["confirmed", "confirmed", "automatic"]
        assert client.post("/api/undo")["op"] == "confirm"
        assert client.post("/api/undo")["op"] == "edit"
        assert client.rows(0)[0]["tgt"] == EN[0:3]
        assert client.post("/api/undo")["op"] == "merge"
        assert sides(client.rows(0))[:2] == [([KO[0]], [EN[0]]), ([KO[1]], EN[1:3])]
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C
        process.wait(30)
    assert process.returncode == 0 and process.stdout.read().endswith(f"stopped; every edit is in {small_project}\n")
    assert process.stderr.read() == ""


def test_a_project_is_served_by_one_review_at_a_time(small_project):
    from tests.conftest import run_cli

    process, client = start_review(small_project)
    try:
        for command in (["review", small_project, "--no-browser", "--port", "0"],
                        ["export", small_project, "-o", small_project.with_suffix(".tmx")]):
            result = run_cli(*command)
            assert result.returncode == 2 and "is open in another `aligner review`" in result.stderr, result.stderr
        assert client.get("/api/state")["history"] == {"undo": 0, "redo": 0}
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert run_cli("export", small_project, "-o", small_project.with_suffix(".tmx")).returncode == 0


def test_review_of_a_tmx_without_a_project_is_bad_input(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("review", tmp_path / "lost.tmx", "--no-browser")
    assert result.returncode == 2 and result.stderr.startswith("aligner: ") and "no project lost.aligner" in result.stderr


# --------------------------------------------------------------------------- security


def test_every_request_needs_the_token(client):
    wrong = Client(client.port, "x" * len(client.token))
    for path in ["/", "/api/state", "/api/rows?doc=0", "/static/app.js", "/static/index.html", "/api/export",
                 "/nowhere", f"/?token={'y' * 10}"]:
        assert client.raw("GET", path, token=False)[0] == 403, path
        assert wrong.raw("GET", path)[0] == 403, path
    assert client.raw("POST", "/api/op", {"doc": 0, "op": "merge", "row": 0}, token=False)[0] == 403
    assert client.get("/api/state")["history"] == {"undo": 0, "redo": 0}


def test_the_token_in_the_address_sets_a_cookie_the_page_then_uses(client):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    connection.request("GET", f"/?token={client.token}")
    response = connection.getresponse()
    assert response.status == 200 and b"<script src=\"/static/app.js\"></script>" in response.read()
    cookie = response.getheader("set-cookie")
    assert f"aligner_token_{client.port}={client.token}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "script-src 'self'" in response.getheader("content-security-policy")
    connection.request("GET", "/static/app.js", headers={"cookie": cookie.split(";")[0]})
    response = connection.getresponse()
    assert response.status == 200 and b"textContent" in response.read()
    connection.close()


def test_no_path_outside_the_static_folder_is_served(client):
    for path in ["/static/../store.py", "/static/..%2fstore.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
                 "/static/../../../../../../etc/passwd", "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
                 "/../../etc/passwd", "/static//etc/passwd", "/static/", "/static/missing.js"]:
        status, body = client.raw("GET", path)
        assert status == 404, (path, status)
        assert b"root:" not in body and b"import" not in body
    assert client.raw("GET", "/static/app.css")[0] == 200


def test_the_server_listens_on_the_loopback_only_and_a_taken_port_is_bad_input():
    from aligner.errors import InputError

    sock = bind(0)
    try:
        host, port = sock.getsockname()
        assert host == "127.0.0.1"
        with pytest.raises(InputError, match=f"--port {port}: the port is taken"):
            bind(port)
    finally:
        sock.close()


def test_the_benchmark_runs(tmp_path, capsys):
    """`python -m aligner.workbench.bench` on a small document (no timing is checked here)."""
    from aligner.workbench import bench

    assert bench.main(["--units", "40", "--repeat", "1", "--encoder", "none", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for name in ("merge with next", "confirm (and all rows above)", "undo", "redo", "export TMX (40 units)",
                 "re-align pending, again"):
        assert name in out


def test_a_korean_project_name_downloads_under_its_name() -> None:
    from urllib.parse import unquote

    from starlette.responses import Response

    from aligner.workbench.server import _attachment

    name = '보도자료 "최종".reviewed.tmx'
    header = _attachment(name)
    Response(b"", headers={"content-disposition": header})  # headers are latin-1: this used to raise
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name
