// The review page: plain JavaScript, no build step, no network beyond this server.
// Every text from the project goes into the page through textContent, never as markup.
"use strict";

const PAGE = 100;
const state = {
  docs: [], doc: 0, filter: "all", query: "",
  offset: 0, total: 0, rows: [],
  cursor: { row: 0, side: "src", k: 0 },
  editing: null,
};
let queue = Promise.resolve();
let pending = 0;

const $ = (selector) => document.querySelector(selector);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} :
    { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return data;
}

// One request at a time, in order; body[data-busy] says whether any is still running.
function run(task) {
  pending += 1;
  document.body.dataset.busy = "1";
  queue = queue.then(task).catch((error) => say(error.message, true)).finally(() => {
    pending -= 1;
    if (pending === 0) document.body.dataset.busy = "0";
  });
  return queue;
}

function say(text, isError) {
  const box = $("#message");
  box.textContent = text;
  box.className = isError ? "error" : "";
}

function rowsQuery(extra) {
  const params = new URLSearchParams({ doc: state.doc, filter: state.filter, q: state.query, limit: PAGE, ...extra });
  return `/api/rows?${params}`;
}

async function loadAround(row) {
  show(await api(rowsQuery({ around: Math.max(row, 0) })));
  const here = state.rows.find((r) => r.row >= row) || state.rows[state.rows.length - 1];
  if (here && here.row !== state.cursor.row) state.cursor = { row: here.row, side: state.cursor.side, k: 0 };
  const current = currentRow();  // an edit may have left fewer sentences on the cursor's side
  if (current) state.cursor.k = Math.max(0, Math.min(state.cursor.k, current[state.cursor.side].length - 1));
  render();
}

async function loadPage(offset) {
  show(await api(rowsQuery({ offset: Math.max(offset, 0) })));
  if (state.rows.length) state.cursor = { row: state.rows[0].row, side: state.cursor.side, k: 0 };
  render();
}

function show(data) {
  state.offset = data.offset;
  state.total = data.total;
  state.rows = data.rows;
  state.docs[state.doc].counts = data.counts;
  showCounts(data.counts, data.history);
}

function documentLabel(doc) {
  return `${doc.index + 1}. ${doc.name} (${doc.counts.confirmed}/${doc.counts.units} confirmed)`;
}

function showCounts(counts, history) {
  const option = $(`#doc option[value="${state.doc}"]`);
  if (option) option.textContent = documentLabel(state.docs[state.doc]);
  $("#counts").textContent =
    `${counts.confirmed} / ${counts.units} confirmed · ${counts.to_check} to check · ` +
    `undo ${history.undo} · redo ${history.redo}`;
  const first = state.total ? state.offset + 1 : 0;
  $("#page").textContent = `rows ${first}–${state.offset + state.rows.length} of ${state.total}`;
}

function render() {
  const body = $("#rows tbody");
  body.replaceChildren();
  for (const row of state.rows) {
    const tr = element("tr");
    tr.dataset.row = row.row;
    tr.dataset.status = row.status;
    tr.dataset.kind = row.kind;
    tr.classList.add(row.status);
    if (row.doubtful) tr.classList.add("doubtful");
    if (row.low) tr.classList.add("low");
    if (row.unaligned) tr.classList.add("unaligned");
    if (row.row === state.cursor.row) tr.classList.add("current");
    tr.append(element("td", "num", String(row.row + 1)), cell(row, "src"), cell(row, "tgt"),
              element("td", "score", scoreText(row)), element("td", "status", statusText(row)));
    body.append(tr);
  }
  const current = body.querySelector("tr.current");
  if (current) current.scrollIntoView({ block: "nearest" });
}

function cell(row, side) {
  const td = element("td", `text ${side}`);
  td.lang = side === "src" ? state.docs[state.doc].src_lang : state.docs[state.doc].tgt_lang;
  row[side].forEach((text, k) => {
    const span = element("span", "sent", text);
    if (row.kept_out[side === "src" ? 0 : 1][k]) {
      span.classList.add("kept-out");
      span.title = "furniture or caption: never aligned";
    }
    span.dataset.side = side;
    span.dataset.k = k;
    const here = state.cursor;
    if (here.row === row.row && here.side === side && here.k === k) span.classList.add("cursor");
    td.append(span);
  });
  if (!row[side].length) td.classList.add("empty");
  if (state.cursor.row === row.row && state.cursor.side === side) td.classList.add("side");
  return td;
}

function scoreText(row) {
  if (!row.src.length || !row.tgt.length) return "";
  if (row.confidence !== null && row.confidence !== undefined) return `${Math.round(row.confidence * 100)}%`;
  if (row.score === null || row.score === undefined) return "—";
  return row.score.toFixed(2);
}

function statusText(row) {
  return { confirmed: "✓ confirmed", edited: "✎ edited", automatic: "auto" }[row.status] || row.status;
}

function currentRow() {
  return state.rows.find((r) => r.row === state.cursor.row);
}

// ---------------------------------------------------------------- operations

async function operate(body, focus) {
  const result = await api("/api/op", { doc: state.doc, ...body });
  say(`${result.op} done`);
  await loadAround(focus === undefined ? state.cursor.row : focus);
  if (focus !== undefined) setCursor(focus, state.cursor.side, 0);
}

const actions = {
  merge: () => operate({ op: "merge", row: state.cursor.row }),
  splitRow: () => {
    const row = currentRow();
    if (!row) return;
    const mine = row[state.cursor.side], other = row[state.cursor.side === "src" ? "tgt" : "src"];
    const at = state.cursor.k > 0 ? state.cursor.k : 1;
    const cut = { [state.cursor.side + "_at"]: at };
    cut[(state.cursor.side === "src" ? "tgt" : "src") + "_at"] = Math.min(at, other.length);
    if (mine.length === 0) return say("select a sentence to split before", true);
    return operate({ op: "split", row: row.row, ...cut });
  },
  edit: () => startEditing(),
  moveUp: () => operate({ op: "move", row: state.cursor.row, side: state.cursor.side, direction: "up" }),
  moveDown: () => operate({ op: "move", row: state.cursor.row, side: state.cursor.side, direction: "down" }),
  insert: () => operate({ op: "insert", at: state.cursor.row + 1 }, state.cursor.row + 1),
  remove: () => operate({ op: "remove", row: state.cursor.row }),
  confirm: () => operate({ op: "confirm", row: state.cursor.row }, state.cursor.row + 1),
  undo: () => history("undo"),
  redo: () => history("redo"),
  next: async () => {
    const found = await api(`/api/next?doc=${state.doc}&after=${state.cursor.row}`);
    if (found.row === null) return say("no row left to check");
    if (state.filter !== "all" && state.filter !== "check") setFilter("all");
    await loadAround(found.row);
    setCursor(found.row, state.cursor.side, 0);
  },
  realign: async () => {
    say("re-aligning…");
    const result = await api("/api/realign", { doc: state.doc });
    say(result.op ? `re-aligned: ${result.removed} rows became ${result.added}` : "nothing to re-align");
    await loadAround(state.cursor.row);
  },
  export: () => {
    const scope = $("#export-scope").value;
    const params = new URLSearchParams({ format: $("#export-format").value });
    if (scope === "confirmed") params.set("confirmed_only", "1");
    if (scope === "confidence") params.set("min_confidence", $("#export-min").value);
    const link = element("a");
    link.href = `/api/export?${params}`;
    link.download = "";
    document.body.append(link);
    link.click();
    link.remove();
    say("export downloaded");
  },
  prevPage: () => state.offset > 0 && loadPage(state.offset - PAGE),
  nextPage: () => state.offset + PAGE < state.total && loadPage(state.offset + PAGE),
  help: () => {
    const dialog = $("#help");
    if (dialog.open) dialog.close(); else dialog.showModal();
  },
};

async function history(which) {
  const result = await api(`/api/${which}`, {});
  if (!result.op) return say(`nothing to ${which}`);
  say(`${which}: ${result.op}`);
  if (result.doc !== state.doc) await selectDocument(result.doc);
  await loadAround(result.start);
  setCursor(result.start, state.cursor.side, 0);
}

// ---------------------------------------------------------------- editing a sentence

function startEditing() {
  const span = document.querySelector("span.sent.cursor");
  if (!span || state.editing) return;
  const { row, side, k } = state.cursor;
  const original = span.textContent;
  const box = element("span", "editor");
  const area = element("textarea");
  area.value = original;
  area.rows = Math.min(6, Math.max(2, Math.ceil(original.length / 60)));
  const save = element("button", "", "Save");
  const cut = element("button", "", "Split here");
  const cancel = element("button", "", "Cancel");
  for (const button of [save, cut, cancel]) {
    button.type = "button";
    button.addEventListener("mousedown", (event) => event.preventDefault());  // keep the text cursor
  }
  box.append(area, save, cut, cancel);
  span.replaceWith(box);
  state.editing = { row, side, k, original, area };
  area.focus();
  const finish = (task) => { state.editing = null; run(task); };
  save.addEventListener("click", () => finish(saveText));
  cut.addEventListener("click", () => finish(splitHere));
  cancel.addEventListener("click", () => { state.editing = null; render(); });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); state.editing = null; render(); }
    else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); finish(splitHere); }
    else if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); finish(saveText); }
    event.stopPropagation();
  });

  async function saveText() {
    if (area.value !== original) await operate({ op: "edit", row, side, k, text: area.value });
    else render();
  }

  async function splitHere() {
    const before = area.value.slice(0, area.selectionStart);
    if (area.value !== original) await operate({ op: "edit", row, side, k, text: area.value });
    // the server keeps single spaces: count the characters it will see before the cut
    const offset = Array.from(before.replace(/\s+/g, " ").replace(/^ /, "")).length;
    await operate({ op: "split-sentence", row, side, k, offset });
  }
}

// ---------------------------------------------------------------- moving around

// Moving the cursor only changes classes: the rows stay the same elements (a double-click
// needs both its clicks on one element).
function setCursor(row, side, k) {
  state.cursor = { row, side, k };
  for (const node of document.querySelectorAll("#rows .current, #rows .side, #rows .cursor")) {
    node.classList.remove("current", "side", "cursor");
  }
  const tr = document.querySelector(`#rows tr[data-row="${row}"]`);
  if (!tr) return;
  tr.classList.add("current");
  const td = tr.querySelector(`td.${side}`);
  td.classList.add("side");
  const span = td.querySelectorAll("span.sent")[k];
  if (span) span.classList.add("cursor");
  tr.scrollIntoView({ block: "nearest" });
}

function moveRow(step) {
  const index = state.rows.findIndex((r) => r.row === state.cursor.row);
  const next = index + step;
  if (next >= 0 && next < state.rows.length) return setCursor(state.rows[next].row, state.cursor.side, 0);
  if (step > 0 && state.offset + state.rows.length < state.total) return run(() => loadPage(state.offset + PAGE));
  if (step < 0 && state.offset > 0) {
    return run(async () => {
      await loadPage(state.offset - PAGE);
      setCursor(state.rows[state.rows.length - 1].row, state.cursor.side, 0);
    });
  }
}

function moveSentence(step) {
  const row = currentRow();
  if (!row) return;
  const count = row[state.cursor.side].length;
  setCursor(row.row, state.cursor.side, Math.max(0, Math.min(count - 1, state.cursor.k + step)));
}

function setFilter(value) {
  state.filter = value;
  $("#filter").value = value;
}

async function selectDocument(index, row = 0) {
  state.doc = index;
  $("#doc").value = String(index);
  const doc = state.docs[index];
  $("#src-head").textContent = `Source (${doc.src_lang})`;
  $("#tgt-head").textContent = `Target (${doc.tgt_lang})`;
  state.cursor = { row, side: "src", k: 0 };
  if (row > 0) await loadAround(row); else await loadPage(0);
}

const KEYS = {
  ArrowUp: () => moveRow(-1), ArrowDown: () => moveRow(1), k: () => moveRow(-1), j: () => moveRow(1),
  ArrowLeft: () => setCursor(state.cursor.row, "src", 0), ArrowRight: () => setCursor(state.cursor.row, "tgt", 0),
  "[": () => moveSentence(-1), "]": () => moveSentence(1),
  m: "merge", s: "splitRow", Enter: "edit", i: "insert", Delete: "remove", c: "confirm", n: "next",
  r: "realign", e: "export", PageUp: "prevPage", PageDown: "nextPage", "?": "help",
  "/": () => $("#search").focus(),
};

function onKey(event) {
  if (state.editing || event.altKey) return;
  const target = event.target;
  if (target.matches("input, select, textarea") && event.key !== "Escape") return;
  if (target.matches("input, select") && event.key === "Escape") { target.blur(); return; }
  let action;
  const ctrl = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (ctrl && key === "z") action = event.shiftKey ? "redo" : "undo";
  else if (ctrl && key === "y") action = "redo";
  else if (ctrl) return;
  else if (event.shiftKey && event.key === "ArrowUp") action = "moveUp";
  else if (event.shiftKey && event.key === "ArrowDown") action = "moveDown";
  else action = KEYS[event.key === "?" ? "?" : key];
  if (!action) return;
  event.preventDefault();
  if (typeof action === "function") action();
  else if (action === "edit" || action === "help" || action === "export") actions[action]();
  else run(actions[action]);
}

function onClick(event) {
  const button = event.target.closest("button[data-action]");
  if (button) {
    const name = button.dataset.action;
    if (name === "edit" || name === "help" || name === "export") actions[name]();
    else run(actions[name]);
    return;
  }
  const sentence = event.target.closest("span.sent");
  const tr = event.target.closest("tr[data-row]");
  if (!tr || state.editing) return;
  if (sentence) setCursor(Number(tr.dataset.row), sentence.dataset.side, Number(sentence.dataset.k));
  else {
    const td = event.target.closest("td.text");
    setCursor(Number(tr.dataset.row), td && td.classList.contains("tgt") ? "tgt" : "src", 0);
  }
}

async function start() {
  const project = await api("/api/state");
  state.docs = project.documents;
  document.title = `${project.project} · aligner review`;
  const select = $("#doc");
  for (const doc of project.documents) {
    const option = element("option", "", documentLabel(doc));
    option.value = String(doc.index);
    select.append(option);
  }
  select.addEventListener("change", () => run(() => selectDocument(Number(select.value))));
  $("#filter").addEventListener("change", (event) => {
    state.filter = event.target.value;
    run(() => loadPage(0));
  });
  let typing;
  $("#search").addEventListener("input", (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.query = event.target.value; run(() => loadPage(0)); }, 200);
  });
  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  document.addEventListener("dblclick", (event) => {
    if (event.target.closest("span.sent") && !state.editing) startEditing();
  });
  // resume where the review stopped: the first row not confirmed yet
  const open = project.documents.find((doc) => doc.resume !== null) || project.documents[0];
  await selectDocument(open.index, open.resume || 0);
}

run(start);
