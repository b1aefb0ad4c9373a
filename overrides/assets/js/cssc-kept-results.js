// The result Python last gave each tool form, kept in this browser beside the answers.
//
// A returning reader then sees their result at once, instead of after the second or so
// Python takes to start. It is shown only for exactly the same request (the answers,
// the other tools' answers the form reads, the page) and the same runtime (questions,
// rules and Python: cssc-runtime.json's "runtime", a hash of what the build shipped),
// and Python's own answer takes its place as soon as Python has started.
//
// It is a copy of what the answers already hold, so it lives and dies with them:
// "Clear my answers" and loading a project file remove it, and it gives way whenever
// the answers need the space (cssc-tools.js's store()).
//
// Stored as `cssc-guide:v1:result:<tool>` = {<view>: {runtime, request, html, summary,
// inactive}}: one entry per page showing the tool (the stage checklists have several).

const PREFIX = "cssc-guide:v1:result:";

// The same request always gives the same text, whatever order its answers were read in.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

// A 53-bit hash (cyrb53) of a text. Browsers offer SHA-256 (crypto.subtle) only to
// https pages, and intranets often serve plain http; two of these, with the length, make
// a mix-up of two different sets of answers vanishingly unlikely, and even then Python's
// own answer would replace the wrong result within a second or two.
function cyrb53(text, seed) {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function fingerprint(request) {
  const text = canonical(request);
  return `${text.length}-${cyrb53(text, 1).toString(36)}-${cyrb53(text, 2).toString(36)}`;
}

function readEntries(tool) {
  try {
    const entries = JSON.parse(localStorage.getItem(PREFIX + tool) || "{}");
    return entries && typeof entries === "object" && !Array.isArray(entries) ? entries : {};
  } catch {
    return {}; // unreadable or storage off: nothing kept
  }
}

// The kept result ({html, summary, inactive}) for exactly this request and runtime, or null.
export function recallResult(tool, view, request, runtime) {
  const entry = readEntries(tool)[view];
  if (!entry || typeof entry !== "object" || !runtime) return null;
  if (entry.runtime !== runtime || entry.request !== fingerprint(request)) return null;
  if (typeof entry.html !== "string" || typeof entry.summary !== "string" || !Array.isArray(entry.inactive)) return null;
  return { html: entry.html, summary: entry.summary, inactive: entry.inactive.filter((name) => typeof name === "string") };
}

// Keep Python's result for this request. Never at the answers' expense: if the browser
// will not take it, the tool's kept results are removed instead.
export function keepResult(tool, view, request, runtime, { html, summary, inactive }) {
  if (!runtime) return;
  const entries = readEntries(tool);
  entries[view] = { runtime, request: fingerprint(request), html, summary: summary || "", inactive: inactive || [] };
  try {
    localStorage.setItem(PREFIX + tool, JSON.stringify(entries));
  } catch {
    forgetResults(tool);
  }
}

export function forgetResults(tool) {
  try {
    localStorage.removeItem(PREFIX + tool);
  } catch {
    // storage off: nothing was kept
  }
}

// Make room for answers: remove every kept result. True if any was there.
export function forgetAllResults() {
  let removed = false;
  try {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(PREFIX)) continue;
      localStorage.removeItem(key);
      removed = true;
    }
  } catch {
    // storage off: nothing was kept
  }
  return removed;
}
