// Each tool's answers in this browser's localStorage: one key per answer, with the
// version of the questions they answer, so that two open tabs never overwrite each
// other and a new release of the guide can upgrade them (Python: assessments/core/upgrade.py).
//
//   cssc-guide:v2:<tool>:saved-with      {"tool", "bank_version", "release"}
//   cssc-guide:v2:<tool>:answer:<name>   the answer's JSON value
//   cssc-guide:v2:<tool>:before-update   {"text", "file_name", "media_type", "notice"}:
//                                        what was saved before an upgrade left something
//                                        out, exactly as it was, until the reader
//                                        dismisses the notice
//   cssc-guide:v1:<tool>                 the whole tool's answers in one value, as the
//                                        releases before this one saved them (read,
//                                        upgraded and removed; never written). A tab
//                                        still running such a release writes it again
//                                        on every change: each time, what it changed is
//                                        upgraded into this release's keys.
//   cssc-guide:v2:<tool>:row:<key>       the row added at that position ("row-3"): its
//                                        identity and its answers as the tab that saved
//                                        it last wrote them, {"id", "answers"}, written
//                                        after the answers (cssc-repeater.js). Two tabs
//                                        saving the same position at the same instant can
//                                        interleave their keys; this one key, written
//                                        whole, says what the row's answers were
//   cssc-guide:v2:<tool>:row-deleted:<id> a row deleted (in any tab), so another tab does
//                                        not take it for its own row, not yet saved
//   cssc-guide:v2:<tool>:carried-from-v1 that value as it was when last carried over, so
//                                        the next one written by such a tab can be
//                                        compared with it, answer by answer
//
// This module only reads and writes keys: it never decides what an answer means.

const PREFIX = "cssc-guide:v2:";
const LEGACY_PREFIX = "cssc-guide:v1:";

const answerPrefix = (tool) => `${PREFIX}${tool}:answer:`;
const metaKey = (tool) => `${PREFIX}${tool}:saved-with`;
const asideKey = (tool) => `${PREFIX}${tool}:before-update`;
const legacyKey = (tool) => LEGACY_PREFIX + tool;
const carriedKey = (tool) => `${PREFIX}${tool}:carried-from-v1`;
const rowPrefix = (tool) => `${PREFIX}${tool}:row:`;
const deletedPrefix = (tool) => `${PREFIX}${tool}:row-deleted:`;

// A row key's value: {id, answers} ({} when it does not say), or null. A bare identity
// (as saved before the row's answers were kept beside it) has no answers to compare.
function parseRow(text) {
  if (!text) return null;
  if (!text.startsWith("{")) return { id: text, answers: null };
  try {
    const row = JSON.parse(text);
    return row && typeof row.id === "string" && row.id ? { id: row.id, answers: isAnswers(row.answers) ? row.answers : null } : null;
  } catch {
    return null;
  }
}

// {ids: {key: id}, records: {key: {name: value}}, deleted: Set of ids}: the rows saved
// for a tool, their identities and what their answers were when saved.
export function readRows(tool) {
  const ids = {};
  const records = {};
  const deleted = new Set();
  for (const key of keys()) {
    if (key.startsWith(rowPrefix(tool))) {
      const row = parseRow(get(key));
      if (!row) continue;
      ids[key.slice(rowPrefix(tool).length)] = row.id;
      if (row.answers) records[key.slice(rowPrefix(tool).length)] = row.answers;
    } else if (key.startsWith(deletedPrefix(tool))) {
      deleted.add(key.slice(deletedPrefix(tool).length));
    }
  }
  return { ids, records, deleted };
}

// The text a row is saved as: what storeRows compares, to write only what changed.
export function rowText(id, answers) {
  return JSON.stringify({ id, answers });
}

// The rows' saved texts now: {key: text}.
export function readRowTexts(tool) {
  const texts = {};
  for (const key of keys()) if (key.startsWith(rowPrefix(tool))) texts[key.slice(rowPrefix(tool).length)] = get(key);
  return texts;
}

// Save the rows that changed: {key: text (rowText), or undefined to remove}, and mark
// `deletedIds` as deleted. Throws what localStorage throws.
export function writeRows(tool, changes, deletedIds = []) {
  for (const id of deletedIds) localStorage.setItem(deletedPrefix(tool) + id, "1");
  for (const [key, text] of Object.entries(changes)) {
    if (text === undefined) localStorage.removeItem(rowPrefix(tool) + key);
    else localStorage.setItem(rowPrefix(tool) + key, text);
  }
}

// Answers replaced as a whole (a file, an upgrade): every saved row is gone, so no tab
// keeps its rows' identities.
function forgetRows(tool) {
  for (const key of keys()) {
    if (!key.startsWith(rowPrefix(tool))) continue;
    const row = parseRow(get(key));
    localStorage.removeItem(key);
    if (row) localStorage.setItem(deletedPrefix(tool) + row.id, "1");
  }
}

function get(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage switched off: nothing saved
  }
}

function keys() {
  try {
    return Object.keys(localStorage);
  } catch {
    return [];
  }
}

function isAnswers(value) {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value);
}

// Everything saved for a tool, as it is: {answers, raw: {name: text}, version, legacy
// (the old single value's text, or null), damaged: [{key, text}]}.
export function readSaved(tool) {
  const answers = {};
  const raw = {};
  const damaged = [];
  const prefix = answerPrefix(tool);
  for (const key of keys().sort()) {
    if (!key.startsWith(prefix)) continue;
    const text = get(key);
    if (text === null) continue;
    try {
      answers[key.slice(prefix.length)] = JSON.parse(text);
      raw[key.slice(prefix.length)] = text;
    } catch {
      damaged.push({ key, text });
    }
  }
  let version = null;
  const meta = get(metaKey(tool));
  if (meta !== null) {
    try {
      const parsed = JSON.parse(meta);
      if (isAnswers(parsed) && typeof parsed.bank_version === "string") version = parsed.bank_version;
      else damaged.push({ key: metaKey(tool), text: meta });
    } catch {
      damaged.push({ key: metaKey(tool), text: meta });
    }
  }
  return { answers, raw, version, legacy: get(legacyKey(tool)), damaged };
}

// Whether what is saved must go through Python's upgrade before it is used: saved by an
// earlier release, for another version of the questions, or damaged.
export function needsUpgrade(saved, bankVersion) {
  if (saved.legacy !== null || saved.damaged.length) return true;
  return Object.keys(saved.answers).length > 0 && saved.version !== bankVersion;
}

// The answers to hand to Python's upgrade and the version they were saved with (null
// when unknown), and what was saved, to set aside: as a record file (the one every tool
// downloads, "cssc-analytics-guide/record") stamped with the version the answers were
// saved with, so Load JSON takes it back through the same upgrade. Each answer's value
// is written into it exactly as it was stored, byte for byte; a damaged entry goes in
// as text under "could_not_be_read". Only a value that is not JSON at all (the earlier
// release's single value, damaged) is kept as plain text: `json` is then false.
export function beforeUpgrade(tool, saved, toolTitle = "") {
  const record = (version, answersText, extra = "") =>
    `{"format":"cssc-analytics-guide/record","format_version":1,"tool":${JSON.stringify(tool)},` +
    `"tool_title":${JSON.stringify(toolTitle)},` +
    // A release that recorded no version: Python applies every step of the migrations.
    `"bank_version":${JSON.stringify(version ?? "not recorded")},"created":${JSON.stringify(new Date().toISOString().slice(0, 19) + "Z")},` +
    `"answers":${answersText}${extra}}`;
  if (saved.legacy !== null && Object.keys(saved.answers).length === 0) {
    let answers = null;
    try {
      answers = JSON.parse(saved.legacy);
    } catch {
      answers = null; // damaged: Python says none of it could be read
    }
    if (!isAnswers(answers)) return { answers, version: null, text: saved.legacy, json: false };
    return { answers, version: null, text: record(null, saved.legacy), json: true };
  }
  const parts = Object.entries(saved.raw).map(([name, text]) => `${JSON.stringify(name)}:${text}`);
  const damaged = saved.damaged.map(({ key, text }) => `${JSON.stringify(key)}:${JSON.stringify(text)}`);
  const text = record(
    saved.version,
    `{${parts.join(",")}}`,
    damaged.length ? `,"could_not_be_read":{${damaged.join(",")}}` : "",
  );
  return { answers: saved.answers, version: saved.version, text, json: true };
}

// What other tools' pages and "My project" read: the tool's answers, from this release's
// keys, or from the earlier release's single value if this release has not saved any yet
// (Python upgrades those wherever it reads them).
export function savedAnswers(tool) {
  const saved = readSaved(tool);
  if (Object.keys(saved.answers).length || saved.version !== null || saved.legacy === null) return saved.answers;
  try {
    const answers = JSON.parse(saved.legacy);
    return isAnswers(answers) ? answers : saved.legacy;
  } catch {
    return saved.legacy; // passed on as it is, so Python can say it cannot be read
  }
}

// The version of the questions savedAnswers(tool) were saved with: null when the release
// that saved them recorded none (Python then applies every step of the bank's migrations).
export function savedVersion(tool) {
  const saved = readSaved(tool);
  if (Object.keys(saved.answers).length || saved.version !== null || saved.legacy === null) return saved.version;
  return null;
}

export function hasSaved(tool) {
  const saved = readSaved(tool);
  return Object.keys(saved.answers).length > 0 || saved.legacy !== null;
}

function writeMeta(tool, bankVersion, release) {
  const text = JSON.stringify({ tool, bank_version: bankVersion, release: release || null });
  if (get(metaKey(tool)) !== null) {
    try {
      const meta = JSON.parse(get(metaKey(tool)));
      if (meta.bank_version === bankVersion && (meta.release === (release || null) || !release)) return;
    } catch {
      // damaged: written again below
    }
  }
  localStorage.setItem(metaKey(tool), text);
}

// Save what changed: {name: value}, where `undefined` removes the answer. Only the
// answers named are written, so another tab's answers to other questions stay. Throws
// what localStorage throws (full, switched off).
export function writeAnswers(tool, changes, bankVersion, release) {
  writeMeta(tool, bankVersion, release);
  for (const [name, value] of Object.entries(changes)) {
    const key = answerPrefix(tool) + name;
    if (value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  }
}

// Make the saved answers exactly `answers` (a loaded file, an upgrade, a project file).
export function replaceAnswers(tool, answers, bankVersion, release) {
  const saved = readSaved(tool);
  const changes = {};
  for (const name of Object.keys(saved.raw)) if (!(name in answers)) changes[name] = undefined;
  for (const { key } of saved.damaged) if (key.startsWith(answerPrefix(tool))) localStorage.removeItem(key);
  for (const [name, value] of Object.entries(answers)) {
    if (saved.raw[name] !== JSON.stringify(value)) changes[name] = value;
  }
  if (get(metaKey(tool)) !== null) localStorage.removeItem(metaKey(tool)); // written again, undamaged
  writeAnswers(tool, changes, bankVersion, release);
  forgetRows(tool);
  forgetLegacy(tool);
}

// The earlier release's single value has been carried over: remember it as it was (see
// carried-from-v1 above) and remove it.
function forgetLegacy(tool) {
  const legacy = get(legacyKey(tool));
  if (legacy === null) return;
  localStorage.setItem(carriedKey(tool), legacy);
  localStorage.removeItem(legacyKey(tool));
}

// A tab of the earlier release wrote its single value again, while this release's keys
// hold answers: {written, before}, the answers it holds now and those it held when its
// value was last carried over ({} if never), each as parsed (null if not JSON), for
// Python to upgrade both and keep only what that tab changed.
export function olderTabWrites(tool) {
  const parse = (text) => {
    if (text === null) return {};
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  const text = get(legacyKey(tool));
  return text === null ? null : { text, written: parse(text), before: parse(get(carriedKey(tool))) };
}

// Save what the earlier release's tab changed (upgraded by Python) over this release's
// answers, and mark its value as carried over.
// `text`: the value those changes came from (the one olderTabWrites read).
export function carryOlderTabWrites(tool, changes, bankVersion, release, text) {
  writeAnswers(tool, changes, bankVersion, release);
  localStorage.setItem(carriedKey(tool), text);
  if (get(legacyKey(tool)) === text) localStorage.removeItem(legacyKey(tool));
}

export function clearAnswers(tool) {
  try {
    for (const key of keys()) {
      if (key.startsWith(answerPrefix(tool))) localStorage.removeItem(key);
    }
    localStorage.removeItem(metaKey(tool));
    localStorage.removeItem(legacyKey(tool));
    localStorage.removeItem(carriedKey(tool));
    forgetRows(tool); // marked deleted, so no other tab keeps them as its own
  } catch {
    // storage switched off: nothing was saved
  }
}

// Every key of a tool's answers with its text, to put back exactly (restoreTool) if a
// change of several tools at once cannot be finished.
export function snapshotTool(tool) {
  const own = (key) => key.startsWith(answerPrefix(tool)) || key === metaKey(tool) || key === legacyKey(tool);
  return Object.fromEntries(keys().filter(own).map((key) => [key, get(key)]));
}

export function restoreTool(tool, snapshot) {
  clearAnswers(tool);
  for (const [key, text] of Object.entries(snapshot)) {
    try {
      localStorage.setItem(key, text);
    } catch {
      // nothing more can be done for this one
    }
  }
}

// ------------------------------------------------------------ set aside before an update

export function keepAside(tool, aside) {
  localStorage.setItem(asideKey(tool), JSON.stringify(aside));
}

export function readAside(tool) {
  const text = get(asideKey(tool));
  if (text === null) return null;
  try {
    const aside = JSON.parse(text);
    return isAnswers(aside) && typeof aside.text === "string" ? aside : null;
  } catch {
    return null;
  }
}

export function dismissAside(tool) {
  try {
    localStorage.removeItem(asideKey(tool));
  } catch {
    // storage switched off
  }
}

// ----------------------------------------------------------------------- other tabs

// Call `changed(tool)` when another tab changes a tool's saved answers (the browser's
// `storage` event, which only other tabs receive). `tools` is a set of slugs.
export function followOtherTabs(tools, changed) {
  const listener = (event) => {
    if (event.storageArea !== localStorage) return;
    for (const tool of tools) {
      const key = event.key;
      const rows = key !== null && (key.startsWith(rowPrefix(tool)) || key.startsWith(deletedPrefix(tool)));
      if (key === null || rows || key === legacyKey(tool) || key === metaKey(tool) || key.startsWith(answerPrefix(tool))) {
        changed(tool, key === null ? null : key.startsWith(answerPrefix(tool)) ? key.slice(answerPrefix(tool).length) : "");
      }
    }
  };
  window.addEventListener("storage", listener);
  return () => window.removeEventListener("storage", listener);
}
