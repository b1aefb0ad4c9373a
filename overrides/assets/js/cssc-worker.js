// The Python side of the tools, in a Web Worker so the page never freezes while the
// runtime starts (about a second) or while Python works.
//
// Loads Pyodide from the site's own copy (never a CDN) and the `assessments` wheel
// named in cssc-runtime.json, then answers requests by passing them, as JSON, to
// assessments.api.handle. Every request gets exactly one reply.

import { loadPyodide } from "../pyodide/pyodide.mjs";

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

async function startPython() {
  const manifestResponse = await fetch(new URL("cssc-runtime.json", runtimeBase), { cache: "no-cache" });
  if (!manifestResponse.ok) throw new Error(`the server did not send cssc-runtime.json (HTTP ${manifestResponse.status})`);
  const manifest = await manifestResponse.json();
  // The runtime, the wheel and the checks all start at once.
  const wheel = fetchWheel(manifest.wheel);
  const missing = checkRuntimeFiles(["pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "pyodide-lock.json"]);
  const pyodide = await Promise.race([loadPyodide({ indexURL: runtimeBase.href, packages: [] }), missing]);
  // A pure-Python wheel only needs unpacking into site-packages.
  pyodide.unpackArchive(await wheel, "wheel");
  return pyodide.pyimport("assessments.api").handle;
}

const ready = startPython();
ready.then(
  () => self.postMessage({ type: "ready" }),
  (error) => self.postMessage({ type: "failed", problem: String(error && error.message ? error.message : error) }),
);

self.addEventListener("message", async (event) => {
  const { id, request } = event.data;
  let response;
  try {
    const handle = await ready;
    response = JSON.parse(handle(JSON.stringify(request)));
  } catch (error) {
    response = { ok: false, error: `The tool could not work this out (${error && error.message ? error.message : error}). Your answers are unchanged.` };
  }
  self.postMessage({ id, response });
});
