"""How fast the review server answers on a long document: `python -m aligner.workbench.bench`.

Builds a project of one document of N 1-1 units (default 5,000; NTREX's sentences from
--data, else made-up ones), starts `aligner review` in its own process, and times each operation's
round trip over HTTP on 127.0.0.1 (the server's time plus the loopback: an upper bound on
the server's). Each operation runs at the top, the middle and the end of the document and
is undone after, so every repetition sees the same document. Prints milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aligner.data import Alignment, Bead, Document, Sentence
from aligner.workbench.store import Settings, create_project

WORDS_KO = "정부는 올해 공공조달 시장에서 혁신제품 구매를 확대하고 중소기업의 해외 진출을 지원하기로 했다".split()
WORDS_EN = ("the government will expand purchases of innovative products in public procurement and "
            "support small businesses entering markets abroad this year").split()


def long_document(units: int, data: Path | None = None) -> Alignment:
    """`units` 1-1 rows: NTREX's pre-split sentences, the files one after the other, when
    `data` holds them (real text for re-align pending), else made-up sentences."""
    seg = data / "ntrex-ko-en-dev" / "seg" if data else None
    if seg and seg.is_dir():
        ko = _lines(sorted(seg.glob("*.ko")), units)
        en = _lines(sorted(seg.glob("*.en")), units)
    else:
        def text(words: list[str], i: int, n: int) -> str:
            return " ".join(words[(i * 7 + k) % len(words)] for k in range(n)) + f" {i}."

        ko = [text(WORDS_KO, i, 9 + i % 7) for i in range(units)]
        en = [text(WORDS_EN, i, 14 + i % 9) for i in range(units)]
    src = [Sentence(t, paragraph=i // 4, line=i) for i, t in enumerate(ko)]
    tgt = [Sentence(t, paragraph=i // 4, line=i) for i, t in enumerate(en)]
    return Alignment(Document("long", "ko", "en", src, tgt),
                     [Bead((i,), (i,), 0.45 + (i % 50) / 100) for i in range(units)])


def _lines(files: list[Path], count: int) -> list[str]:
    lines: list[str] = []
    while len(lines) < count:
        for path in files:
            lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[:count]


class Session:
    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.connection.connect()
        # headers and body go in two writes: without this, Nagle's algorithm and the server's
        # delayed ACK add 40 ms to every request with a body
        self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.headers = {"x-aligner-token": token, "content-type": "application/json"}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[float, float, dict | bytes]:
        """(server milliseconds, round-trip milliseconds, answer)."""
        started = time.perf_counter()
        self.connection.request(method, path, json.dumps(body) if body is not None else None, self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{method} {path} {body}: {response.status} {data[:200]!r}")
        server = float(response.getheader("server-timing", "app;dur=nan").split("dur=")[1])
        kind = response.getheader("content-type", "")
        return server, elapsed, json.loads(data) if kind.startswith("application/json") else data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds over the three places")
    parser.add_argument("--encoder", default="use", help="encoder for re-align pending")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"),
                        help="folder with ntrex-ko-en-dev/seg (real sentences); made-up ones without it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="aligner-bench-") as folder:
        path = Path(folder) / "long.aligner"
        create_project(path, [long_document(args.units, args.data)], Settings(args.encoder, 5))
        server = subprocess.Popen([sys.executable, "-m", "aligner", "review", str(path), "--no-browser", "--port", "0"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = next(line.split()[1] for line in server.stdout if line.startswith("open "))
            session = Session(int(url.split(":")[2].split("/")[0]), url.split("token=")[1])
            report(session, args.units, args.repeat)
        finally:
            server.terminate()
            server.wait(30)
    return 0


def report(session: Session, units: int, repeat: int) -> None:
    n = units
    places = [0, n // 2, n - 2]
    reads = {
        "page of 100 rows": lambda r: ("GET", f"/api/rows?doc=0&limit=100&around={r}", None),
        "page, filter 'to check'": lambda r: ("GET", f"/api/rows?doc=0&limit=100&filter=check&around={r}", None),
        "search text": lambda r: ("GET", f"/api/rows?doc=0&limit=100&q=procurement%20{r}", None),
        "next to check": lambda r: ("GET", f"/api/next?doc=0&after={r}", None),
        "state (counts)": lambda r: ("GET", "/api/state", None),
    }
    edits = {
        "merge with next": lambda r: {"op": "merge", "row": r},
        "split row": lambda r: {"op": "split", "row": r, "src_at": 1, "tgt_at": 0},
        "split sentence": lambda r: {"op": "split-sentence", "row": r, "side": "src", "k": 0, "offset": 5},
        "move sentence down": lambda r: {"op": "move", "row": r, "side": "tgt", "direction": "down"},
        "move sentence up": lambda r: {"op": "move", "row": r + 1, "side": "src", "direction": "up"},
        "insert empty row": lambda r: {"op": "insert", "at": r},
        "edit text": lambda r: {"op": "edit", "row": r, "side": "tgt", "k": 0, "text": "A corrected sentence."},
        "confirm (and all rows above)": lambda r: {"op": "confirm", "row": r},
    }
    big = "of a confirmation of all rows"
    times: dict[str, list[tuple[float, float]]] = {
        name: [] for name in [*reads, *edits, "remove empty row", "undo", "redo", f"undo {big}", f"redo {big}"]}

    def timed(name: str, *request) -> None:
        server, trip, _ = session.call(*request)
        times[name].append((server, trip))

    for _ in range(repeat):
        for row in places:
            for name, request in reads.items():
                timed(name, *request(row))
            for name, body in edits.items():
                timed(name, "POST", "/api/op", body(row))
                if name == "insert empty row":
                    timed("remove empty row", "POST", "/api/op", {"op": "remove", "row": row})
                    session.call("POST", "/api/undo", {})  # the remove
                whole = name.startswith("confirm") and row == n - 2  # every row above is confirmed with it
                timed(f"undo {big}" if whole else "undo", "POST", "/api/undo", {})
                timed(f"redo {big}" if whole else "redo", "POST", "/api/redo", {})
                session.call("POST", "/api/undo", {})
    print(f"one document of {n} units; {repeat} rounds at rows 1, {n // 2 + 1} and {n - 1}; milliseconds "
          "in the server (Server-Timing) and for the round trip on 127.0.0.1")
    print(f"{'operation':40} {'server median':>13} {'server max':>10} {'trip median':>11} {'trip max':>8}")
    for name, values in times.items():
        server, trip = [v[0] for v in values], [v[1] for v in values]
        print(f"{name:40} {statistics.median(server):13.1f} {max(server):10.1f} "
              f"{statistics.median(trip):11.1f} {max(trip):8.1f}")

    server, trip, data = session.call("GET", "/api/export?format=tmx")
    print(f"{'export TMX (' + str(n) + ' units)':40} {server:13.1f} {'':10} {trip:11.1f}   ({len(data) // 1024} KB)")
    session.call("POST", "/api/op", {"op": "confirm", "row": n // 2})
    session.call("POST", "/api/op", {"op": "merge", "row": n // 2 + 10})
    for label in ("re-align pending (loads encoder)", "re-align pending, again"):
        server, trip, answer = session.call("POST", "/api/realign", {"doc": 0})
        print(f"{label:40} {server:13.1f} {'':10} {trip:11.1f}   ({answer.get('removed', 0)} rows)")
        session.call("POST", "/api/undo", {})


if __name__ == "__main__":
    sys.exit(main())
