// The Python side of the tools, in a Web Worker so the page never freezes while the
// runtime starts (about a second) or while Python works.
//
// Loads Pyodide from the site's own copy (never a CDN), starts Python (or, on a site
// built with one, restores the snapshot of Python the build made), unpacks the
// `assessments` wheel named in cssc-runtime.json, then answers requests by passing them,
// as JSON, to assessments.api.handle. Every request gets exactly one reply.

import { loadPyodide } from "../pyodide/pyodide.mjs";
import { dataChecks, loadWorkbookSupport } from "./cssc-data-worker.js";
import { testMonitorWork } from "./cssc-test-monitor-worker.js";

const runtimeBase = new URL("../pyodide/", import.meta.url);

// An error's message in plain words, whatever was thrown.
const reason = (error) => String(error && error.message ? error.message : error);

// Pyodide waits forever if its WebAssembly file is missing, so check, alongside the
// start-up, that the server has every file, and name the one it does not have (for the
// IT team). The checks only ever fail the start; they never delay it.
async function checkRuntimeFiles(names) {
  const checks = names.map(async (name) => {
    const response = await fetch(new URL(name, runtimeBase), { method: "HEAD" });
    if (!response.ok) throw new Error(`the server did not send ${name} (HTTP ${response.status})`);
  });
  await Promise.all(checks);
  return new Promise(() => {}); // all present: leave the race to loadPyodide
}

async function fetchWheel(name) {
  const response = await fetch(new URL(name, runtimeBase));
  if (!response.ok) throw new Error(`the server did not send ${name} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

// The page compiles pyodide.asm.wasm and sends the compiled module over (cssc-tools.js):
// browsers keep compiled WebAssembly from one visit to the next for pages, but not for
// workers, so this halves a second visit's start. Pyodide asks for the module through
// WebAssembly.instantiateStreaming, the one place to hand it over; without a module
// from the page (null), it compiles its own as usual.
let receiveCompiled;
const compiledByPage = new Promise((resolve) => {
  receiveCompiled = resolve;
});
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  const module = await compiledByPage;
  if (!module) return instantiateStreaming(source, imports);
  Promise.resolve(source).then((response) => response.body?.cancel(), () => {}); // not needed
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};

// The standard library Python starts with holds only the modules the tools use, as
// bytecode (about a third of Pyodide's python_stdlib.zip; build/precompile_in_pyodide.py
// finds which by running the tools). Pyodide's whole python_stdlib.zip stays on the
// server for anything else: the first import of a module outside the small one fetches it
// once (build/stdlib_fallback.py). The fetch is synchronous, as an import is: a worker may
// wait without freezing the page.
const TOOLS_STDLIB = "python_stdlib_tools.zip";
const WHOLE_STDLIB = "python_stdlib.zip";

function fetchWholeStdlibNow() {
  const request = new XMLHttpRequest();
  request.open("GET", new URL(WHOLE_STDLIB, runtimeBase).href, false);
  request.responseType = "arraybuffer";
  request.send();
  if (request.status !== 200) throw new Error(`the server did not send ${WHOLE_STDLIB} (HTTP ${request.status})`);
  console.info(`The tools fetched ${WHOLE_STDLIB}: a module outside their own standard library was imported.`);
  return new Uint8Array(request.response);
}

async function loadRuntime(options) {
  const missing = checkRuntimeFiles(["pyodide.asm.wasm", "pyodide.asm.mjs", TOOLS_STDLIB, "pyodide-lock.json"]);
  const pyodide = await Promise.race([
    loadPyodide({ indexURL: runtimeBase.href, stdLibURL: new URL(TOOLS_STDLIB, runtimeBase).href, packages: [], ...options }),
    missing,
  ]);
  pyodide.pyimport("cssc_stdlib_fallback").install(fetchWholeStdlibNow);
  return pyodide;
}

// The snapshot of Python's memory the build made where the site's administrator turned
// it on (extra.cssc_python_snapshot; the page says so in this worker's address:
// "#python-snapshot"): Python already started, with the tools imported. Restoring it
// takes a fraction of the time starting Python does. Fetched at once, beside everything
// else. Off by default: it costs every first visit about 5.5 MB, and on every link
// starting Python without it is within the bare Pyodide page's time (bench/links.py).
const SITE_HAS_SNAPSHOT = self.location.hash === "#python-snapshot";

// Where there is one, it only pays where it arrives quickly. It saves about half a
// second of a laptop's time, but it is the largest file of the runtime (about 5.5 MB
// compressed): on a 20 Mbit/s link it takes longer to arrive than starting Python does,
// and on a weak 4G link several times longer (bench/links.py). So its first moments are watched:
// where the rest would take longer than SNAPSHOT_WORTH_MS, the download stops and
// Python starts without it, leaving the link to the files every start needs. Returning
// visits get it from the browser's cache at once, and a browser asked to save data
// never fetches it.
const SNAPSHOT_WORTH_MS = 1000;
// The pace is judged over this much time of the download itself, measured between the
// chunks as they arrive: a worker busy elsewhere (loading Pyodide's script) reads a fast
// download in a burst afterwards, which still shows as fast.
const SNAPSHOT_JUDGED_OVER_MS = 300;

class SkippedSnapshot extends Error {}

function fetchSnapshot(manifest) {
  if (self.navigator && self.navigator.connection && self.navigator.connection.saveData) {
    return Promise.reject(new SkippedSnapshot("the browser asks sites to save data"));
  }
  const controller = new AbortController();
  let total = 0;
  manifest.then((named) => (total = Number(named.snapshot_bytes) || 0), () => {});
  return (async () => {
    const response = await fetch(new URL("python.snapshot", runtimeBase), { signal: controller.signal });
    if (!response.ok) throw new Error(`the server did not send python.snapshot (HTTP ${response.status})`);
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    let firstAt = null;
    let judged = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      if (firstAt === null) firstAt = now;
      else if (!judged && total && now - firstAt >= SNAPSHOT_JUDGED_OVER_MS) {
        judged = true;
        const arrived = received + value.byteLength; // this chunk included
        const pace = (arrived - chunks[0].byteLength) / (now - firstAt); // bytes per ms since the first chunk
        const rest = (total - arrived) / Math.max(pace, 1e-6);
        if (rest > SNAPSHOT_WORTH_MS) {
          reader.cancel();
          controller.abort();
          throw new SkippedSnapshot(`the link is slow: the rest of python.snapshot would take about ${Math.round(rest / 1000)} s more to arrive`);
        }
      }
      chunks.push(value);
      received += value.byteLength;
    }
    const file = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      file.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return file;
  })();
}

// Puts the memory back together from the file: its pages of zeros are left out.
function unpackSnapshot(file, runtime) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = new TextDecoder().decode(file.subarray(0, 8));
  if (file.byteLength < 36 || magic !== "CSSCSNAP" || view.getUint32(8, true) !== 1) {
    throw new Error("python.snapshot is not a snapshot this guide can read");
  }
  const label = new TextDecoder().decode(file.subarray(20, 36));
  if (label !== runtime) throw new Error(`python.snapshot was made for another release of the guide (${label}, not ${runtime})`);
  const memory = new Uint8Array(view.getUint32(12, true));
  const stretches = view.getUint32(16, true);
  let from = 36 + stretches * 8;
  for (let index = 0; index < stretches; index++) {
    const offset = view.getUint32(36 + index * 8, true);
    const length = view.getUint32(40 + index * 8, true);
    if (offset + length > memory.length || from + length > file.byteLength) throw new Error("python.snapshot is cut short or damaged");
    memory.set(file.subarray(from, from + length), offset);
    from += length;
  }
  return memory;
}

// Which wheel to unpack, and which runtime the snapshot must have been made with.
async function fetchManifest() {
  const response = await fetch(new URL("cssc-runtime.json", runtimeBase), { cache: "no-cache" });
  if (!response.ok) throw new Error(`the server did not send cssc-runtime.json (HTTP ${response.status})`);
  return response.json();
}

async function startPython() {
  // Nothing waits for anything it does not need: Pyodide starts loading its own files at
  // once, while the manifest, the wheel and the snapshot arrive.
  const manifest = fetchManifest();
  const wheel = manifest.then((named) => fetchWheel(named.wheel));
  wheel.catch(() => {}); // awaited below, once Python has started
  if (!SITE_HAS_SNAPSHOT) {
    // Without the manifest there is no wheel to unpack: fail at once, not after the start.
    const [pyodide] = await Promise.all([loadRuntime({}), manifest]);
    return withPackage(pyodide, "fresh-as-built", manifest, wheel);
  }
  let pyodide = null;
  let source = "snapshot";
  try {
    const memory = Promise.all([fetchSnapshot(manifest), manifest]).then(([file, named]) => unpackSnapshot(file, named.runtime));
    memory.catch(() => {}); // Pyodide awaits it only once its own script has loaded
    pyodide = await loadRuntime({ _loadSnapshot: memory });
  } catch (problem) {
    await manifest; // without it there is no wheel to unpack: fail now, not after a slow start
    // Still works without it: say why for whoever runs the site.
    if (problem instanceof SkippedSnapshot) {
      console.info(`The tools are starting Python without its snapshot: ${reason(problem)}.`);
      source = "fresh-by-choice";
    } else {
      console.warn(`The tools are starting Python from scratch, which is slower: ${reason(problem)}.`);
      source = "fresh";
    }
    pyodide = await loadRuntime({});
  }
  return withPackage(pyodide, source, manifest, wheel);
}

async function withPackage(pyodide, source, manifest, wheel) {
  // A pure-Python wheel only needs unpacking into site-packages. The snapshot holds the
  // imported modules and the questions already read, but not the files: a fresh start,
  // and anything the tools read later, need them.
  pyodide.unpackArchive(await wheel, "wheel");
  // `runtime` labels what Python works out, so the page keeps a result only for this runtime.
  let dataApi = null;
  return {
    handle: pyodide.pyimport("assessments.api").handle,
    source,
    runtime: (await manifest).runtime,
    pyodide,
    // A data file for the data quality check is read here, not passed as answers. Its
    // modules are imported on the first check, not at every tool's start.
    get dataApi() {
      return (dataApi ??= pyodide.pyimport("assessments.data_quality.api"));
    },
  };
}

const ready = startPython();
ready.then(
  ({ source, runtime }) => self.postMessage({ type: "ready", source, runtime }),
  (error) => self.postMessage({ type: "failed", problem: reason(error) }),
);

const handleDataCheck = dataChecks(ready);
const handleTestMonitor = testMonitorWork(ready, handleDataCheck);

self.addEventListener("message", async (event) => {
  if ("compiledRuntime" in event.data) {
    receiveCompiled(event.data.compiledRuntime);
    return;
  }
  if ("dataCheck" in event.data || "dataCheckCancel" in event.data) {
    handleDataCheck(event.data, (reply) => self.postMessage(reply));
    return;
  }
  if ("testMonitor" in event.data) {
    handleTestMonitor(event.data, (reply) => self.postMessage(reply));
    return;
  }
  const { id, request } = event.data;
  let response;
  try {
    const { handle, pyodide } = await ready;
    // A download Python writes as a workbook (format "xlsx") needs openpyxl, loaded on
    // the first such download of the visit, never before.
    if (request && request.op === "export_as" && request.format === "xlsx") {
      try {
        await loadWorkbookSupport(pyodide);
      } catch (error) {
        self.postMessage({ id, response: { ok: false, error: `The part of this tool that writes Excel workbooks could not be loaded (${reason(error)}). Your answers are unchanged: use another download, or try again.` } });
        return;
      }
    }
    response = JSON.parse(handle(JSON.stringify(request)));
  } catch (error) {
    response = { ok: false, error: `The tool could not work this out (${reason(error)}). Your answers are unchanged.` };
  }
  self.postMessage({ id, response });
});
