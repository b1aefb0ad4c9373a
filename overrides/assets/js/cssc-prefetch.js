// Fetches the tools' Python runtime while a reader reads a page that links to a tool, so
// that opening the tool afterwards (the ethics triage from its stage page, say) starts
// from the browser's cache instead of waiting for about 6 MB to arrive.
//
// It costs a reader who never opens a tool those 6 MB (bench/prefetch.py measures it), and
// the guidance pages are meant to stay under 400 KB, so it is off unless the site's
// administrator turns it on (extra.cssc_prefetch_runtime in mkdocs.yml, which
// overrides/main.html passes on as <meta name="cssc-prefetch-runtime" content="on">).
// Even then it happens only:
// - on a page without a tool of its own whose text links to one (not the navigation);
// - after the reader has stayed on the page a while (DWELL_MS), and when the browser is
//   idle: someone skimming past pays nothing, and the page itself is never slowed;
// - never when the browser asks sites to save data (Save-Data), or on a link the browser
//   rates slower than 4G;
// - once per tab: later pages find the files in the cache (the server answers "not
//   modified").
// The files are fetched one at a time at low priority, and are exactly those every start
// of Python needs. A snapshot of Python, on a site built with one, is not among them: on
// a fast link it arrives in moments when a tool opens, and on a slow one the tool starts
// without it anyway (cssc-worker.js). What happened is on <html data-cssc-prefetch="…">, for whoever runs
// the site: "waiting", "fetching", "done", "failed", or "skipped: <why>".

const DWELL_MS = 4000;
const IDLE_TIMEOUT_MS = 2000; // start by then even if the page never goes quite idle
const scripts = new URL("./", import.meta.url);
const runtimeBase = new URL("../pyodide/", import.meta.url);
const toolPages = new URL("../../tools/", import.meta.url).href;
// The worker's own scripts, then Pyodide's files in the order a start asks for them.
const WORKER_FILES = ["cssc-worker.js", "cssc-data-worker.js", "cssc-test-monitor-worker.js"];
const RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib_tools.zip", "pyodide-lock.json"];

let started = false; // once per tab: instant navigation keeps this module
let waiting = null;

const mark = (state) => {
  document.documentElement.dataset.csscPrefetch = state;
};

// A link in the page's own text to a tool's page (tools/<slug>/), not to the tools' index.
function linksToATool(root) {
  return [...root.querySelectorAll(".md-content a[href]")].some((link) => {
    const target = link.href.split("#")[0];
    return target.startsWith(toolPages) && target.length > toolPages.length;
  });
}

const turnedOn = () => document.querySelector('meta[name="cssc-prefetch-runtime"]')?.content === "on";

function reasonToSkip() {
  const connection = navigator.connection;
  if (connection && connection.saveData) return "the browser asks sites to save data";
  if (connection && ["slow-2g", "2g", "3g"].includes(connection.effectiveType)) {
    return `the browser rates the link as ${connection.effectiveType}`;
  }
  return "";
}

async function download(url, options = {}) {
  const response = await fetch(url, { priority: "low", ...options });
  if (!response.ok) throw new Error(`${url} (HTTP ${response.status})`);
  await response.arrayBuffer(); // read to the end, so the browser keeps it
  return response;
}

async function fetchRuntime() {
  mark("fetching");
  try {
    for (const name of WORKER_FILES) await download(new URL(name, scripts));
    // The manifest names this release's wheel (the worker checks it again, every start).
    const manifest = await fetch(new URL("cssc-runtime.json", runtimeBase), { cache: "no-cache", priority: "low" });
    if (!manifest.ok) throw new Error(`cssc-runtime.json (HTTP ${manifest.status})`);
    const { wheel } = await manifest.json();
    for (const name of [...RUNTIME_FILES, wheel]) await download(new URL(name, runtimeBase));
    mark("done");
  } catch (problem) {
    // Nothing is lost: the tool fetches what it needs when it opens.
    console.info(`The tools' runtime was not fetched ahead: ${problem && problem.message ? problem.message : problem}.`);
    mark("failed");
  }
}

// Called on every page shown (instant navigation included). `usesPython`: the page has a
// tool of its own, which starts the runtime itself.
export function prefetchRuntimeWhenIdle({ usesPython }) {
  if (waiting !== null) {
    // The reader moved on before the wait was over: this page decides afresh.
    window.clearTimeout(waiting);
    waiting = null;
    delete document.documentElement.dataset.csscPrefetch;
  }
  if (started || usesPython || !linksToATool(document)) return;
  const skip = turnedOn() ? reasonToSkip() : "turned off for this site";
  if (skip) {
    mark(`skipped: ${skip}`);
    return;
  }
  mark("waiting");
  const whenIdle = window.requestIdleCallback || ((run) => window.setTimeout(run, 0));
  waiting = window.setTimeout(() => {
    waiting = null;
    if (started) return;
    started = true;
    whenIdle(() => fetchRuntime(), { timeout: IDLE_TIMEOUT_MS });
  }, DWELL_MS);
}
