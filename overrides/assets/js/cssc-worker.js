// The Python side of the tools, in a Web Worker so the page never freezes while the
// runtime starts (about a second) or while Python works.
//
// Loads Pyodide from the site's own copy (never a CDN) and the `assessments` wheel
// named in cssc-runtime.json, then answers requests by passing them, as JSON, to
// assessments.api.handle. Every request gets exactly one reply.

import { loadPyodide } from "../pyodide/pyodide.mjs";

const runtimeBase = new URL("../pyodide/", import.meta.url);

async function startPython() {
  const manifestResponse = await fetch(new URL("cssc-runtime.json", runtimeBase), { cache: "no-cache" });
  if (!manifestResponse.ok) throw new Error(`cssc-runtime.json: HTTP ${manifestResponse.status}`);
  const manifest = await manifestResponse.json();
  const pyodide = await loadPyodide({ indexURL: runtimeBase.href, packages: [] });
  await pyodide.loadPackage(new URL(manifest.wheel, runtimeBase).href, { messageCallback: () => {} });
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
