// The Python side of the tools, in a Web Worker so the page never freezes while the
// runtime starts (about a second) or while Python works.
//
// Loads Pyodide from the site's own copy (never a CDN) and the `assessments` wheel
// named in cssc-runtime.json, then answers requests by passing them, as JSON, to
// assessments.api.handle. Every request gets exactly one reply.

import { loadPyodide } from "../pyodide/pyodide.mjs";
import { forgetRuntime, saveRuntime, savedRuntime } from "./cssc-runtime-cache.js";

const runtimeBase = new URL("../pyodide/", import.meta.url);

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

async function loadRuntime(options) {
  const missing = checkRuntimeFiles(["pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "pyodide-lock.json"]);
  return Promise.race([loadPyodide({ indexURL: runtimeBase.href, packages: [], ...options }), missing]);
}

async function startPython() {
  const manifestResponse = await fetch(new URL("cssc-runtime.json", runtimeBase), { cache: "no-cache" });
  if (!manifestResponse.ok) throw new Error(`the server did not send cssc-runtime.json (HTTP ${manifestResponse.status})`);
  const manifest = await manifestResponse.json();
  const label = `pyodide ${manifest.pyodide}, ${manifest.wheel} ${manifest.wheel_sha256}`;
  // The runtime, the wheel, the saved copy and the checks all start at once.
  const wheel = fetchWheel(manifest.wheel);
  const saved = await savedRuntime(label);
  let pyodide = null;
  if (saved) {
    try {
      pyodide = await loadRuntime({ _loadSnapshot: saved });
    } catch {
      await forgetRuntime(); // damaged or unusable: start afresh, and save a new copy
    }
  }
  const fresh = !pyodide;
  if (fresh) pyodide = await loadRuntime({ _makeSnapshot: true });
  // A pure-Python wheel only needs unpacking into site-packages. A saved copy holds the
  // imported modules but not the files, which the tools read their questions from.
  pyodide.unpackArchive(await wheel, "wheel");
  const handle = pyodide.pyimport("assessments.api").handle;
  // Saved now, before the first request: the copy holds no answers.
  if (fresh) saveRuntime(label, pyodide.makeMemorySnapshot());
  return { handle, source: fresh ? "fresh" : "saved copy" };
}

const ready = startPython();
ready.then(
  ({ source }) => self.postMessage({ type: "ready", source }),
  (error) => self.postMessage({ type: "failed", problem: String(error && error.message ? error.message : error) }),
);

self.addEventListener("message", async (event) => {
  if ("compiledRuntime" in event.data) {
    receiveCompiled(event.data.compiledRuntime);
    return;
  }
  const { id, request } = event.data;
  let response;
  try {
    const { handle } = await ready;
    response = JSON.parse(handle(JSON.stringify(request)));
  } catch (error) {
    response = { ok: false, error: `The tool could not work this out (${error && error.message ? error.message : error}). Your answers are unchanged.` };
  }
  self.postMessage({ id, response });
});
