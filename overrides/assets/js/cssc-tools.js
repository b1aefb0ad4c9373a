// Thin glue between the tool forms and Python.
//
// Finds every form[data-tool], restores its saved answers (upgraded by Python first when
// an earlier release saved them), saves every change to this browser's localStorage one
// answer at a time (cssc-storage.js), follows changes made in other tabs, and asks the
// Python package (running in a Web Worker through Pyodide) for the result, the JSON
// download and the checking of a loaded file. It never works out a score itself: Python
// returns the result already rendered as escaped HTML.
//
// A form "owns" the answer names of its own controls, and of its repeaters' rows, even
// rows since deleted. Answers to other names stored under the same tool are kept, so
// one tool can be split over several pages (the stage checklists) and each page saves
// only its part.

import {
  adoptRowIds,
  answersAsRecorded,
  keepRowsAddedHere,
  prepareRepeaters,
  rowAnswerTest,
  rowRecords,
  startRepeaters,
} from "./cssc-repeater.js";
import { readChosenFile, readerVoice, saveFile, storageIsFull } from "./cssc-files.js";
import { forgetAllResults, forgetResults, keepResult, recallResult } from "./cssc-kept-results.js";
import { startProject } from "./cssc-project.js";
import { startTeamView } from "./cssc-team.js";
import {
  beforeUpgrade,
  carryOlderTabWrites,
  clearAnswers,
  dismissAside,
  followOtherTabs,
  keepAside,
  needsUpgrade,
  olderTabWrites,
  readAside,
  readRowTexts,
  readRows,
  readSaved,
  replaceAnswers,
  rowText,
  savedAnswers,
  writeAnswers,
  writeRows,
} from "./cssc-storage.js";
import { startDataCheck } from "./cssc-data-check.js";
import { startKeepNotice } from "./cssc-keep.js";
import { prefetchRuntimeWhenIdle } from "./cssc-prefetch.js";
import { startTestMonitor } from "./cssc-test-monitor.js";
import { saveWordOrWarn } from "./cssc-word.js";

const STORAGE_PREFIX = "cssc-guide:v1:";
const SCORE_DELAY_MS = 120; // coalesce bursts of typing into one request
const SLOW_START_MS = 20000; // after this, say that starting is taking a while
// Another tab's save of several rows (a move) arrives one key at a time: a row of this
// tab is only judged displaced, and a row's answers judged mixed with another tab's
// (answersAsRecorded), once no more of it has arrived for this long. A tab of an earlier
// version's save is likewise given this long to arrive whole before it is upgraded.
const ROWS_SETTLE_MS = 250;

// ------------------------------------------------------------------ printed records
// A record printed from the page says when it was printed (the result says which
// version of the questions it answers). Written now and again just before printing,
// so a page left open over midnight still prints the right date.
// The date is written out here ("1 December 2026", as assessments/core/dates.py writes it)
// rather than by Intl.DateTimeFormat: making a formatter loads the browser's locale
// data, measured at about 20 ms on the main thread just as a tool page is first drawn.
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const printDate = (date) => `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;

function stampPrintDate(root) {
  for (const stamp of root.querySelectorAll("[data-print-stamp]")) {
    stamp.textContent = `Printed on ${printDate(new Date())} from ${window.location.href.split("#")[0]}`;
  }
}
window.addEventListener("beforeprint", () => stampPrintDate(document));

// ----------------------------------------------------------------------- the worker
// One worker per visit: instant navigation keeps this module alive, so the Python
// runtime loads once and is ready on the next tool page.

let worker = null;
let runtimeState = "idle"; // idle | loading | ready | failed
let runtimeProblem = "";
let runtimeLabel = ""; // cssc-runtime.json's "runtime", as the worker read it
const pending = new Map();
const runtimeListeners = new Set();
let nextRequestId = 1;

function runtimeUnsupported() {
  if (typeof WebAssembly !== "object") {
    return "This browser cannot run WebAssembly, which the tool needs. It may be switched off by your organisation's settings. Try an up-to-date Edge, Chrome or Firefox, or ask your IT team.";
  }
  if (typeof Worker !== "function") {
    return "This browser cannot run background workers, which the tool needs. Try an up-to-date Edge, Chrome or Firefox.";
  }
  return "";
}

function setRuntimeState(state, problem = "") {
  runtimeState = state;
  runtimeProblem = problem;
  for (const listener of runtimeListeners) listener();
}

function startRuntime() {
  if (worker || runtimeState === "failed") return;
  const unsupported = runtimeUnsupported();
  if (unsupported) {
    setRuntimeState("failed", unsupported);
    return;
  }
  setRuntimeState("loading");
  window.setTimeout(() => {
    if (runtimeState === "loading") setRuntimeState("loading", "slow");
  }, SLOW_START_MS);
  // Started once the page is parsed, not from its <head>: on a machine with two cores,
  // starting sooner delays the first question being answerable and, measured, does not
  // bring the first result any sooner (bench/README.md).
  // Whether this site ships a snapshot of Python started (the administrator's choice,
  // overrides/main.html) goes to the worker in its address's fragment, which it reads
  // before anything else and the browser's cache ignores.
  const script = new URL("cssc-worker.js", import.meta.url);
  if (document.querySelector('meta[name="cssc-python-snapshot"]')?.content === "on") script.hash = "python-snapshot";
  try {
    worker = new Worker(script, { type: "module" });
  } catch {
    failRuntime("this browser's settings did not let it start the background worker");
    return;
  }
  // Compiled here on every visit, the first too: the worker waits for this module
  // instead of compiling its own, and the browser keeps the compiled code for the next
  // visit. Measured side by side, second visits start about 0.1 s sooner than when the
  // page compiled only for returning visits, and first visits no later.
  compileRuntime().then((compiledRuntime) => worker.postMessage({ compiledRuntime }));
  const receive = (message) => {
    if (message.type === "ready") {
      // How Python started: "fresh-as-built" on a site without a snapshot (the default);
      // on a site with one, from the "snapshot", "fresh" because it could not be used, or
      // "fresh-by-choice" where the link was too slow for it to pay. For anyone checking
      // why the tools start slowly: <html data-cssc-runtime="…">.
      document.documentElement.dataset.csscRuntime = message.source;
      runtimeLabel = message.runtime || "";
      setRuntimeState("ready");
    } else if (message.type === "failed") failRuntime(message.problem);
    else if (message.progress && pending.has(message.id)) pending.get(message.id).onProgress?.(message.progress);
    else if (pending.has(message.id)) {
      pending.get(message.id).resolve(message.response);
      pending.delete(message.id);
    }
  };
  worker.addEventListener("message", (event) => receive(event.data));
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    failRuntime("the runtime files could not be loaded");
  });
}

// Compiled here rather than in the worker because browsers keep a page's compiled
// WebAssembly for the next visit, and not (yet) a worker's: returning visits start much
// sooner. Resolves to null on any problem; the worker then compiles the file itself
// and, if the file is missing, says which.
async function compileRuntime() {
  const url = new URL("../pyodide/pyodide.asm.wasm", import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    try {
      // A server sending the file with the wrong type (not application/wasm).
      const response = await fetch(url);
      return response.ok ? await WebAssembly.compile(await response.arrayBuffer()) : null;
    } catch {
      return null;
    }
  }
}

// The runtime this copy of the site ships, read by the page itself (the worker reads it
// too, but only once its own script has loaded): a kept result is shown only if it was
// worked out by this runtime. Once per visit; null if the file cannot be read.
let shippedRuntime = null;
function readShippedRuntime() {
  shippedRuntime ??= fetch(new URL("../pyodide/cssc-runtime.json", import.meta.url), { cache: "no-cache" })
    .then((response) => (response.ok ? response.json() : null))
    .then((manifest) => (manifest && typeof manifest.runtime === "string" ? manifest.runtime : null))
    .catch(() => null);
  return shippedRuntime;
}

function failRuntime(detail) {
  setRuntimeState(
    "failed",
    `The tool could not start (${detail}). Your answers are still saved in this browser. ` +
      "Reload the page to try again; if it keeps happening, ask whoever runs this site to check its hosting (see the hosting guide).",
  );
  for (const { resolve } of pending.values()) {
    resolve({ ok: false, error: runtimeProblem });
  }
  pending.clear();
}

function ask(request) {
  startRuntime();
  if (runtimeState === "failed") return Promise.resolve({ ok: false, error: runtimeProblem });
  const id = nextRequestId++;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    worker.postMessage({ id, request });
  });
}

// A data file for the data quality check (see cssc-data-check.js) or a case file for the
// test and monitor tool (cssc-test-monitor.js) goes to the worker as the File itself, not
// as answers: { id, done } resolves once, with the response; `onProgress` hears how far
// reading has got; cancelFileWork(id) stops a reading between two steps.
function runFileWork(message, onProgress) {
  startRuntime();
  if (runtimeState === "failed") return { id: 0, done: Promise.resolve({ ok: false, error: runtimeProblem }) };
  const id = nextRequestId++;
  const done = new Promise((resolve) => {
    pending.set(id, { resolve, onProgress });
    worker.postMessage({ id, ...message });
  });
  return { id, done };
}

function cancelFileWork(id) {
  if (worker && id) worker.postMessage({ dataCheckCancel: id }); // one set of cancelled ids for both tools
}

const runDataCheck = (dataCheck, onProgress) => runFileWork({ dataCheck }, onProgress);
const runTestMonitor = (testMonitor, onProgress) => runFileWork({ testMonitor }, onProgress);

// ---------------------------------------------------------------- saving answers

// Returns "" when saved, or a plain-words problem. Kept results (cssc-kept-results.js)
// give way to answers: when storage is full, they are removed and the answers tried again.
function storeChanges(form, changes) {
  const write = () => writeAnswers(form.dataset.tool, changes, form.dataset.bankVersion, runtimeLabel);
  try {
    write();
    return "";
  } catch (failed) {
    let error = failed;
    if (storageIsFull(error) && forgetAllResults()) {
      try {
        write();
        return "";
      } catch (again) {
        error = again;
      }
    }
    return storageIsFull(error)
      ? "This browser's storage for this site is full, so your latest answers are not saved here. They are still on this page: use Download JSON to keep them, then free some space (for example, clear answers you have already downloaded)."
      : "This browser is not letting the site save your answers (storage may be turned off). They are still on this page: use Download JSON to keep them.";
  }
}

// Working documents hold long free text. Browser storage keeps it, but is easy to lose
// (a shared computer, cleared data), so such forms warn before the page is closed if
// the answers changed since they were last downloaded.
function exportedKey(form) {
  return `${STORAGE_PREFIX}exported:${form.dataset.tool}`;
}

function markExported(form, answers) {
  try {
    localStorage.setItem(exportedKey(form), JSON.stringify(answers));
  } catch {
    // Storage full or off: the warning may show once too often, which is harmless.
  }
}

function hasUnexportedWork(form) {
  const answers = allAnswers(form);
  if (Object.keys(answers).length === 0) return false;
  let exported = null;
  try {
    exported = localStorage.getItem(exportedKey(form));
  } catch {
    exported = null;
  }
  return exported !== JSON.stringify(answers);
}

window.addEventListener("beforeunload", (event) => {
  for (const form of document.querySelectorAll("form[data-tool][data-warn-unexported][data-cssc-started]")) {
    if (hasUnexportedWork(form)) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to show their prompt
      return;
    }
  }
});

// Whether the form owns an answer name (see the top of this file), as a test to apply to
// many names: worked out once.
function ownership(form) {
  const names = new Set();
  for (const control of form.elements) {
    if (control.name && control.type !== "file") names.add(control.name);
  }
  const rowAnswer = rowAnswerTest(form);
  return (name) => names.has(name) || rowAnswer(name);
}

// The answers the form's controls hold; `include` picks the controls that count.
function readForm(form, include = () => true) {
  const answers = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled || control.type === "file" || !include(control)) continue;
    if (control.type === "checkbox") {
      if (control.checked) (answers[control.name] ??= []).push(control.value);
    } else if (control.type === "radio") {
      if (control.checked) answers[control.name] = control.value;
    } else if (control.value !== "") {
      answers[control.name] = control.value;
    }
  }
  return answers;
}

// `skip`: the name of a control to leave as it is (the text field the reader is typing in).
function writeForm(form, answers, skip = "") {
  for (const control of form.elements) {
    if (!control.name || control.type === "file" || (skip && control.name === skip)) continue;
    const value = answers[control.name];
    if (control.type === "checkbox") {
      control.checked = Array.isArray(value) && value.includes(control.value);
    } else if (control.type === "radio") {
      control.checked = value === control.value;
    } else {
      control.value = typeof value === "string" ? value : "";
    }
  }
}

// Answers given before this script started: on a slow connection the questions show
// well before the scripts arrive, and a reader may begin. They are the controls changed
// from how the page was built, and they win over what was stored (ticked boxes join
// the stored ones), so nothing answered early is lost when the stored answers are put in.
function answeredBeforeStart(form, stored) {
  const early = readForm(form, changedSinceBuilt);
  for (const [name, ticked] of Object.entries(early)) {
    // Only ticked boxes give lists.
    if (Array.isArray(ticked) && Array.isArray(stored[name])) early[name] = [...new Set([...stored[name], ...ticked])];
  }
  return early;
}

function changedSinceBuilt(control) {
  if (control.type === "checkbox" || control.type === "radio") return control.checked !== control.defaultChecked;
  // A list with no option marked `selected` starts on its first option.
  if (control.tagName === "SELECT") {
    return control.selectedIndex !== Math.max(0, [...control.options].findIndex((option) => option.defaultSelected));
  }
  return control.value !== control.defaultValue;
}

const contextTools = (form) => (form.dataset.context || "").split(" ").filter(Boolean);

// Saved answers of the other tools this tool summarises (data-context="slug slug").
function contextAnswers(form) {
  const context = {};
  for (const slug of contextTools(form)) context[slug] = savedAnswers(slug);
  return context;
}

// All answers for the tool: this form's controls, plus what other pages stored.
function allAnswers(form) {
  const kept = readSaved(form.dataset.tool).answers;
  const owns = ownership(form);
  for (const name of Object.keys(kept)) {
    if (owns(name)) delete kept[name];
  }
  return { ...kept, ...readForm(form) };
}

// ---------------------------------------------------------------------- one form

// Whether a link leads to a place on the page it is on.
function samePage(link) {
  const here = window.location;
  return link.origin === here.origin && link.pathname === here.pathname && link.search === here.search;
}

// Scroll to a question (or result section) and focus its first control, or the
// element itself when it has none, so keyboard and screen reader users land there too.
function goTo(target) {
  target.scrollIntoView({ block: "start" });
  const usable = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";
  // In a group of radio buttons the keyboard lands on the chosen one, so go there.
  const control = target.matches(usable)
    ? target
    : target.querySelector("input[type=radio]:checked") || target.querySelector(usable);
  if (control) {
    control.focus({ preventScroll: true });
    return;
  }
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
}

function startForm(form) {
  if (form.dataset.csscStarted) return;
  form.dataset.csscStarted = "true";

  const status = form.querySelector("[data-status]");
  const message = form.querySelector("[data-message]");
  const result = form.querySelector("[data-result]");
  const controls = form.querySelector(".cssc-tool__controls");
  if (!status || !message || !result || !controls) {
    console.error(`cssc-tools: the form for "${form.dataset.tool}" is missing its status, message or result region.`);
    return;
  }
  const siteRoot = new URL(form.dataset.siteRoot || "./", window.location.href).href;
  const base = { tool: form.dataset.tool, view: form.dataset.view || "", site_root: siteRoot };
  // Every request carries the current answers of the tools this one summarises.
  const withContext = (fields) => ({ ...base, context: contextAnswers(form), ...fields });
  const request = (fields) => ask(withContext(fields));
  const scoreRequest = () => withContext({ op: "score", answers: allAnswers(form) });
  let scoreSequence = 0;
  let scoreTimer = 0;
  let storageProblem = "";
  let upgrading = null; // the upgrade of answers an earlier release saved, while it runs
  let settling = 0; // while another tab's save of rows may be half-way (see ROWS_SETTLE_MS)
  let editedWhileSettling = false; // the reader changed answers then, which wait to be saved
  let scoredOnce = false;

  form.classList.add("cssc-tool--js");
  controls.hidden = false;
  // What this browser will do with the answers saved here, once there are some.
  const keepNotice = startKeepNotice(form, Object.keys(readSaved(base.tool).answers).length > 0);
  stampPrintDate(form);
  form.addEventListener("submit", (event) => event.preventDefault());
  // Links within the form to a place on this page ("points to check", open gates):
  // move there and put the keyboard focus on the question's first control. Left to
  // the theme, the first such click makes its instant navigation fetch and redraw the
  // whole page, and anything typed while it does so is lost. A link counts whether its
  // address says "#place" or is written in full: the theme writes out in full every
  // address on the page it starts on, which includes a kept result shown before it did.
  form.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || !link.hash || !samePage(link)) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    history.replaceState(history.state, "", link.hash); // the address names the place
    goTo(target);
  });

  const { say, warn } = readerVoice(status, message);
  const unchanged = "Your answers have not been changed.";

  const showRuntime = () => {
    if (runtimeState === "failed") {
      say("");
      warn(runtimeProblem);
    } else if (runtimeState !== "ready") {
      say(
        runtimeProblem === "slow"
          ? "Still preparing the tool: this can take a minute on a slow connection. Your answers are being saved."
          : "Preparing the tool… It runs on this computer: nothing you type is sent anywhere.",
      );
    }
  };

  let shownHtml = null;
  // Where the result on show came from: "python", or "kept" (what Python gave for exactly
  // these answers on an earlier visit, shown while Python starts): <div data-result-from>.
  // The status says `text`, or the result's own summary.
  function showResult({ html, summary, inactive }, from, text = summary || "Result updated.") {
    const wasKept = result.dataset.resultFrom === "kept";
    showApplicable(inactive || []);
    // Redrawn only if it changed. Leaving a text box (to click a link in the result,
    // say) scores again; redrawing the same result between the press and the release
    // of the mouse button would swallow the click.
    if (html !== shownHtml) result.innerHTML = html; // built and escaped by Python
    shownHtml = html;
    result.dataset.resultFrom = from;
    // Python confirming the kept result is not news: screen readers are not told twice.
    if (!(wasKept && status.textContent === text)) say(text);
  }

  async function score() {
    const sequence = ++scoreSequence;
    const fields = scoreRequest();
    const response = await ask(fields);
    if (sequence !== scoreSequence || !form.isConnected) return; // a newer answer is on its way
    result.removeAttribute("aria-busy");
    const first = !scoredOnce;
    scoredOnce = true;
    if (response.ok) {
      showResult(response, "python");
      keepResult(base.tool, base.view, fields, runtimeLabel, response);
      if (!storageProblem) warn("");
    } else if (first && Object.keys(readSaved(base.tool).answers).length) {
      // What was saved does not fit its questions (edited by hand, say): upgraded like
      // answers from another release, so the tool still gives a result and the reader
      // is told what was left out. Only on a visit's first result: after that, a problem
      // is in what the reader just entered, and Python's message says what.
      upgrading = upgradeSaved(readSaved(base.tool));
    } else {
      warn(response.error);
    }
  }

  // A returning reader: while Python starts, show the result it gave last time for
  // exactly these answers, if there is one (see cssc-kept-results.js).
  // The form's data-kept-lookup says when the look-up is over ("shown" or "none"), so
  // tests can wait for it rather than for a clock.
  async function showKeptResult() {
    const sequence = scoreSequence;
    const fields = scoreRequest();
    const runtime = await readShippedRuntime();
    const stillWaiting = sequence === scoreSequence && shownHtml === null && runtimeState === "loading";
    const kept = runtime && stillWaiting && form.isConnected ? recallResult(base.tool, base.view, fields, runtime) : null;
    if (kept) showResult(kept, "kept");
    form.dataset.keptLookup = kept ? "shown" : "none";
  }

  // Python says which questions do not apply to the answers so far; hide just those.
  function showApplicable(inactive) {
    for (const question of form.querySelectorAll("[data-question]")) {
      question.hidden = inactive.includes(question.dataset.question);
    }
  }

  function saveAndScore(delay) {
    // Busy until Python has answered for the latest answers: screen readers wait, and
    // so can anything that reads the result.
    result.setAttribute("aria-busy", "true");
    // From now on, a result still on its way for earlier answers is out of date: it
    // must not be shown, nor take the place of the result a row's move is waiting for.
    scoreSequence++;
    // While saved answers are being upgraded, or another tab's rows settle, nothing is
    // written: what the reader does meanwhile stays on the page and is saved after.
    if (settling) editedWhileSettling = true;
    if (upgrading || settling) return;
    storageProblem = store(allAnswers(form));
    if (storageProblem) warn(storageProblem);
    window.clearTimeout(scoreTimer);
    scoreTimer = window.setTimeout(score, delay);
  }

  // -------------------------------------------------- saving, one answer at a time
  // `synced`: each saved answer's JSON as this tab last saw it (its own writes, and other
  // tabs' through the storage event). Only answers that differ from it are written, so
  // another tab's answers to other questions are never overwritten with stale copies.
  let synced = new Map();
  // The same for the identities of rows added with a repeater's Add button ({key: id},
  // see cssc-repeater.js), saved after the answers with a copy of the row's answers, so
  // that a row whose keys two tabs' saves interleaved can be told and put right.
  let syncedRows = new Map();
  const resync = () => {
    synced = new Map(Object.entries(readSaved(base.tool).raw));
    syncedRows = new Map(Object.entries(readRows(base.tool).ids));
  };

  function storeRows(answers) {
    const records = rowRecords(form, answers);
    const now = readRowTexts(base.tool);
    const saved = readRows(base.tool).ids;
    const changes = {};
    for (const [key, { id, answers: own }] of Object.entries(records)) {
      const text = rowText(id, own);
      if (now[key] !== text) changes[key] = text;
    }
    const ids = Object.fromEntries(Object.entries(records).map(([key, { id }]) => [key, id]));
    const kept = new Set(Object.values(ids));
    const deleted = [];
    for (const [key, id] of syncedRows) {
      // Only what this tab saw: another tab's row saved since is not this tab's to remove.
      if (!(key in ids) && saved[key] === id) changes[key] = undefined;
      if (!kept.has(id)) deleted.push(id);
    }
    if (Object.keys(changes).length || deleted.length) writeRows(base.tool, changes, deleted);
    syncedRows = new Map(Object.entries(ids));
  }

  function store(answers) {
    const changes = {};
    for (const [name, value] of Object.entries(answers)) {
      if (synced.get(name) !== JSON.stringify(value)) changes[name] = value;
    }
    for (const name of synced.keys()) if (!(name in answers)) changes[name] = undefined;
    const problem = Object.keys(changes).length ? storeChanges(form, changes) : "";
    if (problem) return problem;
    keepNotice();
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined) synced.delete(name);
      else synced.set(name, JSON.stringify(value));
    }
    // The rows after their answers: a row key says what its answers were once they are saved.
    try {
      storeRows(answers);
    } catch {
      // storage full or off: the answers were saved; the rows' identities are lost, as
      // if the rows had been written by an earlier release
    }
    return "";
  }

  // The name of the text field the reader is typing in, if it is in this form.
  function typingIn() {
    const active = document.activeElement;
    if (!active || !form.contains(active) || !active.name) return "";
    const text = active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && !["radio", "checkbox", "file", "button"].includes(active.type));
    return text ? active.name : "";
  }

  // Another tab changed this tool's answers: show them, except in the field being typed
  // in now (what is typed there is saved on the next keystroke or on leaving it, and
  // so ends up in both tabs as the later answer).
  function takeSavedAnswers(settled = false) {
    const saved = readSaved(base.tool);
    if (needsUpgrade(saved, form.dataset.bankVersion)) return; // another release's page: upgraded on the next visit
    const rows = readRows(base.tool);
    // A row saved with another tab's answers mixed into it is shown, and saved again, as
    // its own row key says (answersAsRecorded).
    const recorded = answersAsRecorded(form, saved.answers, rows.records);
    // Rows added here and not saved yet stay, after the last row if another tab saved a
    // row at the same position meanwhile (cssc-repeater.js). A row seems displaced, or
    // mixed, too while another tab's save is half-way: the form is left as it is, and
    // nothing written, until that has settled; then it is looked at again.
    const kept = keepRowsAddedHere(form, { answers: recorded.answers, ids: rows.ids, deleted: rows.deleted }, readForm(form));
    if ((kept.moved.length || recorded.mixed.length) && !settled) {
      window.clearTimeout(settling);
      settling = window.setTimeout(() => {
        settling = 0;
        if (form.isConnected && !upgrading) takeSavedAnswers(true);
      }, ROWS_SETTLE_MS);
      return;
    }
    // Consistent now: whatever half-way save made this tab wait has arrived whole.
    window.clearTimeout(settling);
    settling = 0;
    const lastSeen = synced;
    synced = new Map(Object.entries(saved.raw));
    syncedRows = new Map(Object.entries(rows.ids));
    const answers = kept.answers;
    const edited = editedWhileSettling;
    editedWhileSettling = false;
    if (edited) keepEditsMadeMeanwhile(answers, lastSeen, saved.raw, kept.renamed);
    let typing = typingIn();
    const movedTo = typing && kept.renamed[typing] && kept.renamed[typing] !== typing ? kept.renamed[typing] : "";
    if (movedTo) typing = ""; // its row moved: the field at its old place shows the other tab's row
    if (typing) {
      const mine = readForm(form, (control) => control.name === typing);
      if (typing in mine) answers[typing] = mine[typing];
      else delete answers[typing];
    }
    prepareRepeaters(form, answers);
    writeForm(form, answers, typing);
    adoptRowIds(form, kept.ids);
    if (movedTo) {
      const field = form.elements.namedItem(movedTo);
      if (field && typeof field.focus === "function") {
        field.focus();
        if (typeof field.setSelectionRange === "function") field.setSelectionRange(field.value.length, field.value.length);
      }
    }
    if (settled || edited) {
      // What the reader did while it settled (nothing was written meanwhile), the rows
      // kept and the rows put right, are saved now, and scored.
      saveAndScore(0);
      if (kept.moved.length) say(kept.moved.join(" "));
    }
  }

  // The answers the reader changed on this page while nothing could be written (another
  // tab's rows settling) are not in storage: the form alone holds them. Each is kept over
  // what is saved, unless the other tab changed that same answer meanwhile (its save is
  // then the later one). `lastSeen`: each answer's JSON as this tab last saw it saved;
  // `renamed`: the answers of rows kept here under a new number, already carried.
  function keepEditsMadeMeanwhile(answers, lastSeen, savedRaw, renamed) {
    const shown = readForm(form);
    const owns = ownership(form);
    const names = new Set([...Object.keys(shown), ...[...lastSeen.keys()].filter(owns)]);
    for (const name of names) {
      if (name in renamed) continue;
      const here = name in shown ? JSON.stringify(shown[name]) : undefined;
      if (here === lastSeen.get(name) || savedRaw[name] !== lastSeen.get(name)) continue;
      if (name in shown) answers[name] = shown[name];
      else delete answers[name];
    }
  }

  // Whether the form shows every saved answer it owns. One it cannot show (the wrong
  // shape, a row beyond the last: edited by hand, say) would be lost unseen on the next
  // save, so Python decides, as for an earlier release's answers, what can be used.
  function showsAllOf(stored) {
    const owns = ownership(form);
    const shown = readForm(form);
    return Object.entries(stored).every(([name, value]) => !owns(name) || JSON.stringify(shown[name]) === JSON.stringify(value));
  }

  // -------------------------------------------- answers saved by an earlier release
  const notice = form.querySelector("[data-update-notice]");
  let aside = null; // what the notice offers to download

  function showNotice(kept) {
    aside = kept;
    if (!notice) return;
    notice.hidden = !kept;
    if (!kept) return;
    const list = notice.querySelector("[data-update-notice-list]");
    list.replaceChildren(
      ...kept.notice.map((line) => {
        const item = document.createElement("li");
        item.textContent = line;
        return item;
      }),
    );
  }

  notice?.querySelector('[data-action="download-before-update"]').addEventListener("click", () => {
    if (!aside) return;
    saveFile(aside.text, aside.file_name, aside.media_type);
    say(`Downloaded ${aside.file_name}: your answers as they were before the update.`);
  });
  notice?.querySelector('[data-action="dismiss-update-notice"]').addEventListener("click", () => {
    dismissAside(base.tool);
    showNotice(null);
    form.querySelector('[data-action="download"]').focus();
    say("Notice dismissed. The copy of your answers from before the update has been removed from this browser.");
  });

  // Saved by another version of the questions (or damaged): Python upgrades the answers
  // before anything is scored. What could not be carried over is kept, exactly as it
  // was, for the reader to download until they dismiss the notice that names it.
  // `fromOtherTab`: a tab still running an earlier version of the questions saved them.
  async function upgradeSaved(saved, fromOtherTab = false) {
    const before = beforeUpgrade(base.tool, saved, form.dataset.toolTitle || "");
    const response = await ask({ ...base, op: "upgrade", answers: before.answers, bank_version: before.version });
    if (!form.isConnected) return;
    if (!response.ok) {
      warn(response.error); // the runtime did not start: everything stays saved as it was
      return;
    }
    // Saved again meanwhile (another tab): upgraded again as it is now, so nothing it
    // wrote is replaced unseen.
    const now = readSaved(base.tool);
    if (JSON.stringify([now.raw, now.legacy, now.version, now.damaged]) !==
        JSON.stringify([saved.raw, saved.legacy, saved.version, saved.damaged])) {
      return upgradeSaved(now, fromOtherTab);
    }
    const lines = [...(response.moved || []), ...response.left_out];
    if (fromOtherTab) {
      lines.unshift("Another tab is still showing an earlier version of this guide. What was saved there has been brought up to date and saved here too (for each answer, the later change is kept). Reload that tab to use this version.");
    }
    if (saved.damaged.length) {
      lines.push("Part of what this browser had saved for this tool was damaged and could not be read. It is in the download below.");
    }
    const date = new Date().toISOString().slice(0, 10);
    const kept = lines.length
      ? {
          text: before.text,
          notice: lines,
          file_name: `${base.tool}-before-update-${date}.${before.json ? "json" : "txt"}`,
          media_type: before.json ? "application/json" : "text/plain",
        }
      : null;
    let problem = "";
    try {
      if (kept) keepAside(base.tool, kept);
      replaceAnswers(base.tool, response.answers, response.bank_version, runtimeLabel);
    } catch (failed) {
      problem = storageIsFull(failed)
        ? "This browser's storage for this site is full, so your answers could not be brought up to date here. Download your answers from before the update now (below), then free some space."
        : "This browser is not letting the site save your answers (storage may be turned off). Download your answers from before the update now (below).";
    }
    upgrading = null;
    resync();
    const early = answeredBeforeStart(form, response.answers);
    const answers = { ...response.answers, ...early };
    prepareRepeaters(form, answers);
    writeForm(form, answers);
    adoptRowIds(form, {});
    showNotice(kept);
    saveAndScore(0);
    if (problem) warn(problem);
  }

  // A tab still running the earlier release (which kept one value per tool) wrote that
  // value again after this release upgraded it: what it changed since its value was last
  // carried over is upgraded by Python, through the same path, and saved over this
  // release's answers (for each answer, the later change wins). The reader is told, and
  // what that tab wrote stays downloadable, exactly as written, until they dismiss it.
  async function takeOlderTabWrites() {
    const older = olderTabWrites(base.tool);
    if (!older) {
      upgrading = null;
      return;
    }
    const isAnswers = (value) => Boolean(value) && typeof value === "object" && !Array.isArray(value);
    const upgradeOf = (answers) => ask({ ...base, op: "upgrade", answers, bank_version: null });
    const [now, then] = await Promise.all([
      upgradeOf(isAnswers(older.written) ? older.written : {}),
      upgradeOf(isAnswers(older.before) ? older.before : {}),
    ]);
    if (!form.isConnected) return;
    if (!now.ok || !then.ok) {
      upgrading = null;
      warn(now.ok ? then.error : now.error); // the runtime did not start: everything stays saved as it was
      return;
    }
    // Written again meanwhile: carried over as it is now instead.
    if (olderTabWrites(base.tool)?.text !== older.text) return takeOlderTabWrites();
    const changes = {};
    if (isAnswers(older.written)) {
      for (const name of new Set([...Object.keys(now.answers), ...Object.keys(then.answers)])) {
        if (JSON.stringify(now.answers[name]) !== JSON.stringify(then.answers[name])) changes[name] = now.answers[name];
      }
    }
    const lines = [
      isAnswers(older.written)
        ? "Another tab is still showing the earlier version of this guide. What was changed there has been brought up to date and saved here too (for each answer, the later change is kept). Reload that tab to use this version."
        : "Another tab still showing the earlier version of this guide saved something that could not be read. It is in the download below; reload that tab to use this version.",
      ...now.left_out.filter((line) => !then.left_out.includes(line)),
    ];
    const written = { legacy: older.text, answers: {}, raw: {}, damaged: [], version: null };
    const before = beforeUpgrade(base.tool, written, form.dataset.toolTitle || "");
    const date = new Date().toISOString().slice(0, 10);
    const kept = {
      text: before.text,
      notice: lines,
      file_name: `${base.tool}-from-another-tab-${date}.${before.json ? "json" : "txt"}`,
      media_type: before.json ? "application/json" : "text/plain",
    };
    try {
      keepAside(base.tool, kept);
      carryOlderTabWrites(base.tool, changes, form.dataset.bankVersion, runtimeLabel, older.text);
    } catch (failed) {
      warn(
        storageIsFull(failed)
          ? "This browser's storage for this site is full, so the answers changed in another tab could not be saved here. Download them now (below), then free some space."
          : "This browser is not letting the site save your answers (storage may be turned off). Download the answers changed in another tab now (below).",
      );
    }
    upgrading = null;
    takeSavedAnswers();
    showNotice(kept);
    result.setAttribute("aria-busy", "true");
    scoreSequence++;
    window.clearTimeout(scoreTimer);
    score();
    // Written again while this one was being carried over: that too.
    if (olderTabWrites(base.tool)) upgrading = takeOlderTabWrites();
  }

  form.addEventListener("change", (event) => {
    if (event.target.type === "file") return;
    saveAndScore(0);
  });
  form.addEventListener("input", (event) => {
    if (event.target.type === "file" || event.target.type === "radio" || event.target.type === "checkbox") return;
    saveAndScore(SCORE_DELAY_MS);
  });

  async function download(fields) {
    const answers = allAnswers(form);
    const response = await request({ ...fields, answers });
    if (!response.ok) {
      warn(response.error);
      return;
    }
    if (response.document) {
      // A Word file: Python made the document, the page makes the file.
      const saved = await saveWordOrWarn(response, warn,
        "The Word file could not be made in this browser. Your answers are unchanged: use another download, or try again after reloading the page.");
      if (!saved) return;
    } else if (response.base64) {
      // A file Python wrote whole (a workbook), sent as base64 inside the JSON reply.
      saveFile(Uint8Array.from(atob(response.base64), (char) => char.charCodeAt(0)), response.file_name, response.media_type);
    } else {
      saveFile(response.text, response.file_name, response.media_type || "application/json");
    }
    markExported(form, answers);
    say(`Downloaded ${response.file_name}.`);
  }

  form.querySelector('[data-action="download"]').addEventListener("click", () => download({ op: "export" }));
  for (const button of form.querySelectorAll('[data-action="download-as"]')) {
    button.addEventListener("click", () => download({ op: "export_as", format: button.dataset.format }));
  }

  const fileInput = form.querySelector('[data-action="load"]');
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files && fileInput.files[0];
    fileInput.value = ""; // so choosing the same file again still loads it
    if (!file) return;
    const { text, problem } = await readChosenFile(file, Number(form.dataset.maxRecordBytes), unchanged);
    if (problem) {
      warn(problem);
      return;
    }
    const response = await request({ op: "import", text });
    if (!response.ok) {
      warn(`“${file.name}” was not loaded: ${response.error} ${unchanged}`);
      return;
    }
    // The file holds the whole tool (every stage, for checklists): it replaces what
    // was stored, then this form shows its part.
    storageProblem = store(response.answers);
    markExported(form, response.answers); // what is on the page is now also in a file
    prepareRepeaters(form, response.answers);
    writeForm(form, response.answers);
    scoreSequence++;
    result.removeAttribute("aria-busy");
    showResult(response, "python", [`Loaded “${file.name}”.`, ...(response.notes || [])].join(" "));
    warn(storageProblem);
  });

  form.querySelector('[data-action="clear"]').addEventListener("click", () => {
    const sure = window.confirm(
      "Clear all your answers to this tool from this computer? This cannot be undone. Use Download JSON first if you want to keep them.",
    );
    if (!sure) return;
    clearAnswers(base.tool);
    resync();
    forgetResults(base.tool);
    form.dispatchEvent(new CustomEvent("cssc:cleared")); // a data file on the page goes too
    prepareRepeaters(form, {});
    writeForm(form, {});
    adoptRowIds(form, {});
    saveAndScore(0);
    say("Your answers have been cleared from this computer.");
  });

  // "Bring in" another tool's result (e.g. the data maturity level into the triage),
  // from this browser's storage or from a downloaded file. Python maps it to answers.
  for (const panel of form.querySelectorAll("[data-bring-in]")) {
    const source = panel.dataset.bringIn;
    panel.hidden = false;
    const apply = async (fields, from) => {
      // `answers`: this form's own answers, so Python can fill only what is still empty.
      const response = await ask({ ...base, op: "bring_in", source, answers: readForm(form), ...fields });
      if (!response.ok) {
        warn(`${from}: ${response.error} ${unchanged}`);
        return;
      }
      const updated = { ...readForm(form), ...response.updates };
      prepareRepeaters(form, updated);
      writeForm(form, updated);
      saveAndScore(0);
      say(`${from}: used.`);
    };
    panel.querySelector('[data-action="bring-in-stored"]')?.addEventListener("click", () => {
      apply({ source_answers: savedAnswers(source) }, "Result saved in this browser");
    });
    const input = panel.querySelector('[data-action="bring-in-file"]');
    input?.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      const { text, problem } = await readChosenFile(file, Number(form.dataset.maxRecordBytes), unchanged);
      if (problem) {
        warn(problem);
        return;
      }
      apply({ text }, `“${file.name}”`);
    });
  }

  const listener = () => {
    if (!form.isConnected) {
      runtimeListeners.delete(listener);
      return;
    }
    showRuntime();
    if (runtimeState === "ready" && !upgrading) score();
  };
  runtimeListeners.add(listener);

  // Every tab sees every change: this tool's answers, and those of the tools it summarises.
  const stopFollowing = followOtherTabs(new Set([base.tool, ...contextTools(form)]), (tool) => {
    if (!form.isConnected) {
      stopFollowing();
      return;
    }
    if (upgrading) return;
    if (tool === base.tool) {
      const saved = readSaved(base.tool);
      // A tab of an earlier release wrote its answers: upgraded through the same path.
      if (saved.legacy !== null && Object.keys(saved.answers).length) {
        upgrading = takeOlderTabWrites();
        return;
      }
      if (needsUpgrade(saved, form.dataset.bankVersion)) {
        // A tab of an earlier version saves its version first, then its answers, one key
        // at a time. Upgraded at once, the answers arriving after the upgrade was saved
        // were taken as written for this version, and lost to it (a test failed so,
        // once, in a full run). So this tab waits for the rest of that save
        // (ROWS_SETTLE_MS), writing nothing meanwhile (`upgrading`); any that arrive
        // later still, while Python upgrades, are seen when it answers (upgradeSaved).
        upgrading = new Promise((resolve) => window.setTimeout(resolve, ROWS_SETTLE_MS)).then(() =>
          form.isConnected ? upgradeSaved(readSaved(base.tool), true) : undefined,
        );
        return;
      }
      takeSavedAnswers();
      showNotice(readAside(base.tool));
    }
    result.setAttribute("aria-busy", "true");
    scoreSequence++;
    window.clearTimeout(scoreTimer);
    scoreTimer = window.setTimeout(score, SCORE_DELAY_MS);
  });

  const saved = readSaved(base.tool);
  // This release's answers, and the earlier release's value written again since by a tab
  // still running it: shown as they are, and that tab's changes carried over on top.
  const olderTab = saved.legacy !== null && Object.keys(saved.answers).length > 0;
  const upgrade = !olderTab && needsUpgrade(saved, form.dataset.bankVersion);
  const stored = upgrade ? {} : saved.answers;
  resync();
  const early = answeredBeforeStart(form, stored);
  const answers = { ...stored, ...early };
  startRepeaters(form, answers);
  writeForm(form, answers);
  adoptRowIds(form, upgrade ? {} : readRows(base.tool).ids);
  showNotice(readAside(base.tool));
  if (olderTab) {
    upgrading = takeOlderTabWrites();
  } else if (upgrade || !showsAllOf(stored)) {
    upgrading = upgradeSaved(saved);
  } else if (Object.keys(early).length) {
    storageProblem = store(allAnswers(form));
    warn(storageProblem);
  }
  startRuntime();
  showRuntime();
  if (runtimeState === "ready" && !upgrading) score();
  else if (runtimeState === "loading" && !upgrading) showKeptResult();
}

// Wide tables scroll sideways inside the theme's wrapper; make the wrapper reachable
// with the keyboard so the hidden columns can be scrolled to (WCAG 2.1.1).
function makeScrollingTablesFocusable() {
  for (const wrapper of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    if (wrapper.scrollWidth > wrapper.clientWidth) {
      wrapper.tabIndex = 0;
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", "Table (scrolls sideways)");
    }
  }
}

function startAll() {
  // The council's details (council.json) load beside the tools, never in their way.
  import("./cssc-council.js").then((council) => council.showCouncil());
  document.querySelectorAll("form[data-tool]").forEach(startForm);
  document.querySelectorAll("[data-project]").forEach((panel) => startProject(panel, ask));
  document.querySelectorAll("[data-team-view]").forEach((form) => startTeamView(form, ask));
  for (const panel of document.querySelectorAll("form[data-tool] [data-data-check]")) {
    const form = panel.closest("form");
    startDataCheck(panel, {
      runCheck: runDataCheck,
      cancelCheck: cancelFileWork,
      settings: () => allAnswers(form),
      siteRoot: new URL(form.dataset.siteRoot || "./", window.location.href).href,
    });
  }
  for (const form of document.querySelectorAll("form[data-tool]")) {
    if (!form.querySelector("[data-test-monitor]")) continue;
    startTestMonitor(form, {
      ask: (job) => runTestMonitor(job).done,
      read: runTestMonitor,
      cancel: cancelFileWork,
      answers: () => allAnswers(form),
      siteRoot: new URL(form.dataset.siteRoot || "./", window.location.href).href,
    });
  }
  makeScrollingTablesFocusable();
  // A page that links to a tool fetches the runtime while the reader reads it (with
  // limits: cssc-prefetch.js). A page that uses Python starts it itself.
  prefetchRuntimeWhenIdle({ usesPython: Boolean(document.querySelector("form[data-tool], [data-project], [data-team-view]")) });
}

// The forms start at once. The theme's script bundle has run by now (a blocking script at
// the end of the page, which runs before this module); as mkdocs-material swaps page
// content without reloading on instant navigation and announces each new page on
// document$, the forms follow that. Starting is idempotent, so the first announcement
// (this page again) only finishes what needs the theme's markup, such as its table wrappers.
startAll();
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(startAll);
