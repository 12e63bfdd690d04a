"""The review page in a real Chromium driven by Playwright: the reviewer's whole round on the
seeds' project, by keyboard and mouse, then the export holds exactly the rows the page shows.

Debian's /usr/bin/chromium is launched directly (never `playwright install`). Without a
browser or Playwright the tests skip, unless ALIGNER_REQUIRE_BROWSER=1 (CI): then they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.formats.tmx import lint_tmx, read_tmx
from aligner.workbench.store import Settings, create_project
from tests.conftest import ROOT
from tests.test_html import chromium
from tests.test_workbench import small
from tests.workbench import running, segment

SCREENSHOT = ROOT / "out" / "workbench-screenshot.png"
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    binary = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("ALIGNER_REQUIRE_BROWSER") == "1":
            pytest.fail("ALIGNER_REQUIRE_BROWSER=1 but playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=binary, args=BROWSER_FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield opened
    context.close()
    assert errors == []


def idle(page) -> None:
    page.wait_for_selector('body[data-busy="0"]', state="attached")


def shown(page) -> list[dict]:
    idle(page)
    return page.eval_on_selector_all("#rows tbody tr", """rows => rows.map(tr => ({
        row: Number(tr.dataset.row), status: tr.dataset.status, doubtful: tr.classList.contains('doubtful'),
        src: [...tr.querySelectorAll('td.src span.sent')].map(s => s.textContent),
        tgt: [...tr.querySelectorAll('td.tgt span.sent')].map(s => s.textContent)}))""")


def sentence(page, row: int, side: str, k: int = 0):
    return page.locator(f'tr[data-row="{row}"] td.{side} span.sent').nth(k)


def press(page, key: str) -> None:
    page.keyboard.press(key)
    idle(page)


def click(page, action: str) -> None:
    page.click(f'button[data-action="{action}"]')
    idle(page)


def page_units(page, documents: int) -> list[tuple[str, str]]:
    """The units every document's page shows (both sides filled), as the TMX writes them:
    identical pairs once."""
    units: dict[tuple[str, str], None] = {}
    for doc in range(documents):
        page.select_option("#doc", str(doc))
        for row in shown(page):
            if row["src"] and row["tgt"]:
                units[segment(row["src"]), segment(row["tgt"])] = None
    return list(units)


def download(page, scope: str) -> Path:
    page.select_option("#export-scope", scope)
    with page.expect_download() as event:
        page.click('button[data-action="export"]')
    path = Path(event.value.path())
    assert event.value.suggested_filename == "seeds.reviewed.tmx"
    return path


def test_a_review_round_by_keyboard_and_mouse_then_the_export_is_what_the_page_shows(
        browser, page, tmp_path, seeds_aligned, encoder):
    project = tmp_path / "seeds.aligner"
    create_project(project, seeds_aligned, Settings("use", 5))
    with running(project, encoder) as client:
        page.goto(client.url)
        first = shown(page)
        assert [len(r["src"]) + len(r["tgt"]) for r in first] == [len(b.src) + len(b.tgt) for b in seeds_aligned[0].beads]
        assert page.text_content("#page") == f"rows 1–{len(first)} of {len(first)}"
        assert [r["doubtful"] for r in first] == [
            b.kind != "1-1" or (b.score < 0.6 if b.confidence is None else b.confidence < 0.5)
            for b in seeds_aligned[0].beads]

        # Rows for each operation, picked from the bottom up so that an edit never moves the rows
        # the next one works on: the last two 1-1 rows in a row, a row above them with two
        # sentences on one side, and above that a row with two sentences on one side and a row
        # below it.
        def many(row: dict) -> str | None:
            return next((side for side in ("src", "tgt") if len(row[side]) >= 2), None)

        merge = max(i for i in range(len(first) - 1) if first[i]["src"] and first[i]["tgt"]
                    and len(first[i]["src"]) == len(first[i]["tgt"]) == len(first[i + 1]["src"])
                    == len(first[i + 1]["tgt"]) == 1)
        split = max(i for i in range(merge) if many(first[i]))
        move = max(i for i in range(split - 1) if many(first[i]))

        # merge two units (keyboard)
        sentence(page, merge, "src").click()
        press(page, "m")
        rows = shown(page)
        assert (rows[merge]["src"], rows[merge]["tgt"]) == (first[merge]["src"] + first[merge + 1]["src"],
                                                            first[merge]["tgt"] + first[merge + 1]["tgt"])
        assert rows[merge]["status"] == "edited" and len(rows) == len(first) - 1

        # split one (mouse), before the second sentence of its longer side (at the same place on
        # the other side)
        side = many(first[split])
        other = "tgt" if side == "src" else "src"
        sentence(page, split, side, 1).click()
        click(page, "splitRow")
        rows = shown(page)
        cut = min(1, len(first[split][other]))
        assert [(r[side], r[other]) for r in rows[split:split + 2]] == [
            (first[split][side][:1], first[split][other][:cut]), (first[split][side][1:], first[split][other][cut:])]

        # move a sentence (keyboard): the last sentence of one side goes to the row below
        side = many(first[move])
        sentence(page, move, side).click()
        press(page, "Shift+ArrowDown")
        moved = shown(page)
        assert moved[move][side] == first[move][side][:-1]
        assert moved[move + 1][side] == first[move][side][-1:] + first[move + 1][side]

        # confirm (mouse): the row that took the sentence, and every row above it
        sentence(page, move + 1, side).click()
        click(page, "confirm")
        statuses = [r["status"] for r in shown(page)]
        assert statuses[:move + 2] == ["confirmed"] * (move + 2) and statuses[move + 2] != "confirmed"

        # undo twice (keyboard), redo once (mouse): the confirmation and the move go, the move comes back
        press(page, "Control+z")
        press(page, "Control+z")
        undone = shown(page)
        assert undone[move][side] == first[move][side] and "confirmed" not in [r["status"] for r in undone]
        click(page, "redo")
        assert shown(page) == moved
        assert page.text_content("#counts").endswith("undo 3 · redo 1")

        # re-align pending (keyboard): the automatic rows are aligned again, the edited ones stay
        press(page, "r")
        assert page.text_content("#message").startswith("re-aligned")
        realigned = shown(page)
        edited = [(r["src"], r["tgt"]) for r in realigned if r["status"] == "edited"]
        assert edited == [(r["src"], r["tgt"]) for r in moved if r["status"] == "edited"]
        assert sorted(s for r in realigned for s in r["src"]) == sorted(s for r in first for s in r["src"])
        assert sorted(s for r in realigned for s in r["tgt"]) == sorted(s for r in first for s in r["tgt"])

        # confirm (keyboard) the first edited unit and the rows above it, for an export of
        # confirmed units only
        target = next(i for i, r in enumerate(realigned) if r["status"] == "edited" and r["src"] and r["tgt"])
        page.click(f'tr[data-row="{target}"] td.num')
        press(page, "c")
        confirmed = [(segment(r["src"]), segment(r["tgt"]))
                     for r in shown(page) if r["status"] == "confirmed" and r["src"] and r["tgt"]]
        assert confirmed

        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.click(f'tr[data-row="{target + 2}"] td.num')
        page.screenshot(path=str(SCREENSHOT))
        assert SCREENSHOT.stat().st_size > 50_000

        # export (mouse): all units, then confirmed only; each TMX holds exactly what the page shows
        everything = download(page, "all")
        assert lint_tmx(everything) == []
        only_confirmed = download(page, "confirmed")
        units = page_units(page, len(seeds_aligned))
        assert [(u.src, u.tgt) for u in read_tmx(everything)[0]] == units
        assert [(u.src, u.tgt) for u in read_tmx(only_confirmed)[0]] == confirmed

        # the page opened again resumes at the first row not confirmed
        first_open = next(r["row"] for r in client.rows(0) if r["status"] != "confirmed")
        page.goto(client.url)
        idle(page)
        assert page.locator("#doc").input_value() == "0"
        assert page.locator("tr.current").get_attribute("data-row") == str(first_open)


def test_text_is_never_markup_and_a_sentence_is_edited_and_split_in_place(browser, page, tmp_path, encoder):
    alignments = small()
    document = alignments[1].document
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    document.src[0] = type(document.src[0])(hostile)
    path = tmp_path / "hostile.aligner"
    create_project(path, alignments, Settings("use", 5))
    with running(path, encoder) as client:
        page.goto(client.url)
        page.select_option("#doc", "1")
        idle(page)
        assert sentence(page, 0, "src").text_content() == hostile
        assert page.locator("#rows script, #rows img").count() == 0

        # edit by keyboard: Enter opens the editor, Enter saves
        sentence(page, 1, "tgt").click()
        press(page, "Enter")
        editor = page.locator("tr[data-row='1'] textarea")
        editor.fill("See <b>the</b> website & more.")
        editor.press("Enter")
        idle(page)
        assert sentence(page, 1, "tgt").text_content() == "See <b>the</b> website & more."
        assert page.locator("#rows b").count() == 0

        # split the sentence at the text cursor: double-click opens the editor, Ctrl+Enter cuts
        sentence(page, 1, "tgt").dblclick()
        editor = page.locator("tr[data-row='1'] textarea")
        editor.press("Home")
        for _ in range(len("See <b>the</b>")):
            editor.press("ArrowRight")
        editor.press("Control+Enter")
        idle(page)
        assert [s.text_content() for s in page.locator("tr[data-row='1'] td.tgt span.sent").all()] == [
            "See <b>the</b>", "website & more."]
        rows = client.rows(1)
        assert rows[1]["tgt"] == ["See <b>the</b>", "website & more."] and rows[0]["src"] == [hostile]

        # next row to check, insert an empty row below it, remove it again; the keyboard map
        press(page, "n")
        assert page.locator("tr.current").get_attribute("data-row") == "2"  # the licence, no Korean
        press(page, "n")
        assert page.locator("tr.current").get_attribute("data-row") == "1"  # round to the edited 1-2
        press(page, "i")
        assert [(r["src"], r["tgt"]) for r in shown(page)][2] == ([], [])
        press(page, "Delete")
        assert len(shown(page)) == 3 and client.get("/api/state")["history"] == {"undo": 4, "redo": 0}
        press(page, "?")
        assert page.locator("#help").is_visible() and "Shift+↑" in page.text_content("#help")
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()


def test_a_long_document_is_shown_a_page_at_a_time(browser, page, tmp_path, encoder):
    from aligner.data import Alignment, Bead, Document, Sentence

    n = 1200
    document = Document("long", "ko", "en", [Sentence(f"문장 {i}번입니다.") for i in range(n)],
                        [Sentence(f"Sentence number {i}.") for i in range(n)])
    path = tmp_path / "long.aligner"
    create_project(path, [Alignment(document, [Bead((i,), (i,), 0.8) for i in range(n)])], Settings("use", 5))
    with running(path, encoder) as client:
        page.goto(client.url)
        idle(page)
        assert page.locator("#rows tbody tr").count() == 100
        assert page.text_content("#page") == f"rows 1–100 of {n}"
        press(page, "PageDown")
        assert shown(page)[0]["row"] == 100
        page.fill("#search", "number 1150")
        from playwright.sync_api import expect

        expect(page.locator("#page")).to_have_text("rows 1–1 of 1")
        idle(page)
        assert shown(page)[0]["tgt"] == ["Sentence number 1150."]
