// Starts the tools' Python runtime: a Web Worker (cssc-worker.js), plus the compiling of
// Python's WebAssembly here in the page.
//
// Pages with a tool load this from the top of their <head> with data-start-now, so the
// runtime starts before the theme's scripts and search index compete for the processor.
// Other pages load it deferred and start nothing: cssc-tools.js calls start() if instant
// navigation later brings a tool onto the page. start() runs once per visit; the worker
// outlives instant navigation. cssc-tools.js adopts the worker and the messages it has
// already sent.
(() => {
  const script = document.currentScript;
  let started = null;

  // Compiled here rather than in the worker because browsers keep a page's compiled
  // WebAssembly for the next visit, and not (yet) a worker's: a second visit starts much
  // sooner. Resolves to null on any problem; the worker then compiles the file itself
  // and, if the file is missing, says which.
  async function compileRuntime() {
    const url = new URL("../pyodide/pyodide.asm.wasm", script.src);
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

  function start() {
    if (started) return started;
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") return null; // cssc-tools.js explains
    try {
      const worker = new Worker(new URL("cssc-worker.js", script.src), { type: "module" });
      const early = [];
      const keep = (event) => early.push(event.data);
      const keepError = (event) => {
        event.preventDefault();
        early.push({ type: "failed", problem: "the runtime files could not be loaded" });
      };
      worker.addEventListener("message", keep);
      worker.addEventListener("error", keepError);
      compileRuntime().then((compiledRuntime) => worker.postMessage({ compiledRuntime }));
      started = {
        worker,
        // Hands over the messages so far and stops collecting them.
        adopt() {
          worker.removeEventListener("message", keep);
          worker.removeEventListener("error", keepError);
          return early.splice(0);
        },
      };
    } catch {
      started = null; // cssc-tools.js tries again itself, and reports any problem in words
    }
    return started;
  }

  window.csscRuntime = { start };
  if (script.hasAttribute("data-start-now")) start();
})();
